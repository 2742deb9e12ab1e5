#ifndef LEDGERSTRESS_REPORTS_JSON_REPORT_H_
#define LEDGERSTRESS_REPORTS_JSON_REPORT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "model/run_result.h"

namespace ledgerstress {

// The run as a JSON document of schema "ledgerstress.report/1"
// (docs/report-format.md): run metadata, then per case its settings,
// per-operation outcomes and latency, invariants with samples, checks and
// verdict.
nlohmann::json ReportToJson(const RunResult& run);

// ReportToJson pretty-printed, with a final newline.
std::string RenderJsonReport(const RunResult& run);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_JSON_REPORT_H_
