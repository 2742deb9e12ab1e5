#ifndef LEDGERSTRESS_HARNESS_ENGINE_ENGINE_H_
#define LEDGERSTRESS_HARNESS_ENGINE_ENGINE_H_

#include <atomic>
#include <memory>
#include <string>

#include "harness/interrupt.h"
#include "harness/pg/target.h"
#include "harness/engine/shard_link.h"
#include "harness/scenario/scenario.h"
#include "model/run_result.h"

namespace ledgerstress {

// Live figures of the case being run, for the progress line. Read from any
// thread while the case runs.
struct CaseProgress {
  std::atomic<std::uint64_t> calls{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<int> round{0};  // rounds started
  // Workers whose reconnection has failed at least once and goes on (a
  // server restarting or gone; each gives up after Target::reconnect_for).
  std::atomic<int> reconnecting{0};
  std::uint64_t planned_calls = 0;  // 0 for duration schedules
  int rounds = 0;
};

// Runs one case: creates its schema and fixtures, starts `workers` threads
// (each connects on its own, all released together on a barrier per round),
// runs the schedule, merges the per-worker histograms and counters, checks
// the invariants, decides the verdict and drops the schema unless keep_data.
//
// Never throws for what happens inside the case: a harness failure (server
// gone, a worker unable to connect) becomes verdict "error" with the cause
// and a stop request becomes verdict "interrupted"; the figures gathered so
// far are kept.
class CaseRunner {
 public:
  struct Options {
    Target target;
    std::string run_id;     // names our backends: application_name ledgerstress/<run_id>/...
    bool keep_data = false;
    // Where driver cases keep their processes' stderr, and [schema] commands
    // their output ("" : under $TMPDIR).
    std::string driver_log_dir;
    // A sharded run (harness/engine/shard_link.h): shard 0 sets each case
    // up, judges it on every shard's figures and history and drops it;
    // another shard waits for the set-up, runs its slice of the workers,
    // posts its part and takes shard 0's verdict. Null: not sharded.
    ShardLink* shard = nullptr;
  };

  CaseRunner(Options options, StopSource* stop) : options_(std::move(options)), stop_(stop) {}

  CaseResult Run(const CaseSpec& spec, const std::string& schema, CaseProgress* progress);

 private:
  struct Run_;
  // The phases of Run, in order. Setup, Measure and Check throw what fails;
  // Failed turns it into the verdict; Teardown never throws.
  void Setup(Run_* run);     // the schema and fixtures
  void Measure(Run_* run);   // the workload
  void Check(Run_* run);     // the invariants
  void Failed(Run_* run, const std::exception& e);
  void Teardown(Run_* run);  // drops the schema unless keep_data
  // A sharded run: shard 0 posts the case's set-up (or why it failed) and
  // at the end its verdict; another shard waits for them (ShardError).
  void SetUp(Run_* run);  // Setup, then (sharded) PostSetup
  void PostSetup(Run_* run, const std::string& error);
  void AwaitSetup(Run_* run);
  void PostVerdict(Run_* run);
  void AwaitVerdict(Run_* run);
  SessionSettings SetupSession(const Run_& run) const;

  Options options_;
  StopSource* stop_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_ENGINE_H_
