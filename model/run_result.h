#ifndef LEDGERSTRESS_MODEL_RUN_RESULT_H_
#define LEDGERSTRESS_MODEL_RUN_RESULT_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/verdict.h"

// The result of a run as plain data: what the engine fills in and every
// report writer reads. Nothing here talks to a database. Durations are in
// seconds, latencies in milliseconds, unless a name says otherwise.

namespace ledgerstress {

constexpr char kReportSchema[] = "ledgerstress.report/1";

struct LatencySummary {
  std::uint64_t count = 0;
  double min_ms = 0, mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
  // Sparse histogram: (highest latency in the bucket in ms, calls).
  std::vector<std::pair<double, std::uint64_t>> buckets;
};

// One second of an operation: calls that ended in it, errors among them,
// and approximate latency percentiles (within 25%).
struct SeriesPoint {
  double t_s = 0;
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
};

struct OperationResult {
  std::string name;
  std::string strategy;
  std::uint64_t calls = 0;
  std::map<std::string, std::uint64_t> outcomes;  // outcome name -> calls
  LatencySummary latency;                         // every call, failed ones included, from its actual start
  // The open model (arrival_rate): latency from each call's intended
  // start, which includes the time it waited for a free worker.
  bool open_model = false;
  LatencySummary latency_corrected;
  std::vector<SeriesPoint> series;                // per second since the workers started
  std::uint64_t statements = 0;                   // top-level SQL statements, BEGIN and COMMIT included
  bool statements_measured = true;                // false: nobody could count them (statements_missing says why)
  // Who counted them: "harness" (the built-in code's own statements),
  // "driver" (as the driver reported them), "server" (pg_stat_statements:
  // the case's count minus every other operation's, see
  // harness/engine/server_statements.h).
  std::string statements_source = "harness";
  std::string statements_missing;  // why not measured, "" when measured
  std::uint64_t round_trips = 0;
  // First few distinct errors, "outcome [SQLSTATE]: message".
  std::vector<std::string> error_samples;
  // Retries (operations under a retry strategy): calls by number of
  // attempts, the first few observed backoff sequences ("100ms 200ms"),
  // how many sleeps happened with a transaction open, the most attempts.
  std::map<int, std::uint64_t> attempts;
  std::vector<std::string> backoff_samples;
  std::uint64_t sleeps_in_transaction = 0;
  std::uint64_t off_schedule_backoffs = 0;  // observed backoffs far from the schedule
  // Retries that came sooner than half their backoff after the failure, as
  // the harness timed it; retries of an in-doubt attempt not first looked
  // up by key (retry_discipline's evidence beyond the code's own reports).
  std::uint64_t retries_without_backoff = 0;
  std::uint64_t unresolved_in_doubt_retries = 0;
  std::map<std::string, std::uint64_t> failed_attempts;  // failed attempts by error class
  int max_attempts_seen = 0;

  // Calls that failed, the expected failures of an SQL operation (outcome
  // "expected") not counted.
  std::uint64_t Count(const char* outcome) const {
    const auto it = outcomes.find(outcome);
    return it == outcomes.end() ? 0 : it->second;
  }
  // Calls that took effect, that ended well without effect (an ON CONFLICT
  // loser; nothing under their key), that a business rule refused (nothing
  // written, not an error), whose outcome is unknown (resolved by key
  // afterwards), and that failed: every other outcome.
  std::uint64_t ok() const { return Count("ok"); }
  std::uint64_t no_effect() const { return Count("no_effect"); }
  std::uint64_t expected() const { return Count("expected"); }
  std::uint64_t in_doubt() const { return Count("in_doubt"); }
  std::uint64_t errors() const { return calls - ok() - no_effect() - expected() - in_doubt(); }
};

// The open model's arrivals of a case (arrival_rate; rate 0: a closed loop).
struct ArrivalReport {
  double rate_per_s = 0;
  std::string process;          // "constant" or "poisson"
  double max_start_delay_ms = 0;
  std::uint64_t started = 0;    // arrivals served
  std::uint64_t dropped = 0;    // arrivals that found no free worker within max_start_delay
  LatencySummary lag;           // schedule lag of the started ones: actual start - intended start
};

struct InvariantResult {
  std::string name;
  std::string status;   // "held", "violated" or "error" (the check itself failed)
  std::string message;  // one line for people; for "error", the server's first line
  std::uint64_t violations = 0;
  std::vector<std::string> sample_columns;
  std::vector<std::vector<std::string>> samples;  // at most 10 rows
  std::map<std::string, double> details;          // figures the check measured

