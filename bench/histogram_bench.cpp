// The latency histogram's hot paths: Record (every call of every worker) and
// Merge (once per worker per operation at the end of a case).
//   build/bench/histogram_bench
#include <benchmark/benchmark.h>

#include <random>

#include "harness/engine/histogram.h"

namespace ledgerstress {
namespace {

void BM_HistogramRecord(benchmark::State& state) {
  Histogram h;
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> latency(13.0, 1.2);
  std::vector<std::uint64_t> values(4096);
  for (auto& v : values) v = static_cast<std::uint64_t>(latency(rng));
  std::size_t i = 0;
  for (auto _ : state) {
    h.Record(values[i++ & 4095]);
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord);

void BM_HistogramMerge(benchmark::State& state) {
  Histogram a, b;
  for (std::uint64_t v = 1; v < 1000000; v += 97) b.Record(v * 1000);
  for (auto _ : state) a.Merge(b);
  benchmark::DoNotOptimize(a.count());
}
BENCHMARK(BM_HistogramMerge);

}  // namespace
}  // namespace ledgerstress
