#ifndef LEDGERSTRESS_SETTLEMENT_RETRY_H_
#define LEDGERSTRESS_SETTLEMENT_RETRY_H_

#include <chrono>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "settlement/connection.h"
#include "settlement/counted.h"
#include "settlement/observer.h"
#include "settlement/retry_strategy.h"

namespace settlement {


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
