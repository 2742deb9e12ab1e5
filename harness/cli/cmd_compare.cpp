// `ledgerstress compare BASE.json HEAD.json`: what changed between two runs,
// and whether it is a regression worth failing a build for.
#include <cstdio>
#include <optional>

#include "harness/cli/common.h"
#include "harness/cli/options.h"
#include "harness/errors.h"
#include "reports/benchmark_reader.h"
#include "reports/compare.h"
#include "reports/report_reader.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {
namespace {

// Reads both files (two ledgerstress reports, or two Google Benchmark JSON
// files) and compares them; an exit code when they cannot be read.
std::optional<int> CompareFiles(const std::string& base_path, const std::string& head_path, const CompareOptions& o,
                                Comparison* c) {
  std::string error;
  const bool bench0 = IsBenchmarkJson(base_path), bench1 = IsBenchmarkJson(head_path);
  if (bench0 != bench1) {
    return Error(kExitUsage, (bench0 ? base_path : head_path) + " is Google Benchmark JSON and " +
                                 (bench0 ? head_path : base_path) + " is not: compare two of a kind");
  }
  if (bench0) {
    MetricSamples base, head;
    if (!ReadBenchmarkFile(base_path, &base, &error) || !ReadBenchmarkFile(head_path, &head, &error)) {
      return Error(kExitUsage, error);
    }
    *c = CompareSamples(base, head, o);
  } else {
    RunResult base, head;
    if (!ReadReportFile(base_path, &base, &error) || !ReadReportFile(head_path, &head, &error)) {
      return Error(kExitUsage, error);
    }
    *c = CompareRuns(base, head, o);
  }
  return std::nullopt;
}

}  // namespace

int CompareCommand(const Invocation& inv) {
  po::options_description opts("options");
  std::vector<std::string> files, fail_on;
  std::string format;
  double alpha = 0.05;
  opts.add_options()("report", po::value(&files), "BASE.json HEAD.json (positional)")(
      "fail-on", po::value(&fail_on)->composing(),
      "PATTERN:+PCT: exit 1 when a metric matching PATTERN (glob on the metric or case/metric) got worse by "
      "more than PCT%, significantly or untestably (repeatable)")(
      "alpha", po::value(&alpha)->default_value(0.05, "0.05"), "significance level of the Mann-Whitney U test")(
      "format", po::value(&format)->default_value("text"), "text | md | json");
  po::positional_options_description pos;
  pos.add("report", 2);
  po::variables_map vm;
  if (auto code = ParseArgs(inv.args, opts, pos,
                            "usage: ledgerstress compare BASE.json HEAD.json [--fail-on PATTERN:+PCT]...\n\n"
                            "Matches cases and metrics by name and prints base, head, change and significance.\n"
                            "With at least 5 repetitions per side (run --repeat 5) a two-sided Mann-Whitney U\n"
                            "test says whether a change is significant; otherwise plain deltas, with a warning.\n"
                            "Cases or metrics present on one side only are listed. Exit 1 on a regression\n"
                            "beyond a --fail-on limit, 2 on bad arguments or unreadable reports.\n"
                            "Also compares two Google Benchmark JSON files (build/bench/*_bench\n"
                            "--benchmark_out=F --benchmark_out_format=json --benchmark_repetitions=5): one case\n"
                            "per benchmark, metrics real_time_ms, cpu_time_ms and the counters.",
                            "  ledgerstress compare main.json head.json --fail-on '*.latency.p99:+10%'\n"
                            "  ledgerstress compare main.json head.json --format md >> $GITHUB_STEP_SUMMARY\n"
                            "  ledgerstress compare base-bench.json head-bench.json --fail-on '*real_time_ms:+10%'\n",
                            &vm)) {
    return *code;
  }
  if (files.size() != 2) return Error(kExitUsage, "compare needs BASE.json and HEAD.json (see --help)");
  if (format != "text" && format != "md" && format != "json") {
    return Error(kExitUsage, "unknown --format '" + format + "' (text, md, json)");
  }
  if (!(alpha > 0 && alpha < 1)) return Error(kExitUsage, "--alpha must be between 0 and 1");
  CompareOptions o;
  o.alpha = alpha;
  for (const std::string& r : fail_on) {
    FailRule rule;
    if (!ParseFailRule(r, &rule)) return Error(kExitUsage, "--fail-on '" + r + "': expected PATTERN:+PCT, e.g. '*.latency.p99:+10%'");
    o.fail_on.push_back(rule);
  }
  Comparison c;
  if (auto code = CompareFiles(files[0], files[1], o, &c)) return *code;
  const std::string out = format == "md" ? RenderComparisonMarkdown(c)
                          : format == "json" ? RenderComparisonJson(c)
                                             : RenderComparisonText(c);
  std::fputs(out.c_str(), stdout);
  return c.failed ? kExitGateFailed : kExitPass;
}

}  // namespace cli
}  // namespace ledgerstress
