#ifndef LEDGERSTRESS_HARNESS_ENGINE_CLOSE_WORKLOAD_H_
#define LEDGERSTRESS_HARNESS_ENGINE_CLOSE_WORKLOAD_H_

#include <string>

#include "harness/engine/engine.h"
#include "harness/engine/fixtures.h"

namespace ledgerstress {

// Where a close workload runs.
struct CloseWorkloadEnv {
  const Target* target;
  std::string schema;
  std::string app_prefix;  // application_name prefix of our sessions
  StopSource* stop;
  CaseProgress* progress;
};

// Runs the close workload of `spec` on fixture `fx` (the review's claims 1 and 2, docs/review.md),
// round by round: per round, `closers_per_project` closer threads per
// project and `workers` background threads connect, are released together,
// the closers call close_project_success once each while the background
// threads run their mix, and the background stops when the last closer
// returns. A monitor samples locks throughout.
//
// Fills r->operations (close_project_success first, then the background
// mix), r->closes, r->close_phase_seconds, r->server, r->rounds_completed.
// A worker that cannot connect sets r->verdict = "error". Never throws.
void RunCloseWorkload(const CaseSpec& spec, const CloseFixture& fx, const CloseWorkloadEnv& env, CaseResult* r);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_CLOSE_WORKLOAD_H_
