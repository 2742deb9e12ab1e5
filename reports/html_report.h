#ifndef LEDGERSTRESS_REPORTS_HTML_REPORT_H_
#define LEDGERSTRESS_REPORTS_HTML_REPORT_H_

#include <string>

#include "model/run_result.h"

namespace ledgerstress {

// Chart.js (Debian's libjs-chart.js), compiled in.
extern const char* const kChartJs;

// The run as one self-contained HTML page that opens offline: the verdict
// first, then the cases side by side, then per case its settings,
// operations, charts (latency over time, throughput, latency histogram,
// rows locked and lock waiters over time), invariants with sample rows and
// checks, and the run's metadata. Everything from a user or the database is
// escaped; the data behind the charts is embedded as JSON that cannot close
// its <script> element.
std::string RenderHtmlReport(const RunResult& run);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_HTML_REPORT_H_
