// `ledgerstress compare BASE.json HEAD.json`: what changed between two runs,
// and whether it is a regression worth failing a build for.
#include <cstdio>
#include <optional>

#include "harness/cli/common.h"
#include "harness/cli/options.h"
#include "harness/errors.h"
#include "harness/scenario/suggest.h"
#include "reports/benchmark_reader.h"
#include "reports/compare.h"
#include "reports/report_reader.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {
namespace {

// Both files as samples: two ledgerstress reports, or two Google Benchmark
// JSON files; an exit code when they cannot be read.
std::optional<int> ReadSides(const std::string& base_path, const std::string& head_path, MetricSamples* base,
                             MetricSamples* head) {
  std::string error;
  const bool bench0 = IsBenchmarkJson(base_path), bench1 = IsBenchmarkJson(head_path);
  if (bench0 != bench1) {
    return Error(kExitUsage, (bench0 ? base_path : head_path) + " is Google Benchmark JSON and " +
                                 (bench0 ? head_path : base_path) + " is not: compare two of a kind");
  }
  if (bench0) {
    if (!ReadBenchmarkFile(base_path, base, &error) || !ReadBenchmarkFile(head_path, head, &error)) {
      return Error(kExitUsage, error);
    }
    return std::nullopt;
  }
  RunResult b, h;
  if (!ReadReportFile(base_path, &b, &error) || !ReadReportFile(head_path, &h, &error)) return Error(kExitUsage, error);
  *base = SamplesOf(b);
  *head = SamplesOf(h);
  return std::nullopt;
}

// The metric names a pattern that matched nothing may have meant: those
// holding its literal text, else the closest by edit distance.
std::string Closest(const std::string& pattern, const std::vector<std::string>& names) {
  std::string literal;
  for (char ch : pattern) {
    if (ch != '*' && ch != '?') literal += ch;
  }
  std::vector<std::string> near;
  for (const std::string& n : names) {
    if (!literal.empty() && n.find(literal) != std::string::npos && near.size() < 5) near.push_back(n);
  }
  if (!near.empty()) {
    std::string out;
    for (const std::string& n : near) out += (out.empty() ? "" : ", ") + n;
    return "; metrics holding '" + literal + "': " + out + " (try '*" + literal + "*')";
  }
  const std::string m = ClosestMatch(pattern, names);
  return m.empty() ? "; `compare` prints every metric name without --fail-on" : " (did you mean '" + m + "'?)";
}

// A --fail-on rule that matches no metric of either side would pass
// silently whatever changed: a usage error.
std::optional<int> CheckRulesMatch(const CompareOptions& o, const MetricSamples& base, const MetricSamples& head) {
  for (const FailRule& rule : o.fail_on) {
    if (RuleMatchesAny(rule, base) || RuleMatchesAny(rule, head)) continue;
    std::vector<std::string> names = MetricNames(base);
    for (const std::string& n : MetricNames(head)) names.push_back(n);
    return Error(kExitUsage, "--fail-on '" + rule.pattern + "': matches no metric of either report (a glob on the "
                             "whole metric name or on case/metric)" + Closest(rule.pattern, names));
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
  MetricSamples base, head;
  if (auto code = ReadSides(files[0], files[1], &base, &head)) return *code;
  if (auto code = CheckRulesMatch(o, base, head)) return *code;
  const Comparison c = CompareSamples(base, head, o);
  const std::string out = format == "md" ? RenderComparisonMarkdown(c)
                          : format == "json" ? RenderComparisonJson(c)
                                             : RenderComparisonText(c);
  std::fputs(out.c_str(), stdout);
  return c.failed ? kExitGateFailed : kExitPass;
}

}  // namespace cli
}  // namespace ledgerstress
