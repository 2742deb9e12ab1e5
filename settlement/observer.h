#ifndef LEDGERSTRESS_SETTLEMENT_OBSERVER_H_
#define LEDGERSTRESS_SETTLEMENT_OBSERVER_H_

#include <chrono>
#include <cstdint>
#include <vector>
#include <exception>

namespace settlement {

// What the settlement code reports about its own work. The harness installs
// an implementation that counts; production code passes NoopObserver.
//
// Thread safety: an observer is used by one connection's calls at a time
// (one per worker), so implementations need no locking of their own.
class Observer {
 public:
  virtual ~Observer() = default;

  // One SQL statement sent to the server (BEGIN, COMMIT and SAVEPOINT
  // included), costing round_trips client/server exchanges.
  virtual void OnStatement(int round_trips) {}

  // Attempt `attempt` (1-based) of a call under a retry strategy begins.
  virtual void OnAttempt(int attempt) {}

  // Attempt `attempt` failed with `error` (the retry loop decides next
  // whether to try again). The observer may classify it; it must not throw.
  virtual void OnAttemptFailed(int attempt, const std::exception& error) {}

  // The retry loop slept `slept` before the next attempt; `transaction_open`
  // says whether a transaction (and its locks) was held while sleeping.
  virtual void OnBackoff(std::chrono::milliseconds slept, bool transaction_open) {}
  // Code that ran outside this process (a driver) reports what it did, after
  // the call: its statements, its attempts (0: not reported), the sleeps
  // between them in ms, and how many of those sleeps held a transaction open.
  virtual void OnStatementsReported(std::uint64_t statements) {}
  virtual void OnRetriesReported(int attempts, const std::vector<double>& backoffs_ms, int sleeps_in_transaction) {}
};

// An observer that ignores everything.
class NoopObserver final : public Observer {};

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_OBSERVER_H_
