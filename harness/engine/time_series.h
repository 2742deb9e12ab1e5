#ifndef LEDGERSTRESS_HARNESS_ENGINE_TIME_SERIES_H_
#define LEDGERSTRESS_HARNESS_ENGINE_TIME_SERIES_H_

#include <array>
#include <cstdint>
#include <vector>

#include "reports/run_result.h"

namespace ledgerstress {

// Per-second figures of one operation: calls, errors and a coarse latency
// histogram per second (4 buckets per power of two: a bucket is at most 25%
// of its value wide; the exact, fine histogram covers the whole case). One
// per worker per operation, merged at the end. Memory grows by ~500 bytes per
// second of run that had calls. Not thread-safe.
class SecondSeries {
 public:
  static constexpr int kBuckets = 124;

  // Records a call that ended `second` seconds after the case's epoch.
  void Record(std::size_t second, std::uint64_t latency_ns, bool error);
  void Merge(const SecondSeries& other);

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
  std::vector<Second> seconds_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_TIME_SERIES_H_
