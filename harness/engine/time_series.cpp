#include "harness/engine/time_series.h"

#include <algorithm>
#include <cmath>

namespace ledgerstress {

int SecondSeries::Bucket(std::uint64_t ns) {
  if (ns < 1024) return 0;
  const int msb = 63 - __builtin_clzll(ns);  // >= 10
  const int sub = static_cast<int>((ns >> (msb - 2)) & 3);
  return std::min(kBuckets - 1, 1 + (msb - 10) * 4 + sub);
}

std::uint64_t SecondSeries::BucketHighest(int bucket) {
  if (bucket == 0) return 1023;
  const int msb = (bucket - 1) / 4 + 10;
  const int sub = (bucket - 1) % 4;
  return ((static_cast<std::uint64_t>(4 + sub + 1)) << (msb - 2)) - 1;
}

void SecondSeries::Record(std::size_t second, std::uint64_t latency_ns, bool error) {
  if (seconds_.empty()) first_ = second;
  if (second < first_) {  // cannot happen for one worker's calls; keep it correct anyway
    seconds_.insert(seconds_.begin(), first_ - second, Second{});
    first_ = second;
  }
  if (second - first_ >= seconds_.size()) seconds_.resize(second - first_ + 1);
  Second& s = seconds_[second - first_];
  ++s.calls;
  if (error) ++s.errors;
  ++s.latency[static_cast<std::size_t>(Bucket(latency_ns))];
}

void SecondSeries::Merge(const SecondSeries& other) {
  if (other.seconds_.empty()) return;
  if (seconds_.empty()) first_ = other.first_;
  if (other.first_ < first_) {
    seconds_.insert(seconds_.begin(), first_ - other.first_, Second{});
    first_ = other.first_;
  }
  const std::size_t offset = other.first_ - first_;
  if (offset + other.seconds_.size() > seconds_.size()) seconds_.resize(offset + other.seconds_.size());
  for (std::size_t i = 0; i < other.seconds_.size(); ++i) {
    Second& s = seconds_[offset + i];
    const Second& o = other.seconds_[i];
    s.calls += o.calls;
    s.errors += o.errors;
    for (int b = 0; b < kBuckets; ++b) s.latency[b] += o.latency[b];
  }
}

std::vector<SeriesPoint> SecondSeries::Points() const {
  std::vector<SeriesPoint> out;
  for (std::size_t t = 0; t < first_ && !seconds_.empty(); ++t) out.push_back(SeriesPoint{static_cast<double>(t)});
  for (std::size_t i = 0; i < seconds_.size(); ++i) {
    const Second& s = seconds_[i];
    SeriesPoint p;
    p.t_s = static_cast<double>(first_ + i);
    p.calls = s.calls;
    p.errors = s.errors;
    auto quantile = [&](double q) {
      if (s.calls == 0) return 0.0;
      const auto rank = static_cast<std::uint32_t>(std::max(1.0, std::ceil(q * s.calls)));
      std::uint32_t seen = 0;
      for (int b = 0; b < kBuckets; ++b) {
        seen += s.latency[static_cast<std::size_t>(b)];
        if (seen >= rank) return static_cast<double>(BucketHighest(b)) / 1e6;
      }
      return 0.0;
    };
    p.p50_ms = quantile(0.5);
    p.p99_ms = quantile(0.99);
    out.push_back(p);
  }
  return out;
}

void SharedSecondSeries::Add(const SecondSeries& s) {
  std::lock_guard<std::mutex> lock(mu_);
  series_.Merge(s);
}

SecondSeries SharedSecondSeries::Take() {
  std::lock_guard<std::mutex> lock(mu_);
  SecondSeries out = std::move(series_);
  series_ = SecondSeries();
  return out;
}

}  // namespace ledgerstress
