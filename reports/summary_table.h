#ifndef LEDGERSTRESS_REPORTS_SUMMARY_TABLE_H_
#define LEDGERSTRESS_REPORTS_SUMMARY_TABLE_H_

#include <string>

#include "model/run_result.h"

namespace ledgerstress {

// A short table for people, one row per case: verdict, calls, errors, p50
// and p99 latency, and what the invariants found. Then the run's verdict.
// `color` adds ANSI colours to the verdicts.
std::string RenderSummaryTable(const RunResult& run, bool color);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_SUMMARY_TABLE_H_
