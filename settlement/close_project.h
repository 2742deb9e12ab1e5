#ifndef LEDGERSTRESS_SETTLEMENT_CLOSE_PROJECT_H_
#define LEDGERSTRESS_SETTLEMENT_CLOSE_PROJECT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "settlement/connection.h"

#include "settlement/money.h"
#include "settlement/observer.h"
#include "settlement/retry.h"

namespace settlement {

// How close_project_success releases a project's LOCKED escrows. Every
// strategy credits, per escrow, the owner with net, COMMISSION with the
// commission and FEES with the fee (each rounded half-up) and writes one
// wallet_transaction per credit. See docs/review.md, claims 1 and 2.
enum class CloseStrategy {
  // N+1: list the escrows, then release each in its own short transaction
  // (lock it, re-check it is LOCKED, 3 wallet updates, 3 inserts). Statements
  // grow linearly with the number of escrows.
  kPerEscrow,
  // The review's code: one outer transaction; slice the list to
  // max_escrows_per_close (escrows past it are left LOCKED, yet the project
  // is marked SUCCESS); lock each chunk of release_batch_size FOR UPDATE,
  // bulk update + bulk insert. Row locks accumulate until the single commit.
  // Like Django's code it does not re-check the status of the rows it
  // locked, so two concurrent closers release an escrow twice.
  kBatched,
  // Hardened: short transactions of release_batch_size escrows, by id
  // (keyset), each one set-based statement; resumable (only LOCKED rows are
  // taken); the project becomes SUCCESS only when no escrow is LOCKED.
  kKeyset,
  // One set-based statement for every escrow: the floor.
  kSetBased,
};

bool ParseCloseStrategy(const std::string& name, CloseStrategy* out);
const char* CloseStrategyName(CloseStrategy s);
// Every strategy's name, in the order of the enum.
const std::vector<std::string>& CloseStrategyNames();

struct CloseParams {
  int release_batch_size = 100;       // RELEASE_ESCROW_BATCH_SIZE
  int max_escrows_per_close = 1000;   // MAX_ESCROWS_PER_BATCH (batched only)
  RatePpm commission_rate = 50000;    // 5%
  RatePpm fee_rate = 29000;           // 2.9%
  // How each of the close's transactions reacts to a deadlock (retry.h).
  // A commit left in doubt is retried: every strategy but the review's
  // batched one only ever takes LOCKED escrows, so a retry cannot release
  // an escrow twice.
  RetryPolicy retry;
};

struct CloseResult {
  std::int64_t released = 0;      // escrows this call released
  bool marked_success = false;    // this call set the project to SUCCESS
};

// Closes a FUNDING project as successful. The connection must have no
// transaction open; its search_path selects the schema. Throws pqxx errors;
// what was committed before the error stays (keyset and per_escrow commit
// as they go and can be called again to finish).
CloseResult CloseProjectSuccess(Connection& conn, std::int64_t project_id,
                                CloseStrategy strategy, const CloseParams& params, Observer& obs);

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_CLOSE_PROJECT_H_
