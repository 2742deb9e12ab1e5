#ifndef LEDGERSTRESS_REPORTS_SWEEP_REPORT_H_
#define LEDGERSTRESS_REPORTS_SWEEP_REPORT_H_

// The writers of a sweep: the table on stdout, the JSON document
// ("ledgerstress.sweep/1", docs/report-format.md) and the self-contained HTML
// page with the curves. All read the plain SweepResult.

#include <string>

#include <nlohmann/json.hpp>

#include "model/sweep_result.h"
#include "model/text.h"

namespace ledgerstress {

// One row per grid point and swept case: the varied values, close time,
// statements, sampled max rows locked, p99 of each concurrent user operation,
// failed calls, invariant verdict; then the recommendation with its rule,
// reason and notes.
std::string RenderSweepTable(const SweepResult& sweep);
// The table alone (p99s marked * when from the intended start).
TextTable SweepTable(const SweepResult& sweep);

nlohmann::json SweepToJson(const SweepResult& sweep);
std::string RenderSweepJson(const SweepResult& sweep);  // pretty, final newline

// Recommendation first, then the table and one chart per figure (close time,
// worst user p99 with the budget line, statements, rows locked) against the
// first varied key, one line per case (and per value of the other keys).
std::string RenderSweepHtml(const SweepResult& sweep);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_SWEEP_REPORT_H_
