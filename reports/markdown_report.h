#ifndef LEDGERSTRESS_REPORTS_MARKDOWN_REPORT_H_
#define LEDGERSTRESS_REPORTS_MARKDOWN_REPORT_H_

#include <cstddef>
#include <string>

#include "model/run_result.h"

namespace ledgerstress {

// A Markdown summary for a CI job page: the verdict, a table of the cases,
// the close strategies side by side, and what failed with its first sample
// rows. At most `max_bytes` long (GitHub's step summary takes 1 MiB): past
// that the details are cut with a note.
std::string RenderMarkdownReport(const RunResult& run, std::size_t max_bytes = 512 * 1024);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_MARKDOWN_REPORT_H_
