#ifndef LEDGERSTRESS_HARNESS_RUN_SCENARIO_H_
#define LEDGERSTRESS_HARNESS_RUN_SCENARIO_H_

#include <string>

#include "harness/interrupt.h"
#include "harness/progress.h"
#include "harness/scenario/scenario.h"
#include "reports/run_result.h"

namespace ledgerstress {

struct RunOptions {
  std::string dsn;            // --dsn; empty: DATABASE_URL, PG*, `db start`, or embedded
  bool keep_data = false;     // --keep-data: leave each case's schema in place
  int repeat = 1;             // --repeat: independent repetitions of every case (fresh data each)
  bool durable = false;       // --durable: embedded cluster with fsync on
  std::string command_line;   // for the report (already redacted)
};

// Runs every case of `scenario` in order against the chosen server, filling
// `result` as it goes, so that after an error or a stop request it holds
// everything gathered so far. Starts (and always removes) an embedded cluster
// when no server is named. Never throws: result->verdict ends as "pass",
// "fail", "error" (result->error says why, in one line) or "interrupted".
void RunScenario(const Scenario& scenario, const RunOptions& options, StopSource* stop,
                 ProgressPrinter* progress, RunResult* result);

// The exit code for a finished run (DESIGN §9).
int ExitCodeFor(const RunResult& result);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_RUN_SCENARIO_H_
