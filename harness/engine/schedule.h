#ifndef LEDGERSTRESS_HARNESS_ENGINE_SCHEDULE_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SCHEDULE_H_

// When a worker calls: its stop rule, the open model's arrivals, retries
// and duplicates. Set up by the main thread, copied into each worker.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "harness/engine/arrivals.h"
#include "harness/engine/duplicates.h"
#include "harness/engine/op_stats.h"
#include "harness/scenario/scenario.h"
#include "model/run_result.h"
#include "settlement/retry.h"

namespace ledgerstress {

// When a worker stops calling: after calls_per_worker calls, after
// `duration`, or (both zero) once *until becomes true. Per round. With
// `arrivals` (the open model), a call starts at its intended start, taken
// from the shared schedule when the worker is free, or is dropped when the
// worker is free only more than `max_start_delay` after it.
struct Schedule {
  std::int64_t calls_per_worker = 0;
  std::chrono::milliseconds duration{0};
  const std::atomic<bool>* until = nullptr;
  std::shared_ptr<ArrivalSchedule> arrivals;
  std::chrono::milliseconds max_start_delay{1000};
  int rounds = 1;
  std::chrono::steady_clock::time_point epoch;  // t = 0 of the per-second series
  settlement::RetryPolicy retry;                 // rng is filled in per worker
  // duplicate_rate: the share of calls (of operations the client history
  // tracks) sent twice, half by the same worker after the first returned,
  // half by its partner through `duplicates` at the same time.
  double duplicate_rate = 0;
  std::shared_ptr<DuplicateSlots> duplicates;
};

// The open model of `spec` (arrival_rate): sets schedule->arrivals (a
// schedule of its own, seeded from the case's seed and `stream`) and
// max_start_delay. Nothing when the case has no rate.
void SetArrivals(const CaseSpec& spec, std::uint64_t stream, Schedule* schedule);
// The case's arrivals: its rate, and the workers' schedule lags, started
// and dropped arrivals. rate_per_s 0 when the case has no rate.
ArrivalReport MergeArrivals(const CaseSpec& spec, const std::vector<const WorkerOutput*>& workers);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SCHEDULE_H_
