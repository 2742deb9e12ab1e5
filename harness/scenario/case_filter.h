#ifndef LEDGERSTRESS_HARNESS_SCENARIO_CASE_FILTER_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_CASE_FILTER_H_

// `--case PATTERN` of run and sweep: which cases of a scenario run.

#include <string>
#include <vector>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

// True when `name` matches the glob `pattern` as a whole: '*' matches any
// run of characters (none too, '/' too), '?' exactly one, every other
// character itself (as --gtest_filter).
bool GlobMatch(const std::string& pattern, const std::string& name);

// The patterns of every --case value, each split on ':' ("a:b*" is two), in
// order. Throws ScenarioError ("--case '...': an empty pattern ...") when a
// piece is empty.
std::vector<std::string> SplitCasePatterns(const std::vector<std::string>& values);

// True when `patterns` is empty (no --case: every case) or any of them
// matches `name`.
bool CaseSelected(const std::vector<std::string>& patterns, const std::string& name);

// Throws ScenarioError "<path>: --case 'P': no case matches (did you mean
// ...?)" for the first pattern that matches none of `names`, naming the cases
// it may have meant (or, when none is close, every case).
void RequireEveryPatternMatches(const std::vector<std::string>& patterns, const std::vector<std::string>& names,
                                const std::string& path);

// Keeps the cases of `s` that CaseSelected admits, in their order, after
// RequireEveryPatternMatches (s->path names the file).
void SelectCases(const std::vector<std::string>& patterns, Scenario* s);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_CASE_FILTER_H_
