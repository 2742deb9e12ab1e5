#include "reports/compare.h"

#include <algorithm>
#include <cmath>
#include <fnmatch.h>
#include <limits>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "model/mann_whitney.h"
#include "model/metrics.h"
#include "model/text.h"

namespace ledgerstress {
namespace {

bool HigherIsWorse(const std::string& metric) {
  const auto ends = [&](const char* s) {
    const std::string suffix(s);
    return metric.size() >= suffix.size() && metric.compare(metric.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  // More calls (or items, bytes) in the same time is better; everything else: less is better.
  return !ends(".calls") && !ends("items_per_second") && !ends("bytes_per_second");
}

bool Matches(const std::string& pattern, const std::string& case_name, const std::string& metric) {
  return fnmatch(pattern.c_str(), metric.c_str(), 0) == 0 ||
         fnmatch(pattern.c_str(), (case_name + "/" + metric).c_str(), 0) == 0;
}

std::string Percent(double p) {
  if (std::isinf(p)) return p > 0 ? "+inf%" : "-inf%";
  return Fmt("%+.1f%%", p);
}

std::string Judgement(const MetricComparison& r) {
  if (!r.failed_rule.empty()) return "REGRESSION (" + r.failed_rule + ")";
  if (!r.tested) return r.change_percent == 0 ? "same" : (r.worse ? "worse?" : "better?");
  if (!r.significant) return "no significant change";
  return r.worse ? "worse" : "better";
}

}  // namespace

bool ParseFailRule(const std::string& text, FailRule* out) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string pct = text.substr(colon + 1);
  if (!pct.empty() && pct[0] == '+') pct.erase(0, 1);
  if (!pct.empty() && pct.back() == '%') pct.pop_back();
  char* end = nullptr;
  const double v = std::strtod(pct.c_str(), &end);
  if (pct.empty() || end != pct.c_str() + pct.size() || v < 0) return false;
  *out = FailRule{text.substr(0, colon), v};
  return true;
}

MetricSamples SamplesOf(const RunResult& run) {
  MetricSamples s;
  for (const CaseResult& c : run.cases) {
    auto& metrics = s[c.name];
    for (const auto& [name, value] : AllMetrics(c)) metrics[name].push_back(value);
  }
  return s;
}

Comparison CompareRuns(const RunResult& base, const RunResult& head, const CompareOptions& o) {
  return CompareSamples(SamplesOf(base), SamplesOf(head), o);
}

Comparison CompareSamples(const MetricSamples& b, const MetricSamples& h, const CompareOptions& o) {
  Comparison out;
  bool untested = false;
  for (const auto& [case_name, base_metrics] : b) {
    auto hc = h.find(case_name);
    if (hc == h.end()) {
      out.only_in_base.push_back(case_name);
      continue;
    }
    for (const auto& [metric, base_values] : base_metrics) {
      auto hm = hc->second.find(metric);
      if (hm == hc->second.end()) {
        out.only_in_base.push_back(case_name + "/" + metric);
        continue;
      }
      MetricComparison r;
      r.case_name = case_name;
      r.metric = metric;
      r.base = base_values;
      r.head = hm->second;
      r.base_median = Median(r.base);
      r.head_median = Median(r.head);
      r.higher_is_worse = HigherIsWorse(metric);
      if (r.base_median != 0) r.change_percent = 100 * (r.head_median - r.base_median) / std::abs(r.base_median);
      else if (r.head_median != 0) r.change_percent = std::numeric_limits<double>::infinity() * (r.head_median > 0 ? 1 : -1);
      r.worse = r.higher_is_worse ? r.head_median > r.base_median : r.head_median < r.base_median;
      r.tested = static_cast<int>(r.base.size()) >= o.min_repetitions &&
                 static_cast<int>(r.head.size()) >= o.min_repetitions;
      if (r.tested) {
        r.p_value = MannWhitneyP(r.base, r.head);
        r.significant = r.p_value < o.alpha;
      } else {
        untested = true;
      }
      const double bad_change = r.higher_is_worse ? r.change_percent : -r.change_percent;
      for (const FailRule& rule : o.fail_on) {
        if (Matches(rule.pattern, case_name, metric) && r.worse && bad_change > rule.percent &&
            (r.significant || !r.tested)) {
          r.failed_rule = rule.pattern + ":+" + Fmt("%g", rule.percent) + "%";
          out.failed = true;
          break;
        }
      }
      out.rows.push_back(std::move(r));
    }
    for (const auto& [metric, v] : hc->second) {
      if (!base_metrics.count(metric)) out.only_in_head.push_back(case_name + "/" + metric);
    }
  }
  for (const auto& [case_name, m] : h) {
    if (!b.count(case_name)) out.only_in_head.push_back(case_name);
  }
  if (untested) {
    out.warnings.push_back("fewer than " + std::to_string(o.min_repetitions) +
                           " repetitions on a side: plain deltas, no significance can be claimed "
                           "(run both sides with --repeat " + std::to_string(o.min_repetitions) + ")");
  }
  return out;
}

bool RuleMatchesAny(const FailRule& rule, const MetricSamples& samples) {
  for (const auto& [case_name, metrics] : samples) {
    for (const auto& [metric, values] : metrics) {
      if (Matches(rule.pattern, case_name, metric)) return true;
    }
  }
  return false;
}

std::vector<std::string> MetricNames(const MetricSamples& samples) {
  std::set<std::string> names;
  for (const auto& [case_name, metrics] : samples) {
    for (const auto& [metric, values] : metrics) names.insert(metric);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

std::string RenderComparisonText(const Comparison& c) {
  std::vector<std::vector<std::string>> rows = {{"case", "metric", "base", "head", "change", "p", "verdict"}};
  for (const MetricComparison& r : c.rows) {
    rows.push_back({r.case_name, r.metric, Fmt("%.4g", r.base_median), Fmt("%.4g", r.head_median),
                    Percent(r.change_percent), r.tested ? Fmt("%.3f", r.p_value) : "n/a", Judgement(r)});
  }
  std::string out = AlignedTable(rows, {false, false, true, true, true, true, false});
  for (const auto& s : c.only_in_base) out += "only in base: " + s + "\n";
  for (const auto& s : c.only_in_head) out += "only in head: " + s + "\n";
  for (const auto& s : c.warnings) out += "warning: " + s + "\n";
  out += c.failed ? "compare: REGRESSION\n" : "compare: no regression beyond the --fail-on limits\n";
  return out;
}

std::string RenderComparisonMarkdown(const Comparison& c) {
  std::string md = std::string("## ledgerstress compare: ") + (c.failed ? "❌ regression" : "✅ no regression") +
                   "\n\n| case | metric | base | head | change | p | verdict |\n|---|---|--:|--:|--:|--:|---|\n";
  for (const MetricComparison& r : c.rows) {
    md += "| " + MarkdownCell(r.case_name) + " | " + r.metric + " | " + Fmt("%.4g", r.base_median) + " | " +
          Fmt("%.4g", r.head_median) + " | " + Percent(r.change_percent) + " | " +
          (r.tested ? Fmt("%.3f", r.p_value) : "n/a") + " | " + MarkdownCell(Judgement(r)) + " |\n";
  }
  for (const auto& s : c.only_in_base) md += "\n- only in base: " + MarkdownCell(s);
  for (const auto& s : c.only_in_head) md += "\n- only in head: " + MarkdownCell(s);
  for (const auto& s : c.warnings) md += "\n\n> ⚠️ " + MarkdownCell(s);
  return md + "\n";
}

std::string RenderComparisonJson(const Comparison& c) {
  nlohmann::json rows = nlohmann::json::array();
  for (const MetricComparison& r : c.rows) {
    rows.push_back({{"case", r.case_name},
                    {"metric", r.metric},
                    {"base", r.base},
                    {"head", r.head},
                    {"base_median", r.base_median},
                    {"head_median", r.head_median},
                    {"change_percent", std::isinf(r.change_percent) ? nlohmann::json(nullptr)
                                                                    : nlohmann::json(r.change_percent)},
                    {"tested", r.tested},
                    {"p_value", r.tested ? nlohmann::json(r.p_value) : nlohmann::json(nullptr)},
                    {"significant", r.significant},
                    {"worse", r.worse},
                    {"failed_rule", r.failed_rule}});
  }
  return nlohmann::json{{"schema", "ledgerstress.compare/1"},
                        {"regression", c.failed},
                        {"rows", rows},
                        {"only_in_base", c.only_in_base},
                        {"only_in_head", c.only_in_head},
                        {"warnings", c.warnings}}
             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

}  // namespace ledgerstress
