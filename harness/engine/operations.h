#ifndef LEDGERSTRESS_HARNESS_ENGINE_OPERATIONS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_OPERATIONS_H_

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "settlement/connection.h"
#include "settlement/observer.h"
#include "settlement/retry.h"

namespace ledgerstress {

// The rows of a case's fixture that operations pick their arguments from.
struct Targets {
  // Race workload: round r's users are race_first_user + r * users_per_round
  // + [0, users_per_round).
  std::int64_t race_first_user = 0;
  int users_per_round = 1;
  // Close workload: donors are donor_first_user + [0, donors); deposits also
  // go to the owners of the projects being closed (their wallets are what
  // a close locks); pledges go to background_project.
  std::int64_t donor_first_user = 0;
  int donors = 0;
  std::vector<std::int64_t> owner_users;
  std::int64_t background_project = 0;
};

// What a worker hands an operation for one call.
struct CallContext {
  settlement::Connection& conn;          // the worker's own connection
  settlement::Observer& observer;  // counts the statements of this call
  std::mt19937_64& rng;            // the worker's seeded RNG
  const Targets& targets;
  int round;                       // race workload: the current round
  const std::string& key;          // an idempotency key unique to this call
  const settlement::RetryPolicy& retry;  // for operations that retry
};

// One call of a settlement operation under a fixed strategy. Throws what the
// settlement code throws; the worker classifies it. Operations that write
// under the call's idempotency key (pledge_funds, deposit) are recorded in
// the client history.
using OperationFn = std::function<void(CallContext&)>;

// Binds a catalog operation to its strategy. REQUIRES: both names were
// validated against the catalog (the scenario loader does this); throws
// std::invalid_argument otherwise. close_project_success is not bound here:
// the close workload calls it itself.
OperationFn BindOperation(const std::string& operation, const std::string& strategy);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_OPERATIONS_H_
