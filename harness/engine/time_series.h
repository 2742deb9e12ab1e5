#ifndef LEDGERSTRESS_HARNESS_ENGINE_TIME_SERIES_H_
#define LEDGERSTRESS_HARNESS_ENGINE_TIME_SERIES_H_

#include <array>
#include <cstdint>
#include <mutex>
#include <vector>

#include "model/run_result.h"

namespace ledgerstress {

// Per-second figures of one operation: calls, errors and a coarse latency
// histogram per second (4 buckets per power of two: a bucket is at most 25%
// of its value wide; the exact, fine histogram covers the whole case). It
// holds the seconds from its first recorded one to its last (~500 bytes
// each). Not thread-safe: a worker keeps the seconds in progress in its own
// and hands each finished second to the operation's SharedSecondSeries, so
// memory grows with the run's length once per operation, not per worker.
class SecondSeries {
 public:
  static constexpr int kBuckets = 124;

  // Records a call that ended `second` seconds after the case's epoch.
  void Record(std::size_t second, std::uint64_t latency_ns, bool error);
  void Merge(const SecondSeries& other);
  void Clear() { seconds_.clear(); }
  bool empty() const { return seconds_.empty(); }
  // The last second held (meaningful when not empty).
  std::size_t last_second() const { return first_ + seconds_.size() - 1; }

  // One point per second from 0 to the last second with a call.
  std::vector<SeriesPoint> Points() const;

  static int Bucket(std::uint64_t ns);
  static std::uint64_t BucketHighest(int bucket);

 private:
  struct Second {
    std::uint32_t calls = 0;
    std::uint32_t errors = 0;
    std::array<std::uint32_t, kBuckets> latency{};
  };
  std::size_t first_ = 0;  // the second seconds_[0] stands for
  std::vector<Second> seconds_;
};

// One operation's series for the whole case, fed by every worker once a
// second (a lock taken once per worker per second, never per call).
class SharedSecondSeries {
 public:
  void Add(const SecondSeries& s);
  // The series gathered so far; leaves this one empty.
  SecondSeries Take();

 private:
  std::mutex mu_;
  SecondSeries series_;  // GUARDED_BY(mu_)
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_TIME_SERIES_H_
