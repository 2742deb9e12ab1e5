#ifndef LEDGERSTRESS_HARNESS_ENGINE_OP_STATS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_OP_STATS_H_

// The figures a worker keeps of its calls, and their merge into the report
// once the workers have joined. Each worker owns its own until join.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/engine/bound_op.h"
#include "harness/engine/counting_observer.h"
#include "harness/engine/histogram.h"
#include "harness/engine/outcome.h"
#include "harness/engine/time_series.h"
#include "harness/invariants/client_history.h"
#include "model/run_result.h"

namespace ledgerstress {

// Adds `s` to `samples` unless it is there already or 5 are kept.
void AddErrorSample(std::vector<std::string>* samples, const std::string& s);

// One worker's figures for one operation. Owned by its worker until join.
struct OpStats {
  Histogram latency_ns;    // from the call's actual start (service time)
  Histogram corrected_ns;  // open model only: from its intended start
  std::array<std::uint64_t, kOutcomeCount> outcomes{};
  std::uint64_t statements = 0;
  std::uint64_t round_trips = 0;
  std::vector<std::string> error_samples;  // first few distinct errors
  SecondSeries per_second;  // the seconds not yet handed to the operation's SharedSecondSeries
  std::array<std::uint64_t, 12> attempts{};  // calls by attempts made (index 0: no retry loop)
  std::vector<std::string> backoff_samples;  // first few sequences with a backoff
  std::uint64_t sleeps_in_transaction = 0;
  int max_attempts_seen = 0;
  std::array<std::uint64_t, kOutcomeCount> failed_attempts{};  // failed attempts by error class
  // Backoffs outside [0.5, 1] x the schedule (+ scheduling slack): the
  // retry check's evidence.
  std::uint64_t off_schedule_backoffs = 0;
  // Retries that came sooner than half their scheduled backoff after the
  // failure (CountingObserver::gaps_ms), and retries of an in-doubt attempt
  // not first resolved by key.
  std::uint64_t retries_without_backoff = 0;
  std::uint64_t unresolved_in_doubt_retries = 0;

  // Adds one finished call, which ended `since_epoch` after the case's
  // workers were started.
  // `shared`, when given, receives per_second's finished seconds.
  void Record(std::chrono::nanoseconds latency, const Classified* error, std::uint64_t statements,
              std::uint64_t round_trips, std::chrono::steady_clock::duration since_epoch,
              SharedSecondSeries* shared = nullptr);
  // Adds what the call's observer saw of its retries.
  void RecordRetries(const CountingObserver& obs, std::chrono::milliseconds base_delay);
};

// Everything one worker thread owns; read by the main thread after join.
struct WorkerOutput {
  std::vector<OpStats> ops;  // parallel to the case's BoundOps
  // What the worker saw of call n (key = the worker's key prefix + n),
  // and its recorded arguments (as ClientHistory::Log's args, args_end).
  std::vector<std::uint8_t> history;
  std::string history_args;
  std::vector<std::uint32_t> history_args_end;
  // The first call's start and the last call's end (epoch when no call ran):
  // the workers' running time excludes connecting and joining.
  std::chrono::steady_clock::time_point first_call, last_return;
  int rounds_done = 0;
  // When the barrier released this worker into each round (wall clock, so
  // that the shards of a sharded run can be compared on one machine).
  std::vector<std::int64_t> round_starts_unix_ns;
  int reconnects = 0;  // after a broken connection
  // Open model: each started call's schedule lag (actual start - intended
  // start), and the arrivals this worker dropped (lag past max_start_delay).
  Histogram lag_ns;
  std::uint64_t dropped = 0;
  std::string fatal;  // why this worker stopped early, if it did
  // Calls this worker sent under a key already used (duplicate_rate): a
  // re-send of its own call, or its partner's call sent at the same time.
  std::vector<ClientHistory::Duplicate> duplicates;
  // Race workload: (user, wallet id) of each call whose code reported it.
  std::vector<ClientHistory::Return> returns;
};

// Merges the workers' per-operation figures into report entries.
std::vector<OperationResult> MergeOperations(const std::vector<BoundOp>& ops,
                                             const std::vector<const WorkerOutput*>& workers);
// The latency quantiles of a histogram, in ms.
LatencySummary Summarize(const Histogram& h);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_OP_STATS_H_
