#ifndef LEDGERSTRESS_REPORTS_COMPARE_H_
#define LEDGERSTRESS_REPORTS_COMPARE_H_

#include <map>
#include <string>
#include <vector>

#include "model/run_result.h"

namespace ledgerstress {

// `--fail-on PATTERN:+PCT`: a metric matching PATTERN (a glob on the metric,
// "pledge_funds.latency.p99", or on "case/metric") that got worse by more
// than PCT percent fails the comparison when the change is significant or
// cannot be tested.
struct FailRule {
  std::string pattern;
  double percent = 0;
};
// Parses "*.latency.p99:+10%" (also "...:10"). False on anything else.
bool ParseFailRule(const std::string& text, FailRule* out);

struct CompareOptions {
  double alpha = 0.05;
  int min_repetitions = 5;  // per side, for the Mann–Whitney U test
  std::vector<FailRule> fail_on;
};

struct MetricComparison {
  std::string case_name;
  std::string metric;
  std::vector<double> base, head;  // one value per repetition
  double base_median = 0, head_median = 0;
  double change_percent = 0;       // (head - base) / base; +inf when base is 0 and head is not
  bool higher_is_worse = true;
  bool tested = false;             // enough repetitions on both sides
  double p_value = 1;
  bool significant = false;
  bool worse = false;              // moved in the bad direction
  std::string failed_rule;         // the --fail-on rule it broke, if any
};

struct Comparison {
  std::vector<MetricComparison> rows;
  std::vector<std::string> only_in_base;  // "case" or "case/metric"
  std::vector<std::string> only_in_head;
  std::vector<std::string> warnings;
  bool failed = false;  // a --fail-on rule was broken
};

// case -> metric -> one value per repetition.
using MetricSamples = std::map<std::string, std::map<std::string, std::vector<double>>>;

// Every metric of every case of a run (AllMetrics), repetitions pooled by case name.
MetricSamples SamplesOf(const RunResult& run);

// Matches cases by name (repetitions of a case pooled) and metrics by name.
Comparison CompareRuns(const RunResult& base, const RunResult& head, const CompareOptions& options);
// The same on samples from anywhere (a Google Benchmark JSON file, say).
// Metrics ending in .calls, items_per_second or bytes_per_second are better
// higher; every other metric is better lower.
Comparison CompareSamples(const MetricSamples& base, const MetricSamples& head, const CompareOptions& options);

// Whether `rule`'s pattern matches a metric of `samples` (as the comparison
// matches it: the metric, or "case/metric").
bool RuleMatchesAny(const FailRule& rule, const MetricSamples& samples);
// Every metric name of `samples`, once each, sorted.
std::vector<std::string> MetricNames(const MetricSamples& samples);

std::string RenderComparisonText(const Comparison& c);
std::string RenderComparisonMarkdown(const Comparison& c);
std::string RenderComparisonJson(const Comparison& c);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_COMPARE_H_