  // For status "error": "invariant 'NAME' could not be checked: MESSAGE",
  // the case's error and verdict_reason.
  std::string Unchecked() const { return "invariant '" + name + "' could not be checked: " + message; }
};

// What the monitor connection saw while a case ran (sampled about every
// 50 ms), and server counters read before and after.
struct ServerSample {
  double t_s = 0;                  // since the case's workers were released
  std::int64_t escrow_rows_locked = 0;
  std::int64_t escrow_rows_locked_by_one = 0;  // the most one transaction held
  std::int64_t wallet_rows_locked = 0;
  std::int64_t lock_waiters = 0;   // pg_locks not granted
  std::int64_t idle_in_transaction = 0;  // our sessions only
};

struct ServerObservation {
  bool sampled = false;            // the monitor ran
  std::string missing;             // why a figure is missing ("" when none is)
  std::int64_t samples = 0;
  std::int64_t max_escrow_rows_locked = -1;  // -1: not measured (no pgrowlocks)
  // The most escrow rows one transaction held at once (per locker): what
  // lock_footprint judges. A scan is no snapshot, so the total above can
  // count two consecutive chunks of one closer; one transaction's count
  // can only be under-counted.
  std::int64_t max_escrow_rows_locked_by_one = -1;
  std::int64_t max_wallet_rows_locked = -1;
  std::int64_t max_lock_waiters = 0;
  std::int64_t max_idle_in_transaction = 0;
  // Periods in which one of our sessions sat idle in transaction longer
  // than the monitor's threshold (40 ms): sleeps with locks held, seen by
  // the server whatever the code reported. -1: not sampled.
  std::int64_t long_idle_in_transaction = -1;
  // pg_stat_statements calls during the measured phase, every session of
  // the database but the monitor's own; -1 when unavailable.
  std::int64_t statements_delta = -1;
  // Why statements_delta does not count what the harness counts (top-level
  // statements, BEGIN and COMMIT included), e.g. pg_stat_statements.track
  // = all; "" when it does.
  std::string statements_caveat;
  std::int64_t deadlocks_delta = -1;  // pg_stat_database.deadlocks
  std::vector<ServerSample> series;   // at most ~600 points (thinned)
};

// One figure a fault reports of itself (FaultReport::Set): the JSON's
// faults.<name> = value, and `text` in the report's faults line ("" for a
// figure only the JSON shows). A fault's figures need no field in
// FaultReport nor a line in the writers.
struct FaultFigure {
  std::string name;  // "backends_killed"
  double value = 0;  // an integral value is written as an integer
  std::string text;  // "12 backend(s) killed"
};

// Injected faults of a case.
struct FaultReport {
  bool deadlock_injection = false;
  std::int64_t deadlocks_injected = 0;   // cycles formed whose victim was a worker
  std::int64_t injection_attempts = 0;
  std::string missing;                    // why a fault could not be injected, if so
  // Deadlock injection: the victims' deadlock_timeout in force (-1 unknown)
  // and what the server's settings cost, when they are not ours to set.
  std::int64_t victim_deadlock_timeout_ms = -1;
  std::string note;

  // Every other fault's figures, in the order the faults set them: the
  // backend killer's backends_killed, the crash nemesis's server_crashes
  // and longest_outage_s, lost_reply_every's replies_lost.
  std::vector<FaultFigure> figures;
  // Sets figure `name` (replacing one of that name).
  void Set(const std::string& name, double value, const std::string& text = "") {
    for (FaultFigure& f : figures) {
      if (f.name == name) {
        f.value = value;
        f.text = text;
        return;
      }
    }
    figures.push_back(FaultFigure{name, value, text});
  }
  // Figure `name`, or `absent` when no fault set it (its fault was off).
  double Figure(const std::string& name, double absent = -1) const {
    for (const FaultFigure& f : figures) {
      if (f.name == name) return f.value;
    }
    return absent;
  }

