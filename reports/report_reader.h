#ifndef LEDGERSTRESS_REPORTS_REPORT_READER_H_
#define LEDGERSTRESS_REPORTS_REPORT_READER_H_

#include <string>

#include "model/run_result.h"

namespace ledgerstress {

// Reads a JSON report back into a RunResult: the metadata and, per case,
// what the metrics need (operations with counts, latency summary and
// statements; close phase; server maxima; verdict). Returns false with
// *error set ("<path>: ...") when the file is unreadable, not JSON, or of
// another schema than ledgerstress.report/1.
bool ReadReportFile(const std::string& path, RunResult* out, std::string* error);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_REPORT_READER_H_
