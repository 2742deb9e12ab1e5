// The one table of metrics: each name has its row's kind, and every metric
// compare lists is one a threshold may name (the two lists cannot drift).
#include "model/metric_catalog.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "harness/scenario/threshold.h"
#include "model/metrics.h"

namespace ledgerstress {
namespace {

TEST(MetricCatalog, EveryRowsNameHasTheRowsKind) {
  for (const MetricRow& r : MetricRows()) {
    const std::string name = r.per_operation ? std::string("deposit.") + r.name : r.name;
    EXPECT_EQ(KindOf(name), r.kind) << name;
  }
  EXPECT_EQ(KindOf("deposit.latency.p99"), MetricKind::kLatencyMs);
  EXPECT_EQ(KindOf("close_project_success.duration"), MetricKind::kSeconds);
  EXPECT_EQ(KindOf("arrivals.dropped_ratio"), MetricKind::kRatio);
  EXPECT_EQ(KindOf("arrivals.lag.p99"), MetricKind::kLatencyMs);
  EXPECT_EQ(KindOf("server.max_lock_waiters"), MetricKind::kCount);
}

TEST(MetricCatalog, WhatCompareListsIsWhatAThresholdMayName) {
  CaseResult c;
  c.arrivals.rate_per_s = 100;
  c.arrivals.started = 10;
  c.server.sampled = true;
  c.server.max_escrow_rows_locked = 3;
  c.server.max_wallet_rows_locked = 2;
  c.server.max_lock_waiters = 1;
  OperationResult op;
  op.name = "deposit";
  op.calls = 10;
  op.open_model = true;
  c.operations.push_back(op);
  const std::vector<std::string> known = KnownMetrics({"deposit"}, /*close_workload=*/true, /*open_model=*/true);
  const auto listed = AllMetrics(c);
  EXPECT_GT(listed.size(), 10u);
  for (const auto& [name, value] : listed) {
    EXPECT_NE(std::find(known.begin(), known.end(), name), known.end()) << name << " is compared but no threshold may name it";
  }
  // A closed loop has no corrected latencies and no arrivals to hold to a limit.
  const std::vector<std::string> closed = KnownMetrics({"deposit"}, false, false);
  EXPECT_EQ(std::find(closed.begin(), closed.end(), "deposit.corrected.p99"), closed.end());
  EXPECT_EQ(std::find(closed.begin(), closed.end(), "arrivals.dropped"), closed.end());
  EXPECT_EQ(std::find(closed.begin(), closed.end(), "server.max_lock_waiters"), closed.end());
}

}  // namespace
}  // namespace ledgerstress