  // Whether the case asked for any fault.
  bool Any() const { return deadlock_injection || !figures.empty(); }
};

// One close_project_success call of the close workload.
struct CloseCall {
  std::int64_t project_id = 0;
  int closer = 0;
  std::int64_t released = 0;
  bool marked_success = false;
  double seconds = 0;
  std::string error;  // "" when the call succeeded
};

// One line of an explored schedule as it ran: a step sent, or a step that
// had blocked and now returned.
struct ExploreStep {
  int session = 0;         // from 1
  std::string operation;   // the call's operation
  std::string statement;   // BEGIN ..., the statement with its values, COMMIT or ROLLBACK
  // "ok", "1 row", "3 rows", "blocked", "error 40001: could not serialize ...",
  // "skipped (the call had failed)"; a blocked step's return reads
  // "unblocked: <result>".
  std::string result;
};

// The explore workload: which schedules ran and the one to look at.
struct ExploreReport {
  bool ran = false;
  int sessions = 0;
  int steps = 0;                       // over every session
  // "every interleaving", "pct" (more than max_schedules), or "one schedule" (--schedule).
  std::string mode;
  std::uint64_t interleavings = 0;     // how many orders exist (UINT64_MAX: more than fit)
  std::uint64_t schedules_run = 0;
  std::string guarantee;               // PCT's stated bound, "" otherwise
  std::uint64_t schedules_failed = 0;  // an invariant broke or a call failed
  std::uint64_t schedules_violating = 0;  // an invariant broke
  std::uint64_t schedules_blocked = 0;    // some step waited on a lock
  std::map<std::string, std::uint64_t> errors;  // SQLSTATE -> schedules in which a step raised it
  double seconds_per_schedule = 0;
  // The failing schedule with the fewest context switches (ties: lowest
  // id); counterexample_id is -1 when every schedule held.
  std::int64_t counterexample_id = -1;
  std::string counterexample_order;  // "1 1 2 2 1": the session of each step, as scheduled
  int counterexample_switches = 0;
  std::vector<ExploreStep> counterexample;
  std::vector<std::string> counterexample_after;  // what each broken invariant then said
  std::string isolation_spec;  // the counterexample as a PostgreSQL isolation tester spec
};

// A gate check that is not an invariant (e.g. the error rate).
struct CheckResult {
  std::string name;
  bool passed = true;
  std::string message;
};

// How far apart the barrier released a race or ledger case's workers:
// per round, the wall-clock time from the first worker's release to the
// last's, over every shard of a sharded run (exact on one machine; across
// hosts, their clocks' offset adds in).
struct ReleaseSkew {
  int rounds = 0;  // rounds measured; 0: none
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};

// One shard's share of a case of a sharded run (`run --shard i/N`).
struct ShardShare {
  int index = 0;
  std::string host;
  int workers = 0;          // its slice of the case's workers
  std::uint64_t calls = 0;  // the calls they made
  std::vector<OperationResult> operations;  // their figures (`ledgerstress merge` adds them up)
  // A shard whose part never came (its process died, or it ended the run
  // first): what its clients saw is lost, so each of its calls was in
  // doubt and resolved by its key, committed or absent (unless
  // in_doubt_unresolved: the server could not be asked).
  bool lost = false;
  std::uint64_t in_doubt_committed = 0;
  std::uint64_t in_doubt_absent = 0;
  bool in_doubt_unresolved = false;
};

struct CaseResult {
  std::string driver;  // the [drivers.<name>] that ran the operations; "" for the built-in code
  std::string name;
  std::string description;
  std::string expect;      // "pass" | "violation"
  std::vector<std::string> violates;
  // kPass, kCaught, kFail, kError, kInterrupted, or kSkipped (not reached).
  Verdict verdict = Verdict::kSkipped;
  std::string verdict_reason;
  int repetition = 1;      // 1-based, of `repetitions` (--repeat)
  int repetitions = 1;
  std::string schema;      // the database schema that held the case's data
  std::uint64_t seed = 0;
  std::vector<std::pair<std::string, std::string>> settings;  // resolved case keys
  int workers = 0;
  int rounds = 0;
  int rounds_completed = 0;
  double setup_seconds = 0, run_seconds = 0, check_seconds = 0;
  // Race and ledger workloads: from the first call's start to the last
  // call's return (run_seconds also holds connecting and joining the workers).
  double workers_seconds = 0;
  std::vector<OperationResult> operations;
  ArrivalReport arrivals;  // the open model; rate_per_s 0 when the case ran a closed loop
  // Close workload: every close call, the close phase's wall time (first
  // closer released to last closer done) and the escrows it had to release.
  std::vector<CloseCall> closes;
  double close_phase_seconds = 0;
  std::int64_t escrows_total = 0;
  ServerObservation server;
  FaultReport faults;
  ExploreReport explore;  // the explore workload only
  // A sharded run: every shard's share, shard 0 first (empty otherwise).
  // Shard 0's report holds the case's merged figures; another shard's its
  // own share, with shard 0's verdict.
  std::vector<ShardShare> shards;
  ReleaseSkew release_skew;
  std::vector<InvariantResult> invariants;
  std::vector<CheckResult> checks;
  std::string error;       // set when verdict is kError
  // What the case asked for that this server could not run ("what: why;
  // how to fix", "; "-separated); the verdict is then kError.
  std::string cannot_run;

  bool GatePassed() const { return GatePasses(verdict); }
};

struct RunResult {
  std::string run_id;
  // A sharded run (`run --shard i/N`): which shard wrote this result.
  int shard_index = 0;
  int shard_count = 1;  // 1: not sharded
  std::string scenario_name;
  std::string scenario_path;
  std::uint64_t seed = 0;
  std::string started_at, finished_at;  // ISO 8601 UTC
  double duration_seconds = 0;
  std::string tool_version, git_commit;
  std::string command_line;             // redacted

  std::string target_source;            // where the server came from
  std::string target_display;           // redacted DSN
  double cluster_startup_seconds = -1;  // embedded cluster only; -1 otherwise
  std::string server_version;
  int server_version_num = 0;
  std::map<std::string, std::string> server_settings;

  std::string host_name;
  int host_cores = 0;
  std::uint64_t host_memory_bytes = 0;
  std::string host_os;
  std::uint64_t peak_rss_bytes = 0;     // of the harness process, at the end
  double harness_cpu_seconds = 0;       // the harness process's own CPU (not its drivers' or the server's)

  bool interrupted = false;
  // kPass, kFail, kError, kInterrupted or kInvalid once the run is over.
  Verdict verdict = Verdict::kPending;
  std::string error;                    // run-level error, one line
  std::vector<CaseResult> cases;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_RUN_RESULT_H_
