#ifndef LEDGERSTRESS_HARNESS_SCENARIO_SCENARIO_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_SCENARIO_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/invariants/sql_invariant.h"
#include "harness/operations/operation.h"
#include "harness/scenario/threshold.h"
#include "settlement/retry_strategy.h"

namespace ledgerstress {

// A parsed, validated scenario: immutable data, no behaviour. The file format
// is documented key by key in docs/scenario-format.md; each field below names
// its key, default and trade-off.

enum class Expectation {
  kPass,       // every invariant must hold
  kViolation,  // a known-bad case: the gate passes when the harness catches it
};

// What a case does. See docs/scenario-format.md.
enum class Workload {
  // `workers` threads call the operations of `mix`, released together on a
  // barrier each round (the wallet race).
  kRace,
  // `closers_per_project` threads per project call close_project_success on
  // `projects` projects of `escrows` escrows each, released together, while
  // `workers` background threads run `mix` (pledges, deposits) until every
  // close has returned.
  kClose,
  // `workers` threads run the mix of pledges and deposits (on the close
  // fixture's donors and a FUNDING project) for the schedule: the workload
  // of retries and fault injection.
  kLedger,
  // `sessions` (2..4 sessions, each a few calls of SQL operations) run
  // statement by statement, in every order of their steps (or PCT
  // schedules drawn from the seed): the explorer (harness/engine/explore*).
  kExplore,
};

// A `[drivers.<name>]` table: a process of the team's own that runs a
// case's operations, one per worker (or one per `concurrency` workers),
// speaking ledgerstress.driver/1 (docs/driver-protocol.md).
struct DriverSpec {
  std::string name;
  std::vector<std::string> command;  // argv; a relative argv[0] with a '/' is resolved against cwd
  std::string cwd;                   // absolute; default: the scenario file's directory
  std::vector<std::pair<std::string, std::string>> env;  // added to the harness's environment
  std::chrono::milliseconds call_timeout{10000};   // one call, from sending it to its reply
  std::chrono::milliseconds start_timeout{60000};  // from starting the process to init_ok
  // `concurrency` (1..64, default 1): the calls one process has in flight
  // at once. Above 1 the case's workers share a process `concurrency` at a
  // time, each still making its own calls (replies matched by id).
  int concurrency = 1;
  std::string concurrency_where;                   // file:line:col of `concurrency`, "" when not given
  std::string where;                               // file:line:col of the table
};

// `[schema] command` or `fixture_command`: a program of the team's (its
// migrations, its seeding script) run once per case with the environment a
// driver gets (PG* variables, PGOPTIONS with the case schema as
// search_path). Empty argv: not given.
struct SchemaCommand {
  std::vector<std::string> argv;  // argv[0] absolute (checked at load: no PATH search)
  std::string where;              // file:line:col of the key
  bool given() const { return !argv.empty(); }
};

// `[schema]`: the scenario's own tables, used by every case instead of the
// built-in schema. See docs/scenario-format.md.
struct UserSchema {
  std::string sql;    // `sql`, or the text of `file` (relative to the scenario); "" with `command`
  std::string where;  // file:line:col of `sql`, `file` or `command`
  // The path of `file` (of `fixture_file`) as read, "" when the SQL is
  // inline: the server's errors point at a line of that file.
  std::string sql_file;
  std::string fixture_file;
  // `command`: the program that creates the tables instead of `sql`.
  SchemaCommand command;
  // `fixture_command`: the program that fills them instead of `fixture`;
  // it gets each case var as LEDGERSTRESS_VAR_<name>.
  SchemaCommand fixture_command;
  std::string cwd;  // `cwd` of both commands, absolute; default: the scenario's directory
  std::vector<std::pair<std::string, std::string>> env;  // `env`: added to both commands' environment
  // `fixture` (or `fixture_file`): SQL run after `sql` in each case's
  // schema, its `:name`s replaced by the case's vars.<name> as literals.
  std::string fixture;
  std::string fixture_where;
  std::vector<std::string> fixture_vars;  // the `:name`s the fixture reads
};

// One `vars.<name>` of a case: its value as text, whether it was a TOML
// string (then quoted as a SQL literal in the fixture), and where it is set.
struct CaseVar {
  std::string text;
  bool is_string = false;
  std::string where;
};

// The race workload's own keys (CaseSpec::race).
struct RaceKeys {
  // `users_per_round`, default 1: the users a round's calls are spread over.
  // 1 puts every worker on the same user (maximum contention).
  int users_per_round = 1;
};

// The close workload's own keys (CaseSpec::close): `escrows` per project
// (default 1000), `projects` closed at once (default 1),
// `closers_per_project` threads closing the same project at the same moment
// (default 1).
struct CloseKeys {
  int escrows = 1000;
  int projects = 1;
  int closers_per_project = 1;
  // `release_batch_size` (default 100) and `max_escrows_per_close` (default
  // 1000, the batched strategy's slice): the review's constants.
  int release_batch_size = 100;
  int max_escrows_per_close = 1000;
  // `pledges_into_closing` (close workload; default 0): the share of the
  // background pledges that go to the project being closed instead of the
  // background project -- the pledge that arrives while the close runs.
  // Those after the close are refused (ProjectNotFunding: outcome
  // "expected", not an error); those before must be released or keep the
  // project open, never stranded on a SUCCESS project.
  double pledges_into_closing = 0;
};

// The ledger workload's own keys (CaseSpec::ledger): duplicates and the
// faults (harness/engine/fault_table.cpp).
struct LedgerKeys {
  // `deadlock_injection` (default false): a real 40P01 injected into the
  // pledges every `deadlock_every` (default "250ms"); see DeadlockInjector.
  bool deadlock_injection = false;
  std::chrono::milliseconds deadlock_every{250};
  // `backend_kill_every` (default "0ms": off): terminate one of our own
  // worker backends this often (pg_terminate_backend); workers reconnect.
  std::chrono::milliseconds backend_kill_every{0};
  // `duplicate_rate` (ledger workload; default 0): the share of
  // calls of operations with an idempotency key that are sent twice with
  // the same key and arguments: half re-sent by the same worker once the
  // first returned (a client retrying after a timeout), half sent by a
  // second worker while the first is in flight (two servers handling one
  // request). Each copy is in the client history under the one key.
  double duplicate_rate = 0;
  // `lost_reply_every` (ledger workload; default "0ms": off): this often, the reply to the
  // next COMMIT a worker sends is lost on its way back (the server applied
  // it; the client sees its connection drop): a proxy of the harness's own
  // between the workers and the server (LostReplyProxy). Calls in doubt that
  // really committed; the code must resolve them by key.
  std::chrono::milliseconds lost_reply_every{0};
  // `server_crash_every` (ledger workload; default "0ms": off): crash the
  // server this often -- the postmaster stopped in immediate mode, as a
  // power cut looks to PostgreSQL, then started again on the same data
  // directory (crash recovery). Only on the embedded cluster this run
  // started; any other target is refused before a case runs.
  // `server_crash_where` is the key's file:line:col for that message.
  std::chrono::milliseconds server_crash_every{0};
  std::string server_crash_where;
};

// One call of an explore session: an [[operation]] with statements, and
// the params it fixes (name -> value as text); the others are drawn by the
// operation's generators from the case seed.
struct ExploreCall {
  std::string op;
  std::map<std::string, std::string> fixed;
  std::string where;  // file:line:col of the call in `sessions`
};

// The explore workload's own keys (CaseSpec::explore).
struct ExploreKeys {
  // `sessions`, required: 2..4 sessions, each 1..8 calls, run in order in
  // the session's own connection.
  std::vector<std::vector<ExploreCall>> sessions;
  // `max_schedules` (default 1000): every interleaving is run when there
  // are at most this many; otherwise `schedules` PCT schedules (default 0:
  // enough for a 99% chance of each bug of depth `pct_depth`, default 2,
  // capped at max_schedules).
  std::int64_t max_schedules = 1000;
  std::int64_t schedules = 0;
  int pct_depth = 2;
  // `schedule` (or --schedule): run only this schedule id (-1: all), and
  // where it was set ("--set schedule=N" for the flag).
  std::int64_t schedule = -1;
  std::string schedule_where;
};

struct CaseSpec {
  std::string name;         // `name`, required, unique in the scenario
  std::string description;  // `description`, default ""

