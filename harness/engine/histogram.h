#ifndef LEDGERSTRESS_HARNESS_ENGINE_HISTOGRAM_H_
#define LEDGERSTRESS_HARNESS_ENGINE_HISTOGRAM_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace ledgerstress {

// A log-linear latency histogram in the manner of HdrHistogram: values below
// 256 are counted exactly; above, each power-of-two range is split into 128
// equal buckets, so a bucket is at most 1/128 (< 0.8%) of its lower bound
// wide. Values are non-negative integers (the engine records nanoseconds) up
// to 2^40 - 1 (about 18 minutes); larger values are clamped and counted.
//
// Memory is fixed at construction (about 36 KiB) and does not grow with the
// number of values. Not thread-safe: one per worker per operation, merged at
// the end with Merge().
class Histogram {
 public:
  static constexpr int kMaxBits = 40;
  static constexpr std::uint64_t kMaxValue = (std::uint64_t{1} << kMaxBits) - 1;

  Histogram();

  void Record(std::uint64_t value);
  // Adds every value recorded in `other` to this histogram.
  void Merge(const Histogram& other);

  // The histogram whose NonEmptyBuckets() are `buckets` (each bucket named
  // by any value in it, as NonEmptyBuckets gives them) with these min, max
  // and sum: what a report or another process keeps of one, rebuilt so
  // that Merge() adds bucket counts exactly. `clamped` values are counted
  // as such.
  static Histogram FromBuckets(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& buckets,
                               std::uint64_t min, std::uint64_t max, std::uint64_t sum, std::uint64_t clamped = 0);
  std::uint64_t sum() const { return sum_; }

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0; }
  std::uint64_t clamped() const { return clamped_; }

  // The value at quantile q in [0, 1]: the largest value of the bucket that
  // holds the ceil(q * count)-th smallest value, capped by max(). Within the
  // bucket width (< 0.8%) of the exact order statistic. 0 when empty.
  std::uint64_t ValueAtQuantile(double q) const;

  // Non-empty buckets as (highest value in bucket, count), ascending.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> NonEmptyBuckets() const;

  // Exposed for tests: the bucket index of a value and its value range.
  static std::size_t BucketIndex(std::uint64_t value);
  static std::uint64_t BucketLowest(std::size_t index);
  static std::uint64_t BucketHighest(std::size_t index);

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  std::uint64_t clamped_ = 0;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_HISTOGRAM_H_
