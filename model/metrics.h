#ifndef LEDGERSTRESS_MODEL_METRICS_H_
#define LEDGERSTRESS_MODEL_METRICS_H_

#include <string>
#include <utility>
#include <vector>

#include "model/run_result.h"

namespace ledgerstress {

// The value of a named metric of a finished case (names as in threshold.h:
// "pledge_funds.latency.p99" in ms from each call's actual start,
// "pledge_funds.corrected.p99" in ms from its intended start (open model),
// "close_project_success.duration" in seconds, "deposit.error_rate" as a
// ratio, "deposit.statements" per call, "server.max_lock_waiters",
// "arrivals.dropped", "arrivals.dropped_ratio", "arrivals.lag.p99" in ms...).
// Returns false with *why set when the case has no such figure (an
// operation that made no call, a server figure that was not measured).
bool MetricValue(const CaseResult& c, const std::string& metric, double* out, std::string* why);

// A case's calls and errors over all its operations, and the largest p50
// and p99 among them: the one-line view of a case in every summary.
struct CaseTotals {
  std::uint64_t calls = 0;
  std::uint64_t ok = 0;
  std::uint64_t no_effect = 0;
  std::uint64_t expected = 0;
  std::uint64_t in_doubt = 0;
  std::uint64_t errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  bool timed = false;  // some call was timed (the explorer times none): the percentiles mean something
};
CaseTotals TotalsOf(const CaseResult& c);

// The open model of a case in one sentence ("" for a closed loop): the
// rate, the calls started and dropped, the schedule lag, and per
// operation the p99 from the intended start beside the p99 from the
// actual start.
std::string ArrivalsLine(const CaseResult& c);

// Every metric the case has a value for, in a stable order: what
// `ledgerstress compare` compares.
std::vector<std::pair<std::string, double>> AllMetrics(const CaseResult& c);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_METRICS_H_