  // `expect`: "pass" (default) or "violation".
  Expectation expect = Expectation::kPass;
  // `violates`: with expect = "violation", the invariants that must be seen
  // violated. Empty: any violated invariant counts as caught.
  std::vector<std::string> violates;

  // `workers`, required, 1..2000 (0..2000 for the close workload, where
  // they are background workers): threads, each with its own connection.
  int workers = 0;
  // Exactly one of `calls_per_worker` (1..10^9) or `duration` ("15s") per
  // round. calls_per_worker = 0 means the duration schedule is in force.
  std::int64_t calls_per_worker = 0;
  std::chrono::milliseconds duration{0};
  // `arrival_rate` (ledger workload, and the close workload's background;
  // "200/s" or "600/min"; default off: a closed loop, each worker calling
  // again as soon as its call returns): the open model. Calls arrive at
  // this rate, evenly spaced or, with `arrival = "poisson"`, as a Poisson
  // process drawn from the case's seed; the workers serve them. Latency is
  // then measured from each call's intended start too (corrected), and a
  // call that could not start within `max_start_delay` (default "1s") of
  // its intended start, every worker being busy, is dropped and counted.
  double arrival_rate_per_s = 0;
  bool arrival_poisson = false;
  std::chrono::milliseconds max_start_delay{1000};
  // `rounds`, default 1, 1..100000: times the workers are released together
  // on a barrier, each round on fresh targets (new users). More rounds make a
  // rare race show up reliably.
  int rounds = 1;

