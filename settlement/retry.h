#ifndef LEDGERSTRESS_SETTLEMENT_RETRY_H_
#define LEDGERSTRESS_SETTLEMENT_RETRY_H_

#include <chrono>
#include <functional>
#include <random>
#include <string>

#include "settlement/connection.h"

#include "settlement/counted.h"
#include "settlement/observer.h"

namespace settlement {

// How an operation reacts to a deadlock or serialization failure
// (docs/review.md, claim 4).
enum class RetryStrategy {
  // One transaction, one attempt: the error reaches the caller.
  kNone,
  // The review's loop, faithfully: inside the one open transaction, retry
  // the body up to max_attempts times when the error's *message* contains
  // "deadlock" or "lock", sleeping base_delay * 2^k with the transaction
  // (and its locks) open. After a deadlock PostgreSQL has aborted the
  // transaction, so every retry fails with 25P02 ("current transaction is
  // aborted ... transaction block" -- whose "block" matches "lock").
  kInTransaction,
  // Hardened: retry the whole transaction on pqxx::deadlock_detected or
  // pqxx::serialization_failure (by type), sleeping base_delay * 2^k (with
  // jitter: between half and all of it) outside any transaction. An
  // in_doubt_error is resolved by asking whether the write committed (its
  // idempotency key), on a fresh session when the old one is broken
  // (Connection::Reopen): committed means done; not committed means retried
  // as a new attempt; no answer (the server is down) leaves the call in
  // doubt for the caller. Never retried blindly.
  kPerTransaction,
};

bool ParseRetryStrategy(const std::string& name, RetryStrategy* out);
const char* RetryStrategyName(RetryStrategy s);

struct RetryPolicy {
  RetryStrategy strategy = RetryStrategy::kNone;
  int max_attempts = 3;                                 // MAX_RETRIES in the review: tries, not re-tries
  std::chrono::milliseconds base_delay{100};            // RETRY_BASE_DELAY
  bool jitter = true;                                   // kPerTransaction only
  std::mt19937_64* rng = nullptr;                       // for the jitter; required when jitter is on
};

// The statements of an operation, run inside the transaction it is given.
using TransactionBody = std::function<void(CountedWork&)>;
// Whether the operation's write committed (looked up by idempotency key).
using CommitProbe = std::function<bool()>;

// Runs `body` under `policy`, opening (with `begin`, which must outlive the
// call) and committing the transaction(s). Throws the last error when every
// attempt failed.
void RunWithRetry(Connection& conn, const RetryPolicy& policy, Observer& obs,
                  const TransactionBody& body, const CommitProbe& committed, const char* begin = "BEGIN");

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_RETRY_H_
