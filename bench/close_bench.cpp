// The close of a project per strategy, against a throwaway embedded cluster
// (targets: keyset <= 1.5 x set_based at 5,000 escrows, rows locked at
// once <= release_batch_size).
//
//   scripts/build.sh -DLEDGERSTRESS_BUILD_BENCHMARKS=ON
//   build/bench/close_bench --benchmark_filter='Close/(keyset|set_based)/5000'
//
// Arguments: strategy index, escrows, release_batch_size. Each iteration
// closes a fresh project (fixture built with timing paused). Counters:
// statements per close, and max_rows_locked: the escrow rows held locked at
// once, counted exactly by probing pgrowlocks before each statement of one
// extra, untimed close. Wall time (UseRealTime): the work is in the server.
// Debian's libbenchmark is built without NDEBUG and warns so; that affects
// its own bookkeeping between iterations, not the closes being timed.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <pqxx/pqxx>

#include "bench/bench_cluster.h"
#include "harness/engine/fixtures.h"
#include "harness/engine/worker.h"
#include "harness/pg/embedded_cluster.h"
#include "harness/pg/target.h"
#include "settlement/close_project.h"
#include "settlement/connection.h"

namespace ledgerstress {
namespace {

int g_schema_counter = 0;

const settlement::CloseStrategy kStrategies[] = {settlement::CloseStrategy::kPerEscrow,
                                                 settlement::CloseStrategy::kBatched,
                                                 settlement::CloseStrategy::kKeyset,
                                                 settlement::CloseStrategy::kSetBased};

struct Project {
  std::string schema;
  std::unique_ptr<settlement::Connection> conn;
  std::int64_t id;
};

Project MakeProject(int escrows) {
  Project p;
  p.schema = "ls_bench_" + std::to_string(getpid()) + "_" + std::to_string(g_schema_counter++);
  p.conn = Connect(g_target, SessionSettings::Named("ledgerstress/bench", p.schema));
  CreateFixture(*p.conn, FixtureSpec{p.schema, {}, 0});
  p.id = CreateCloseFixture(*p.conn, p.schema, CloseFixtureSpec{1, escrows, 500, 42}).project_ids[0];
  return p;
}

class LockProbe : public settlement::Observer {
 public:
  explicit LockProbe(const std::string& schema)
      : conn_(Connect(g_target, SessionSettings::Named("ledgerstress/bench-probe"))),
        relation_(schema + ".escrow_contract") {}
  void OnStatement(int) override {
    pqxx::nontransaction tx(*conn_);
    max_locked = std::max(max_locked,
                          tx.exec1("SELECT count(*) FROM public.pgrowlocks(" + tx.quote(relation_) + ")")[0]
                              .as<std::int64_t>());
  }
  std::int64_t max_locked = 0;

 private:
  std::unique_ptr<settlement::Connection> conn_;
  std::string relation_;
};

void BM_Close(benchmark::State& state) {
  const auto strategy = kStrategies[state.range(0)];
  const int escrows = static_cast<int>(state.range(1));
  settlement::CloseParams params;
  params.release_batch_size = static_cast<int>(state.range(2));
  params.max_escrows_per_close = escrows;  // time the whole close, even for batched
  std::uint64_t statements = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Project p = MakeProject(escrows);
    CountingObserver obs;
    state.ResumeTiming();
    settlement::CloseProjectSuccess(*p.conn, p.id, strategy, params, obs);
    state.PauseTiming();
    statements = obs.statements;
    DropSchema(*p.conn, p.schema);
    state.ResumeTiming();
  }
  Project p = MakeProject(escrows);
  LockProbe probe(p.schema);
  settlement::CloseProjectSuccess(*p.conn, p.id, strategy, params, probe);
  DropSchema(*p.conn, p.schema);
  state.counters["statements"] = static_cast<double>(statements);
  state.counters["max_rows_locked"] = static_cast<double>(probe.max_locked);
  state.SetLabel(settlement::CloseStrategyName(strategy));
}

void CloseArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"strategy", "escrows", "batch"});
  for (int s = 0; s < 4; ++s) {
    for (int batch : {100, 500}) b->Args({s, 5000, batch});
  }
}
BENCHMARK(BM_Close)->Apply(CloseArgs)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

}  // namespace
}  // namespace ledgerstress

namespace ledgerstress {
Target g_target;
}  // namespace ledgerstress

int main(int argc, char** argv) { return ledgerstress::BenchMainWithCluster(argc, argv); }
