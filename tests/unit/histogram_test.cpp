#include "harness/engine/histogram.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

// The exact order statistic the histogram approximates.
std::uint64_t Exact(std::vector<std::uint64_t> sorted, double q) {
  const std::size_t rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * sorted.size())));
  return sorted[rank - 1];
}

TEST(Histogram, BucketsTileTheRangeWithinOnePercent) {
  for (std::size_t i = 1; i < Histogram::BucketIndex(Histogram::kMaxValue) + 1; ++i) {
    ASSERT_EQ(Histogram::BucketLowest(i), Histogram::BucketHighest(i - 1) + 1) << "gap before bucket " << i;
    const double lo = static_cast<double>(Histogram::BucketLowest(i));
    const double width = static_cast<double>(Histogram::BucketHighest(i)) - lo + 1;
    // A bucket holds one exact value or is at most 1% of its lower bound wide.
    if (width > 1) ASSERT_LE(width / lo, 0.01) << "bucket " << i << " too wide";
  }
  for (std::uint64_t v : std::vector<std::uint64_t>{0, 255, 256, 1000, 123456789, Histogram::kMaxValue}) {
    const std::size_t i = Histogram::BucketIndex(v);
    EXPECT_LE(Histogram::BucketLowest(i), v);
    EXPECT_GE(Histogram::BucketHighest(i), v);
  }
}

TEST(Histogram, PercentilesMatchASortedReferenceWithinOnePercent) {
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> latency(13.0, 1.2);  // ~0.4 ms median, long tail, in ns
  Histogram h;
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 200000; ++i) {
    const auto v = static_cast<std::uint64_t>(latency(rng));
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    const double exact = static_cast<double>(Exact(values, q));
    const double got = static_cast<double>(h.ValueAtQuantile(q));
    EXPECT_NEAR(got, exact, exact * 0.01 + 1) << "q=" << q;
  }
  EXPECT_EQ(h.count(), values.size());
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.max(), values.back());
}

TEST(Histogram, MergeEqualsRecordingEverythingInOne) {
  Histogram a, b, all;
  for (std::uint64_t v = 1; v < 100000; v += 7) {
    (v % 2 ? a : b).Record(v * 13);
    all.Record(v * 13);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
  for (double q : {0.1, 0.5, 0.99}) EXPECT_EQ(a.ValueAtQuantile(q), all.ValueAtQuantile(q));
  EXPECT_EQ(a.NonEmptyBuckets(), all.NonEmptyBuckets());
}

TEST(Histogram, ClampsHugeValuesAndCountsThem) {
  Histogram h;
  h.Record(Histogram::kMaxValue * 4);
  EXPECT_EQ(h.clamped(), 1u);
  EXPECT_EQ(h.max(), Histogram::kMaxValue);
}

TEST(Histogram, EmptyHistogramReportsZeros) {
  Histogram h;
  EXPECT_EQ(h.ValueAtQuantile(0.99), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_TRUE(h.NonEmptyBuckets().empty());
}

}  // namespace
}  // namespace ledgerstress
