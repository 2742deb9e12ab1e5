#ifndef LEDGERSTRESS_HARNESS_SWEEP_RUN_SWEEP_H_
#define LEDGERSTRESS_HARNESS_SWEEP_RUN_SWEEP_H_

#include <string>

#include "harness/interrupt.h"
#include "harness/progress.h"
#include "harness/run_scenario.h"
#include "harness/sweep/sweep_plan.h"
#include "model/sweep_result.h"

namespace ledgerstress {

struct SweepOptions {
  RunOptions run;             // server, --repeat (runs per value), --durable, command line
  double p99_budget_ms = 50;  // --p99-budget: the recommendation's budget
  double tolerance = 0.10;    // --tolerance: how much slower than the fastest a recommended value may be
};

// Runs every point of `plan` in order on one server (chosen as `run` does:
// the one the user named, a `db start` cluster, or one embedded cluster for
// the whole sweep), each on fresh data, then recommends a value. Fills
// *sweep as it goes, so that after an error or a stop request it holds every
// point run so far and its recommendation.
//
// Never throws. sweep->verdict ends as "pass", "fail" (a case missed its
// expectation at some value), "error" (sweep->error says why, in one line,
// password-free), "interrupted", or "invalid" (the server refused a
// scenario's [[sql_invariant]] before anything ran; sweep->error is
// "file:line:col: ...").
void RunSweep(const SweepPlan& plan, const SweepOptions& options, StopSource* stop, ProgressPrinter* progress,
              SweepResult* sweep);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SWEEP_RUN_SWEEP_H_
