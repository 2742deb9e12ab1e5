#ifndef LEDGERSTRESS_HARNESS_SWEEP_SWEEP_PLAN_H_
#define LEDGERSTRESS_HARNESS_SWEEP_SWEEP_PLAN_H_

#include <string>
#include <utility>
#include <vector>

#include "harness/scenario/scenario.h"
#include "harness/scenario/scenario_loader.h"

namespace ledgerstress {

// One `--vary KEY=v1,v2,...`: a case key (the scenario file's spelling, as
// for --set) and the values to try, in order.
struct Vary {
  std::string key;
  std::vector<std::string> values;
};

// Parses "KEY=v1,v2,...". Throws ScenarioError ("--vary 'ARG': ...") when
// there is no '=', the key is empty, a value is empty or repeated, or the
// key is given twice (see PlanSweep).
Vary ParseVary(const std::string& arg);

// Everything a sweep will run, checked before anything runs.
struct SweepPlan {
  std::vector<std::string> keys;  // in --vary order
  // The grid: every combination of the values, the first key varying slowest.
  std::vector<std::vector<std::pair<std::string, std::string>>> points;
  // The scenario at each point (the point's values applied over `base`),
  // holding only the swept cases.
  std::vector<Scenario> scenarios;
  std::vector<std::string> swept_cases;
  std::vector<std::pair<std::string, std::string>> skipped_cases;  // name -> why
};

// Loads the scenario at `path` once per grid point, each value applied as a
// --vary override after `base` (its --set and --seed), so an unknown key or a
// value of the wrong type or range throws ScenarioError naming it before
// anything runs. Keeps the cases that read a varied key (CaseReadsKey) and
// that `case_patterns` (--case, split by SplitCasePatterns; empty: every
// case) select, as `run --case` does (harness/scenario/case_filter.h).
// Throws ScenarioError when no case is left or a pattern matches no case.
SweepPlan PlanSweep(const std::string& path, const LoadOptions& base, const std::vector<Vary>& varies,
                    const std::vector<std::string>& case_patterns);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SWEEP_SWEEP_PLAN_H_
