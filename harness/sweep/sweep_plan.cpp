#include "harness/sweep/sweep_plan.h"

#include <algorithm>

#include "harness/scenario/case_filter.h"
#include "harness/scenario/key_use.h"

namespace ledgerstress {
namespace {

[[noreturn]] void Fail(const std::string& arg, const std::string& message) {
  throw ScenarioError("--vary '" + arg + "': " + message);
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Vary ParseVary(const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos) Fail(arg, "expected KEY=v1,v2,... (e.g. release_batch_size=25,100,500)");
  Vary v;
  v.key = arg.substr(0, eq);
  if (v.key.empty()) Fail(arg, "the key is empty");
  const std::string list = arg.substr(eq + 1);
  for (std::size_t b = 0; b <= list.size();) {
    const std::size_t e = std::min(list.find(',', b), list.size());
    const std::string value = list.substr(b, e - b);
    if (value.empty()) Fail(arg, "empty value in the list");
    if (Has(v.values, value)) Fail(arg, "value '" + value + "' is listed twice");
    v.values.push_back(value);
    b = e + 1;
  }
  return v;
}

SweepPlan PlanSweep(const std::string& path, const LoadOptions& base, const std::vector<Vary>& varies,
                    const std::vector<std::string>& case_patterns) {
  if (varies.empty()) throw ScenarioError("sweep needs at least one --vary KEY=v1,v2,...");
  SweepPlan plan;
  for (const Vary& v : varies) {
    if (Has(plan.keys, v.key)) throw ScenarioError("--vary: key '" + v.key + "' is varied twice: list every value once");
    plan.keys.push_back(v.key);
  }
  // The grid, first key slowest.
  plan.points.push_back({});
  for (const Vary& v : varies) {
    std::vector<std::vector<std::pair<std::string, std::string>>> next;
    for (const auto& p : plan.points) {
      for (const std::string& value : v.values) {
        next.push_back(p);
        next.back().emplace_back(v.key, value);
      }
    }
    plan.points = std::move(next);
  }
  if (plan.points.size() > 1000) throw ScenarioError("--vary: " + std::to_string(plan.points.size()) + " grid points; at most 1000");

  for (const auto& point : plan.points) {
    LoadOptions o = base;
    for (const auto& [k, v] : point) o.varied.push_back(k + "=" + v);
    Scenario s = LoadScenarioFile(path, o);
    std::vector<CaseSpec> kept;
    for (const CaseSpec& c : s.cases) {
      const bool named = CaseSelected(case_patterns, c.name);
      const bool reads = std::any_of(plan.keys.begin(), plan.keys.end(),
                                     [&](const std::string& k) { return CaseReadsKey(c, k); });
      if (named && reads) {
        kept.push_back(c);
      } else if (&point == &plan.points.front()) {
        plan.skipped_cases.emplace_back(c.name, !named ? "not named by --case" : "reads none of the varied keys");
      }
    }
    if (&point == &plan.points.front()) {
      std::vector<std::string> all;
      for (const CaseSpec& c : s.cases) all.push_back(c.name);
      RequireEveryPatternMatches(case_patterns, all, path);
      for (const CaseSpec& c : kept) plan.swept_cases.push_back(c.name);
      if (kept.empty()) {
        throw ScenarioError(path + ": no case reads " +
                            (plan.keys.size() == 1 ? "'" + plan.keys[0] + "'" : "the varied keys") +
                            (case_patterns.empty() ? "" : " among those --case selects") + ": nothing to sweep");
      }
    }
    s.cases = std::move(kept);
    plan.scenarios.push_back(std::move(s));
  }
  return plan;
}

}  // namespace ledgerstress
