#ifndef LEDGERSTRESS_HARNESS_RUN_SCENARIO_H_
#define LEDGERSTRESS_HARNESS_RUN_SCENARIO_H_

#include <functional>
#include <memory>
#include <string>

#include "harness/interrupt.h"
#include "harness/pg/embedded_cluster.h"
#include "harness/pg/target.h"
#include "harness/engine/shard_link.h"
#include "harness/progress.h"
#include "harness/scenario/scenario.h"
#include "model/run_result.h"

namespace ledgerstress {

struct RunOptions {
  std::string dsn;            // --dsn; empty: DATABASE_URL, PG*, `db start`, or embedded
  // --embedded: always a new throwaway embedded cluster, whatever `db start`,
  // DATABASE_URL or PG* say. REQUIRES: dsn is empty (the CLI refuses both).
  bool embedded = false;
  bool keep_data = false;     // --keep-data: leave each case's schema in place
  int repeat = 1;             // --repeat: independent repetitions of every case (fresh data each)
  bool durable = false;       // --durable: embedded cluster with fsync on
  // --report-dir: driver cases keep their processes' stderr under
  // <report_dir>/<scenario>-<run-id>-drivers/ ("" : under $TMPDIR).
  std::string report_dir;
  std::string command_line;   // for the report (already redacted)
  // Called once with "server: <Target::Describe()>" when the server is
  // chosen, before anything runs on it (`run` and `sweep` print it on stdout).
  std::function<void(const std::string&)> announce_server;
  // --run-id: the run's id (schemas ls_<run_id>_*); "" : a new one.
  std::string run_id;
  // --shard i/N: this process runs shard i of N of the run (every shard
  // with the same scenario, seed and run_id, on one server). REQUIRES:
  // run_id is not "" when shard.count > 1.
  ShardSpec shard;
  // --reconnect-for: how long a worker that lost the server keeps trying to
  // reach it again (Target::reconnect_for).
  std::chrono::seconds reconnect_for{20};
};

// Runs every case of `scenario` in order against the chosen server, filling
// `result` as it goes, so that after an error or a stop request it holds
// everything gathered so far. Starts (and always removes) an embedded cluster
// when no server is named. Never throws: result->verdict ends as "pass",
// "fail", "error" (result->error says why, in one line), "invalid" (a
// [[sql_invariant]] the server refused, checked before any case runs;
// result->error is "file:line:col: ...") or "interrupted".
void RunScenario(const Scenario& scenario, const RunOptions& options, StopSource* stop,
                 ProgressPrinter* progress, RunResult* result);

// Picks the server as RunScenario does: the one the user named (--dsn,
// DATABASE_URL, PG*), a `db start` cluster, or a new embedded cluster sized
// for `max_workers` (always, with options.embedded), returned so that it
// lives (and is removed) with the caller (target->own_cluster then points to
// it). Calls options.announce_server once the target is known. When `crash_where` is not
// "" a case crashes the server: a `db start` cluster is passed over for a
// new one, and a server the user named is refused (ScenarioError at
// `crash_where`): we never crash a server we did not start. Throws
// InfrastructureError when a cluster cannot start.
std::unique_ptr<EmbeddedCluster> ChooseServer(int max_workers, const std::string& crash_where,
                                              const RunOptions& options, ProgressPrinter* progress,
                                              Target* target);

// RunScenario on a server already chosen (a sweep runs many scenarios on one
// cluster). `cluster_startup_seconds` goes to the report (-1: none started).
void RunScenarioOn(const Target& target, double cluster_startup_seconds, const Scenario& scenario,
                   const RunOptions& options, StopSource* stop, ProgressPrinter* progress, RunResult* result);

// The exit code for a finished run (docs/architecture.md, "Exit codes").
int ExitCodeFor(const RunResult& result);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_RUN_SCENARIO_H_