  // `mix`: operation -> weight (> 0). Default: {saka_get_or_create_wallet = 1}.
  std::map<std::string, double> mix;
  // `strategy`: operation -> strategy name; the catalog's default otherwise.
  std::map<std::string, std::string> strategies;
  // `schema`: schema options by name (catalog defaults filled in).
  std::map<std::string, bool> schema_options;

  // `session.<name>` = value: a server setting (SET name = 'value') on every
  // worker and closer session, e.g. session.synchronous_commit = "off" or
  // session.default_transaction_isolation = "repeatable read". Checked by
  // the server before any case runs. `session_where` holds each one's
  // "file:line:col", for that check's message.
  std::vector<std::pair<std::string, std::string>> session;
  std::vector<std::string> session_where;

  // `invariants`: which to check. Default: all of them.
  std::vector<std::string> invariants;
  // `max_error_rate`, default 0: the share of calls allowed to end in an
  // error before the case fails. 0 means any failed call fails the case.
  double max_error_rate = 0;
  // `max_in_doubt_rate`, default 1 (no limit): the share of calls allowed
  // to end in doubt (a COMMIT whose reply never came: a killed backend, a
  // crash, a lost reply). Counted apart from errors: an in-doubt call is
  // the fault working, resolved by key by acknowledged_writes_durable.
  double max_in_doubt_rate = 1;
  // `min_effective_calls`, default 1: a case expected to pass in which
  // fewer calls took effect (outcome ok) fails -- a case that did nothing
  // is not a pass.
  std::int64_t min_effective_calls = 1;
  // `lock_timeout` (default off) and `statement_timeout` (default "30s"),
  // set on every worker connection. 0 turns the timeout off.
  std::chrono::milliseconds lock_timeout{0};
  std::chrono::milliseconds statement_timeout{30000};

