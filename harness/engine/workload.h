#ifndef LEDGERSTRESS_HARNESS_ENGINE_WORKLOAD_H_
#define LEDGERSTRESS_HARNESS_ENGINE_WORKLOAD_H_

#include <string>

#include "harness/engine/engine.h"
#include "harness/engine/fixtures.h"
#include "harness/invariants/client_history.h"
#include "harness/operations/call.h"

namespace ledgerstress {

class ShardLink;

// Where a workload runs.
struct WorkloadEnv {
  const Target* target;
  std::string schema;
  std::string app_prefix;  // application_name prefix of our sessions
  StopSource* stop;
  CaseProgress* progress;
  // Where a driver case keeps its processes' stderr (w<i>.stderr); created
  // when needed. "" : a directory under $TMPDIR.
  std::string driver_log_dir;
  // A sharded run: this process's link to the other shards (owned by the
  // run); null otherwise.
  ShardLink* shard = nullptr;
};

// Worker i's application_name and the prefix of its idempotency keys (and
// so of its ClientHistory::Log) in the race and ledger workloads.
std::string WorkerAppName(const WorkloadEnv& env, int i);
std::string WorkerKeyPrefix(const WorkloadEnv& env, int i);

// The race and ledger workloads, a plan over one WorkerPool: `workers`
// threads, released together each round, run the mix for the schedule. The
// ledger workload is watched by a monitor and may inject deadlocks and kill
// backends (CaseWatchers). The client history of the tracked operations is
// appended to *history.
//
// Fills r->operations, r->workers_seconds, r->rounds_completed, r->server
// and r->faults (ledger); a worker that stopped early sets r->verdict =
// "error" with why. Never throws.
void RunMixWorkload(const CaseSpec& spec, const Targets& targets, const WorkloadEnv& env, CaseResult* r,
                    ClientHistory* history);

// The close workload of `spec` on fixture `fx` (the review's claims 1 and
// 2), round by round, each round a plan over one WorkerPool:
// `closers_per_project` closer threads per project and `workers` background
// threads connect, are released together, the closers call
// close_project_success once each while the background threads run their
// mix, and the background stops when the last closer returns. A monitor
// samples locks throughout.
//
// Fills r->operations (close_project_success first, then the background
// mix), r->closes, r->close_phase_seconds, r->server, r->rounds_completed.
// A worker that cannot connect sets r->verdict = Verdict::kError. Never throws.
void RunCloseWorkload(const CaseSpec& spec, const CloseFixture& fx, const WorkloadEnv& env, CaseResult* r);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_WORKLOAD_H_
