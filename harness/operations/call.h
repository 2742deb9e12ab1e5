#ifndef LEDGERSTRESS_HARNESS_OPERATIONS_CALL_H_
#define LEDGERSTRESS_HARNESS_OPERATIONS_CALL_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "harness/operations/operation.h"
#include "settlement/connection.h"
#include "settlement/money.h"
#include "settlement/observer.h"
#include "settlement/retry.h"

namespace ledgerstress {

class DriverClient;  // harness/drivers/driver_client.h

// The rows of a case's fixture that operations pick their arguments from.
struct Targets {
  // Race workload: round r's users are race_first_user + r * users_per_round
  // + [0, users_per_round).
  std::int64_t race_first_user = 0;
  int users_per_round = 1;
  // Close and ledger workloads: donors are donor_first_user + [0, donors);
  // deposits also go to the owners of the projects being closed (their
  // wallets are what a close locks); pledges go to background_project.
  std::int64_t donor_first_user = 0;
  int donors = 0;
  std::vector<std::int64_t> owner_users;
  std::int64_t background_project = 0;
  // Close workload: the projects this round closes, and the share of
  // pledges that go to one of them (pledges_into_closing).
  std::vector<std::int64_t> closing_projects;
  double into_closing = 0;
};

// The weights every built-in allocation is drawn with (one per pocket, in
// pocket id order); allocation_split_exact recomputes the split from them.
inline const std::vector<std::int64_t> kAllocationWeights = {50, 30, 20};

// What a worker hands an operation for one call.
struct CallContext {
  settlement::Connection* conn;          // the worker's own connection; null when a driver runs the calls
  DriverClient* driver;                  // the worker's driver process; null for the built-in code
  settlement::Observer& observer;        // counts the statements of this call
  std::mt19937_64& rng;                  // the worker's seeded RNG
  const Targets& targets;
  int round;                             // race workload: the current round
  const std::string& key;                // an idempotency key unique to this call
  const settlement::RetryPolicy& retry;  // for operations that retry
  int worker = 0;                        // the worker's index in the case, from 0
  // What the call returned, when its operation reports it: the SAKA
  // wallet's id for saka_get_or_create_wallet (the race's returns check).
  std::optional<std::int64_t> returned_id;
  // An SQL operation's call: the values it drew, by slot (its params
  // first), valid until the worker's next call; null otherwise. The client
  // history records some of them (ArgRecorder).
  const std::vector<std::string>* drawn = nullptr;
};

// The arguments of one call of a built-in operation, as its row's `draw`
// picked them; which fields are set depends on the operation (its row's
// `args` names them). Plain values: drawing allocates nothing.
struct CallArgs {
  std::int64_t user_id = 0;
  std::int64_t project_id = 0;
  settlement::Cents amount = 0;
  const char* pledge_type = nullptr;
  const char* pocket = nullptr;
  const std::vector<std::int64_t>* weights = nullptr;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_OPERATIONS_CALL_H_
