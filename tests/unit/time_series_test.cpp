#include "harness/engine/time_series.h"

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

TEST(SecondSeries, BucketsAreContiguousAndAtMostAQuarterWide) {
  for (int b = 1; b < SecondSeries::kBuckets - 1; ++b) {
    const std::uint64_t lo = SecondSeries::BucketHighest(b - 1) + 1, hi = SecondSeries::BucketHighest(b);
    ASSERT_EQ(SecondSeries::Bucket(lo), b);
    ASSERT_EQ(SecondSeries::Bucket(hi), b);
    ASSERT_LE(static_cast<double>(hi - lo + 1) / static_cast<double>(lo), 0.25 + 1e-9) << b;
  }
}

TEST(SecondSeries, CountsCallsAndErrorsPerSecondAndMerges) {
  SecondSeries a, b;
  for (int i = 0; i < 100; ++i) a.Record(0, 1000000, false);  // 1 ms
  a.Record(2, 50000000, true);                                 // 50 ms, an error, at t=2
  b.Record(2, 2000000, false);
  a.Merge(b);
  const auto points = a.Points();
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0].calls, 100u);
  EXPECT_NEAR(points[0].p99_ms, 1.0, 0.25);
  EXPECT_EQ(points[1].calls, 0u) << "a second with no call is still a point";
  EXPECT_EQ(points[2].calls, 2u);
  EXPECT_EQ(points[2].errors, 1u);
  EXPECT_NEAR(points[2].p99_ms, 50.0, 12.5);
}

}  // namespace
}  // namespace ledgerstress
