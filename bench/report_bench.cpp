// Writing the reports of a large run: every format rendered from one
// RunResult of 20 cases (as `run --repeat 5` of a 4-case scenario), each with
// 4 operations of 600 one-second points and ~900 histogram buckets, a server
// series of 2,000 samples and 8 invariants with 10 sample rows. CPU only.
//
//   build/bench/report_bench
#include <benchmark/benchmark.h>

#include <functional>

#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_report.h"

namespace ledgerstress {
namespace {

RunResult LargeRun() {
  RunResult run;
  run.run_id = "bench";
  run.scenario_name = "large";
  run.verdict = Verdict::kPass;
  for (int c = 0; c < 20; ++c) {
    CaseResult cr;
    cr.name = "case_" + std::to_string(c % 4);
    cr.repetition = c / 4 + 1;
    cr.repetitions = 5;
    cr.verdict = Verdict::kPass;
    cr.expect = "pass";
    for (const char* name : {"pledge_funds", "deposit", "transfer_to_pocket", "close_project_success"}) {
      OperationResult op;
      op.name = name;
      op.strategy = "default";
      op.calls = 600000;
      op.outcomes["ok"] = 600000;
      op.latency.count = 600000;
      op.latency.p50_ms = 1.2;
      op.latency.p99_ms = 9.5;
      for (int b = 0; b < 900; ++b) op.latency.buckets.emplace_back(0.01 * (1 + b * 1.05), 100 + b);
      for (int t = 0; t < 600; ++t) op.series.push_back(SeriesPoint{double(t), 1000, 0, 1.2, 9.5});
      cr.operations.push_back(std::move(op));
    }
    cr.server.sampled = true;
    for (int t = 0; t < 2000; ++t) cr.server.series.push_back(ServerSample{t * 0.3, 100, 10, 2, 0});
    for (int i = 0; i < 8; ++i) {
      InvariantResult inv;
      inv.name = "invariant_" + std::to_string(i);
      inv.status = i ? "held" : "violated";
      inv.message = "a message with <html> & \"quotes\"";
      inv.sample_columns = {"id", "amount", "status"};
      for (int r = 0; r < 10; ++r) inv.samples.push_back({std::to_string(r), "12.34", "LOCKED"});
      cr.invariants.push_back(std::move(inv));
    }
    run.cases.push_back(std::move(cr));
  }
  return run;
}

void BM_Render(benchmark::State& state, const std::function<std::string(const RunResult&)>& render) {
  const RunResult run = LargeRun();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string out = render(run);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK_CAPTURE(BM_Render, json, RenderJsonReport)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Render, html, RenderHtmlReport)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Render, junit, RenderJunitReport)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Render, markdown, [](const RunResult& r) { return RenderMarkdownReport(r); })->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ledgerstress

BENCHMARK_MAIN();
