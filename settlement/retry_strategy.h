#ifndef LEDGERSTRESS_SETTLEMENT_RETRY_STRATEGY_H_
#define LEDGERSTRESS_SETTLEMENT_RETRY_STRATEGY_H_

// The retry strategies and their names, apart from the retry loop
// (settlement/retry.h) so that a scenario can hold one without the database.

#include <string>
#include <vector>

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
// Every strategy's name, in the order of the enum.
const std::vector<std::string>& RetryStrategyNames();

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_RETRY_STRATEGY_H_
