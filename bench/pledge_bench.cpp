// One pledge_funds call's latency on an idle server, from one connection:
// what a worker's call costs when nothing contends (the floor under the
// p50 of the pledge workload), against a throwaway embedded cluster.
//
//   scripts/build.sh -DLEDGERSTRESS_BUILD_BENCHMARKS=ON
//   build/bench/pledge_bench
//
// BM_PledgeFunds/observer:0 runs with the no-op observer (the settlement
// library as a service links it), /observer:1 with the harness's counting
// observer (what the workers run). Counter: statements per call. Wall time:
// the work is in the server. Debian's libbenchmark is built without NDEBUG
// and warns so; that affects its own bookkeeping between iterations, not the
// calls being timed.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <pqxx/pqxx>

#include "bench/bench_cluster.h"
#include "harness/engine/fixtures.h"
#include "harness/engine/worker.h"
#include "settlement/ledger.h"

namespace ledgerstress {
namespace {

void BM_PledgeFunds(benchmark::State& state) {
  const std::string schema = "ls_bench_pledge_" + std::to_string(getpid()) + "_" + std::to_string(state.range(0));
  auto conn = Connect(g_target, SessionSettings::Named("ledgerstress/bench", schema));
  CreateFixture(*conn, FixtureSpec{schema, {}, 0});
  const CloseFixture fx = CreateCloseFixture(*conn, schema, CloseFixtureSpec{0, 0, 1000, 42});
  settlement::NoopObserver noop;
  CountingObserver counting;
  settlement::Observer& obs = state.range(0) ? static_cast<settlement::Observer&>(counting) : noop;
  std::uint64_t n = 0;
  std::string key;
  for (auto _ : state) {
    key = "bench-" + std::to_string(n);
    settlement::PledgeFunds(*conn, fx.donor_first_user + static_cast<std::int64_t>(n % 1000), fx.background_project,
                            100, "DONATION", key, obs);
    ++n;
  }
  if (state.range(0) && n) state.counters["statements"] = static_cast<double>(counting.statements) / static_cast<double>(n);
  state.SetItemsProcessed(state.iterations());
  DropSchema(*conn, schema);
}
BENCHMARK(BM_PledgeFunds)->ArgName("observer")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(2.0);

}  // namespace

Target g_target;

}  // namespace ledgerstress

int main(int argc, char** argv) { return ledgerstress::BenchMainWithCluster(argc, argv); }
