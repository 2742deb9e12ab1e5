#ifndef LEDGERSTRESS_BENCH_BENCH_CLUSTER_H_
#define LEDGERSTRESS_BENCH_BENCH_CLUSTER_H_

// The main() of the benchmarks that need a server: a throwaway embedded
// cluster for the whole binary, its startup time in the benchmark context.

#include <benchmark/benchmark.h>

#include <string>

#include "harness/pg/embedded_cluster.h"
#include "harness/pg/target.h"

namespace ledgerstress {

// Set before any benchmark runs.
extern Target g_target;

inline int BenchMainWithCluster(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  EmbeddedCluster::Options o;
  o.max_connections = 20;
  auto cluster = EmbeddedCluster::Start(o);
  g_target = Target{cluster->Dsn(), "embedded cluster"};
  benchmark::AddCustomContext("cluster_startup_s", std::to_string(cluster->startup_seconds()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_BENCH_BENCH_CLUSTER_H_
