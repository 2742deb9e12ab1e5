#ifndef LEDGERSTRESS_HARNESS_SCENARIO_THRESHOLD_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_THRESHOLD_H_

#include <string>
#include <vector>

#include "model/metric_catalog.h"

namespace ledgerstress {

// A limit on a metric of a case, from the scenario's `thresholds` table:
//   thresholds."pledge_funds.latency.p99" = "< 50ms"
//   thresholds."pledge_funds.error_rate" = "< 1%"
//   thresholds."close_project_success.duration" = "< 2s"
//   thresholds."server.max_escrow_rows_locked" = "<= 100"
// A crossed threshold fails the case whatever it expects.
struct Threshold {
  std::string metric;  // as written
  std::string op;      // "<", "<=", ">", ">="
  double limit = 0;    // in the metric's unit: ms, seconds, a ratio 0..1, or a count
  std::string text;    // the limit as written ("< 50ms"), for reports
};

// The metrics a case can be held to (model/metric_catalog.h's rows): per operation `<op>.latency.{p50,p90,
// p99,p999,max,mean}`, `<op>.error_rate`, `<op>.calls`, `<op>.statements`
// (per call);
// for close_project_success also `.duration` (the close phase); in the close
// workload `server.max_escrow_rows_locked`, `server.max_wallet_rows_locked`,
// `server.max_lock_waiters`; with an arrival_rate `<op>.corrected.*` (from
// the intended start) and `arrivals.{dropped,dropped_ratio,started,lag.*}`.
// `operations` are the case's operations.
// `open_model`: the case has an arrival_rate (corrected latencies and the
// arrivals' figures exist).
std::vector<std::string> KnownMetrics(const std::vector<std::string>& operations, bool close_workload,
                                      bool open_model = false);

// Parses "< 50ms", ">= 3", "< 1%" for a metric of `kind`. Returns false with
// *error set ("expected a duration such as '< 50ms'") on a bad value.
bool ParseThreshold(const std::string& metric, MetricKind kind, const std::string& text, Threshold* out,
                    std::string* error);

// Whether `value` satisfies the threshold.
bool ThresholdHolds(const Threshold& t, double value);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_THRESHOLD_H_
