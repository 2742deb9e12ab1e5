#ifndef LEDGERSTRESS_HARNESS_ENGINE_OPERATIONS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_OPERATIONS_H_

#include <cstdint>
#include <functional>
#include <random>
#include <string>

#include <pqxx/connection>

#include "settlement/observer.h"

namespace ledgerstress {

// What a worker hands an operation for one call.
struct CallContext {
  pqxx::connection& conn;          // the worker's own connection
  settlement::Observer& observer;  // counts the statements of this call
  std::mt19937_64& rng;            // the worker's seeded RNG
  std::int64_t user_id;            // the user this call acts for
};

// One call of a settlement operation under a fixed strategy. Throws what the
// settlement code throws; the worker classifies it.
using OperationFn = std::function<void(CallContext&)>;

// Binds a catalog operation to its strategy. REQUIRES: both names were
// validated against the catalog (the scenario loader does this); throws
// std::invalid_argument otherwise.
OperationFn BindOperation(const std::string& operation, const std::string& strategy);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_OPERATIONS_H_
