#ifndef LEDGERSTRESS_MODEL_METRIC_CATALOG_H_
#define LEDGERSTRESS_MODEL_METRIC_CATALOG_H_

// Every metric of a case, one row each: its name, its kind (and so its
// unit), when a case has it, and whether `ledgerstress compare` compares
// it. Read by the scenario loader (which names a `thresholds` key may use
// and how its limit is written) and by the reports (what compare lists).
// Adding a metric: one row here and its value in metrics.cpp (MetricValue).
// Constant tables: readable from any thread.

#include <string>
#include <vector>

namespace ledgerstress {

// Kinds of metric and the unit their values are held in.
enum class MetricKind { kLatencyMs, kSeconds, kRatio, kCount };

// When a case has the metric.
enum class MetricWhen {
  kAlways,
  kCloseOperation,  // per operation: close_project_success only
  kOpenModel,       // the case has an arrival_rate (per operation: the ones it starts on schedule)
  kCloseWorkload,   // server figures: held to thresholds in the close workload; compared wherever measured
};

struct MetricRow {
  const char* name;    // after "<operation>." when per_operation; else the whole name
  bool per_operation;
  MetricKind kind;
  MetricWhen when;
  bool compared;       // listed by compare (AllMetrics)
};

const std::vector<MetricRow>& MetricRows();

// The kind of a metric named as the rows name them ("deposit.latency.p99",
// "server.max_lock_waiters"); kCount for a name no row has.
MetricKind KindOf(const std::string& metric);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_METRIC_CATALOG_H_
