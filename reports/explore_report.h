#ifndef LEDGERSTRESS_REPORTS_EXPLORE_REPORT_H_
#define LEDGERSTRESS_REPORTS_EXPLORE_REPORT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "model/run_result.h"

namespace ledgerstress {

// The explore workload's part of each report format: what was explored
// (the count, the mode, PCT's bound) and the counterexample as a table of
// steps (session, operation, statement, result) with what the invariants
// then said, and how to replay it (with the run's seed). Pure functions
// of the case: any thread.

// The command that replays the case's counterexample alone: the run's
// scenario (its path as given), the case, the run's seed and the schedule
// ("" when every schedule held).
std::string ExploreReplayCommand(const CaseResult& c, const RunResult& run);
// "252 of 252 interleavings (every interleaving); 240 failed, 12 blocked".
std::string ExploreSummary(const ExploreReport& x);
// The "explore" object of the JSON report.
nlohmann::json ExploreJson(const ExploreReport& x);
// Markdown: the summary line and the counterexample's table ("" when the case explored nothing).
std::string ExploreMarkdown(const CaseResult& c, const RunResult& run);
// HTML: the same as a section of the case ("" when the case explored nothing).
std::string ExploreHtml(const CaseResult& c, const RunResult& run);
// One line per step, for JUnit's failure text ("" when there is no counterexample).
std::string ExploreText(const CaseResult& c, const RunResult& run);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_EXPLORE_REPORT_H_