  // `workload`: "race" (default), "close", "ledger" or "explore".
  Workload workload = Workload::kRace;
  // The race's, the close's and the ledger's own keys.
  RaceKeys race;
  CloseKeys close;
  LedgerKeys ledger;
  ExploreKeys explore;
  // Close and ledger: `donors` users whose pledges fill the escrows and
  // make the background calls (default 1000).
  int donors = 1000;
  // `commission_rate` (default 0.05) and `fee_rate` (default 0.029), exact
  // decimals with at most 6 places, in parts per million here.
  std::int64_t commission_rate_ppm = 50000;
  std::int64_t fee_rate_ppm = 29000;

  // `retry` (default "none"): how pledge_funds and deposit react to a
  // deadlock: "none", "in_transaction" (the review's), "per_transaction"
  // (hardened). `max_attempts` (default 3), `retry_base_delay` (default
  // "100ms", doubled per attempt), `retry_jitter` (default true).
  settlement::RetryStrategy retry = settlement::RetryStrategy::kNone;
  int max_attempts = 3;
  std::chrono::milliseconds retry_base_delay{100};
  bool retry_jitter = true;
  // `monitor_interval` (close and ledger workloads; default "10ms" for close,
  // short enough to see a close's peak of rows locked, "50ms" for ledger):
  // how often the monitor samples rows locked (pgrowlocks scans the table),
  // lock waiters and idle-in-transaction sessions. "0ms" turns sampling off
  // (those figures are then marked missing; the statement and deadlock
  // counts are still read): the server then does only the workload's work.
  std::chrono::milliseconds monitor_interval{50};

  // `driver`: the [drivers.<name>] table whose processes run every
  // operation of the case (null: the built-in C++ port). Its strategies
  // are the driver's: `strategies` holds what the case set ("" for an
  // operation left to the driver's default) until the run asks the driver
  // what it offers, before any case runs; `strategy_where` holds where each
  // operation's strategy (or else its mix weight) was set, as file:line:col,
  // for that check's message.
  std::shared_ptr<const DriverSpec> driver;
  std::map<std::string, std::string> strategy_where;

  // The scenario's [[sql_invariant]] tables, checked in every case.
  std::vector<SqlInvariant> sql_invariants;

  // The operations `mix` names: the built-in ones and the scenario's
  // [[operation]]s (never null once loaded).
  std::shared_ptr<const OperationTable> operations;
  // The scenario's [schema], or null for the built-in schema.
  std::shared_ptr<const UserSchema> user_schema;
  // `vars.<name>`: the scenario variables the fixture and the generators read.
  std::map<std::string, CaseVar> vars;

  // `thresholds`: metric -> limit ("< 50ms"); see threshold.h. A threshold
  // on a metric the case does not produce is refused at load time.
  std::vector<Threshold> thresholds;

  // `seed`: the case's RNG seed. Default: derived from the scenario seed and
  // the case's position, so `--seed` replays a whole run.
  std::uint64_t seed = 0;
};

struct Scenario {
  std::string path;         // as given on the command line
  std::string name;         // `name`, default: the file's stem
  std::string description;  // `description`
  std::uint64_t seed = 0;   // `seed`, or --seed, or random (recorded)
  bool seed_from_user = false;
  std::vector<CaseSpec> cases;  // `[[case]]`, at least one
  // `[drivers.<name>]` tables, by name.
  std::map<std::string, std::shared_ptr<const DriverSpec>> drivers;
  // `[schema]` (null: the built-in schema) and the operation table with
  // the `[[operation]]`s; every case shares them.
  std::shared_ptr<const UserSchema> user_schema;
  std::shared_ptr<const OperationTable> operations;

  // Most connections any case opens for its workers and closers: sizes the
  // embedded cluster.
  int MaxWorkers() const;
  // Where the first case that crashes the server (server_crash_every) sets
  // it, as file:line:col; "" when no case does.
  std::string CrashWhere() const;
};

// A scenario that cannot be used. what() is "file:line:col: message" (or
// "file: message" when no position applies), ready to print.
class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const char* ExpectationName(Expectation e);
const char* WorkloadName(Workload w);  // "race", "close", "ledger", "explore"

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_SCENARIO_H_
