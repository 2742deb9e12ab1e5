#ifndef LEDGERSTRESS_HARNESS_ENGINE_COUNTING_OBSERVER_H_
#define LEDGERSTRESS_HARNESS_ENGINE_COUNTING_OBSERVER_H_

// What the harness observes of one call (statements, attempts, backoffs);
// part of a worker, used on its thread only. Defined in call_stats.cpp.
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "harness/engine/outcome.h"
#include "harness/interrupt.h"
#include "settlement/observer.h"

namespace ledgerstress {

// Thrown into a call by its observer when the run is being stopped.
class StopRequested : public std::runtime_error {
 public:
  StopRequested() : std::runtime_error("stopped: the run was interrupted") {}
};

// The harness's settlement observer for one call: counts statements and
// round trips, attempts, and the backoffs it observed (timed from the
// backoff's start to the next attempt's start).
class CountingObserver final : public settlement::Observer {
 public:
  // With `stop`, a stop request aborts the call before its next statement
  // (StopRequested; the open transaction rolls back): a call made of many
  // short statements, like a per-escrow close, does not hold up Ctrl-C.
  explicit CountingObserver(const StopSource* stop = nullptr) : stop_(stop) {}

  void OnStatement(int round_trips) override {
    if (stop_ && stop_->stop_requested()) throw StopRequested();
    ++statements;
    this->round_trips += static_cast<std::uint64_t>(round_trips);
  }
  void OnAttempt(int attempt) override;
  void OnAttemptFailed(int attempt, const std::exception& error) override;
  void OnBackoff(std::chrono::milliseconds slept, bool transaction_open) override;
  void OnStatementsReported(std::uint64_t n) override {
    statements += n;
    round_trips += n;
  }
  void OnRetriesReported(int attempts_made, const std::vector<double>& backoffs, int in_transaction) override {
    attempts = attempts_made;
    backoffs_ms = backoffs;
    intended_ms = backoffs;
    sleeps_in_transaction = in_transaction;
    // A driver's word is all there is of its gaps; a retry it reports no
    // backoff for had none.
    gaps_ms = backoffs;
    if (attempts_made > 1) gaps_ms.resize(static_cast<std::size_t>(attempts_made - 1), 0.0);
  }

  std::uint64_t statements = 0;
  std::uint64_t round_trips = 0;
  int attempts = 0;
  std::vector<double> backoffs_ms;       // observed
  std::vector<double> intended_ms;       // what the retry loop asked for
  int sleeps_in_transaction = 0;
  std::vector<Outcome> failed_attempts;  // the class of each failed attempt, in order
  // Evidence that does not rest on what the code says of itself:
  // gaps_ms[k], the time from attempt k+1's failure to attempt k+2's start,
  // as this observer's clock saw it (a retry without a backoff shows a gap
  // of about 0 whatever OnBackoff said or did not say); and the retries
  // that followed an in-doubt attempt with no statement in between (the
  // outcome was not looked up by key before the work was done again).
  std::vector<double> gaps_ms;
  int unresolved_in_doubt_retries = 0;

 private:
  const StopSource* stop_;
  std::chrono::steady_clock::time_point backoff_start_;
  std::chrono::steady_clock::time_point failed_at_;
  bool in_doubt_pending_ = false;
  std::uint64_t statements_at_failure_ = 0;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_COUNTING_OBSERVER_H_
