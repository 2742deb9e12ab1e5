#include "harness/engine/histogram.h"

#include <algorithm>
#include <cmath>

namespace ledgerstress {
namespace {

constexpr int kSubBits = 7;                          // 128 buckets per octave
constexpr std::uint64_t kLinearLimit = 1u << (kSubBits + 1);  // 256 exact values
constexpr std::size_t kBuckets =
    kLinearLimit + (Histogram::kMaxBits - kSubBits - 1) * (std::size_t{1} << kSubBits);

int HighestBit(std::uint64_t v) { return 63 - __builtin_clzll(v); }

}  // namespace

Histogram::Histogram() : counts_(kBuckets, 0) {}

std::size_t Histogram::BucketIndex(std::uint64_t value) {
  if (value < kLinearLimit) return static_cast<std::size_t>(value);
  const int shift = HighestBit(value) - kSubBits;  // >= 1
  const std::uint64_t top = value >> shift;        // in [128, 255]
  return kLinearLimit + static_cast<std::size_t>(shift - 1) * (1u << kSubBits) +
         static_cast<std::size_t>(top - (1u << kSubBits));
}

std::uint64_t Histogram::BucketLowest(std::size_t index) {
  if (index < kLinearLimit) return index;
  const std::size_t rel = index - kLinearLimit;
  const int shift = static_cast<int>(rel >> kSubBits) + 1;
  const std::uint64_t top = (rel & ((1u << kSubBits) - 1)) + (1u << kSubBits);
  return top << shift;
}

std::uint64_t Histogram::BucketHighest(std::size_t index) {
  if (index < kLinearLimit) return index;
  const int shift = static_cast<int>((index - kLinearLimit) >> kSubBits) + 1;
  return BucketLowest(index) + (std::uint64_t{1} << shift) - 1;
}

void Histogram::Record(std::uint64_t value) {
  if (value > kMaxValue) {
    value = kMaxValue;
    ++clamped_;
  }
  ++counts_[BucketIndex(value)];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::Merge(const Histogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  clamped_ += other.clamped_;
}

Histogram Histogram::FromBuckets(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& buckets,
                                 std::uint64_t min, std::uint64_t max, std::uint64_t sum, std::uint64_t clamped) {
  Histogram h;
  for (const auto& [value, n] : buckets) {
    h.counts_[BucketIndex(std::min(value, kMaxValue))] += n;
    h.count_ += n;
  }
  if (h.count_ == 0) return h;
  h.min_ = min;
  h.max_ = max;
  h.sum_ = sum;
  h.clamped_ = clamped;
  return h;
}

std::uint64_t Histogram::ValueAtQuantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const std::uint64_t rank =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(BucketHighest(i), min_, max_);
  }
  return max_;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> Histogram::NonEmptyBuckets() const {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    if (counts_[i]) out.emplace_back(BucketHighest(i), counts_[i]);
  }
  return out;
}

}  // namespace ledgerstress
