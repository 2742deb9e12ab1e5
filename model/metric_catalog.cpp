#include "model/metric_catalog.h"

namespace ledgerstress {

const std::vector<MetricRow>& MetricRows() {
  using K = MetricKind;
  using W = MetricWhen;
  static const std::vector<MetricRow> kRows = {
      {"latency.p50", true, K::kLatencyMs, W::kAlways, true},
      {"latency.p90", true, K::kLatencyMs, W::kAlways, true},
      {"latency.p99", true, K::kLatencyMs, W::kAlways, true},
      {"latency.p999", true, K::kLatencyMs, W::kAlways, false},
      {"latency.max", true, K::kLatencyMs, W::kAlways, true},
      {"latency.mean", true, K::kLatencyMs, W::kAlways, true},
      {"corrected.p50", true, K::kLatencyMs, W::kOpenModel, true},
      {"corrected.p90", true, K::kLatencyMs, W::kOpenModel, true},
      {"corrected.p99", true, K::kLatencyMs, W::kOpenModel, true},
      {"corrected.p999", true, K::kLatencyMs, W::kOpenModel, false},
      {"corrected.max", true, K::kLatencyMs, W::kOpenModel, true},
      {"corrected.mean", true, K::kLatencyMs, W::kOpenModel, false},
      {"error_rate", true, K::kRatio, W::kAlways, true},
      {"calls", true, K::kCount, W::kAlways, true},
      {"statements", true, K::kCount, W::kAlways, true},
      {"duration", true, K::kSeconds, W::kCloseOperation, true},
      {"server.max_escrow_rows_locked", false, K::kCount, W::kCloseWorkload, true},
      {"server.max_wallet_rows_locked", false, K::kCount, W::kCloseWorkload, true},
      {"server.max_lock_waiters", false, K::kCount, W::kCloseWorkload, true},
      {"arrivals.dropped", false, K::kCount, W::kOpenModel, true},
      {"arrivals.dropped_ratio", false, K::kRatio, W::kOpenModel, true},
      {"arrivals.started", false, K::kCount, W::kOpenModel, false},
      {"arrivals.lag.p50", false, K::kLatencyMs, W::kOpenModel, false},
      {"arrivals.lag.p90", false, K::kLatencyMs, W::kOpenModel, false},
      {"arrivals.lag.p99", false, K::kLatencyMs, W::kOpenModel, true},
      {"arrivals.lag.p999", false, K::kLatencyMs, W::kOpenModel, false},
      {"arrivals.lag.max", false, K::kLatencyMs, W::kOpenModel, true},
      {"arrivals.lag.mean", false, K::kLatencyMs, W::kOpenModel, false},
  };
  return kRows;
}

MetricKind KindOf(const std::string& metric) {
  for (const MetricRow& r : MetricRows()) {
    if (!r.per_operation && metric == r.name) return r.kind;
  }
  for (const MetricRow& r : MetricRows()) {
    const std::string suffix = std::string(".") + r.name;
    if (r.per_operation && metric.size() > suffix.size() &&
        metric.compare(metric.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return r.kind;
    }
  }
  return MetricKind::kCount;
}

}  // namespace ledgerstress
