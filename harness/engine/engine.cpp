#include "harness/engine/engine.h"

#include <algorithm>
#include <chrono>

#include "harness/engine/fixtures.h"
#include "harness/engine/schema_command.h"
#include "harness/engine/server_statements.h"
#include "harness/engine/verdict.h"
#include "harness/engine/workload_plans.h"
#include "harness/invariants/invariants.h"
#include "harness/pg/dsn.h"
#include "harness/scenario/resolved.h"
#include "settlement/connection.h"

#include <nlohmann/json.hpp>

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The report's entry for `spec` before anything ran.
CaseResult NewResult(const CaseSpec& spec, const std::string& schema) {
  CaseResult r;
  r.name = spec.name;
  r.description = spec.description;
  r.expect = ExpectationName(spec.expect);
  r.violates = spec.violates;
  r.schema = schema;
  r.seed = spec.seed;
  r.settings = ResolvedSettings(spec);
  r.workers = spec.workers;
  r.rounds = spec.rounds;
  return r;
}

// Whether a shard was lost and every lost shard's calls were resolved by
// key: the checks then see every call.
bool LostShardResolved(const CaseResult& r) {
  const auto lost = [](const ShardShare& s) { return s.lost; };
  const auto unresolved = [](const ShardShare& s) { return s.lost && s.in_doubt_unresolved; };
  return std::any_of(r.shards.begin(), r.shards.end(), lost) &&
         std::none_of(r.shards.begin(), r.shards.end(), unresolved);
}

}  // namespace

// One case from setup to teardown: what the phases share.
struct CaseRunner::Run_ {
  const CaseSpec& spec;
  std::string schema;
  CaseProgress* progress;
  std::string app_prefix;
  CaseResult r;
  std::unique_ptr<settlement::Connection> setup;
  bool schema_created = false;
  CaseFixture fixture;
  ClientHistory history;  // what the client saw, for acknowledged_writes_durable
};

CaseResult CaseRunner::Run(const CaseSpec& spec, const std::string& schema, CaseProgress* progress) {
  Run_ run{spec, schema, progress, "ledgerstress/" + options_.run_id, NewResult(spec, schema), {}, false, {}, {}};
  progress->rounds = spec.rounds;
  if (spec.workload == Workload::kRace && spec.calls_per_worker > 0) {
    progress->planned_calls = static_cast<std::uint64_t>(spec.calls_per_worker) * spec.workers * spec.rounds;
  }
  // A stop request cancels whatever statement of ours is running, in every
  // phase: a long fixture, the workload, an invariant check.
  const Target& target = options_.target;
  const std::string prefix = run.app_prefix;
  const int cancel_handle = stop_->AddCallback([&target, prefix] { CancelOurStatements(target, prefix); });
  ShardLink* const shard = options_.shard;
  const bool leads = !shard || shard->coordinator();  // sets the case up, judges it, drops it
  try {
    if (leads) {
      SetUp(&run);
    } else {
      AwaitSetup(&run);
    }
    Measure(&run);
    // A lost shard's calls were resolved by key: the checks still run over
    // every call (the case stays an error naming the shard). Not when they
    // could not be: the history would lack them.
    const bool judged = run.r.verdict != Verdict::kError || LostShardResolved(run.r);
    if (leads && judged && !PlanOf(spec.workload).checks_itself) Check(&run);
    if (leads) DecideVerdict(spec, &run.r);
  } catch (const std::exception& e) {
    Failed(&run, e);
  }
  if (run.r.verdict == Verdict::kError && run.r.verdict_reason.empty()) run.r.verdict_reason = run.r.error;
  if (shard && leads) PostVerdict(&run);
  if (shard && !leads) AwaitVerdict(&run);
  stop_->RemoveCallback(cancel_handle);  // the drop below must not be cancelled
  if (leads) Teardown(&run);
  return std::move(run.r);
}

SessionSettings CaseRunner::SetupSession(const Run_& run) const {
  return SessionSettings::Named(run.app_prefix + "/setup");
}

void CaseRunner::Setup(Run_* run) {
  const CaseSpec& spec = run->spec;
  const auto t0 = Clock::now();
  run->setup = Connect(options_.target, SetupSession(*run));
  const WorkloadPlan& plan = PlanOf(spec.workload);
  FixtureSpec fs{run->schema, spec.schema_options, plan.race_users(spec)};
  if (spec.user_schema) {
    fs.user = spec.user_schema.get();
    fs.user_fixture = FixtureSql(*spec.user_schema, spec.vars);
  }
  run->fixture.users = CreateFixture(*run->setup, fs);
  run->schema_created = true;
  if (spec.user_schema && HasSchemaCommands(*spec.user_schema)) {
    const SchemaCommandContext ctx{&options_.target, run->schema, run->app_prefix + "/schema-command",
                                   options_.driver_log_dir, &spec.vars, stop_};
    RunSchemaCommands(*run->setup, *spec.user_schema, fs.user_fixture, ctx);
  }
  if (spec.user_schema) {
    RefreshStatistics(*run->setup, run->schema);  // the fixture's rows, planned for
  } else if (plan.fixture) {
    plan.fixture(*run->setup, spec, run->schema, &run->fixture);
  }
  run->r.setup_seconds = Seconds(Clock::now() - t0);
}

void CaseRunner::Measure(Run_* run) {
  const CaseSpec& spec = run->spec;
  CaseResult& r = run->r;
  const auto t0 = Clock::now();
  const WorkloadEnv env{&options_.target, run->schema,           run->app_prefix,
                        stop_,           run->progress,         options_.driver_log_dir,
                        options_.shard};
  PlanOf(spec.workload).run(spec, run->fixture, env, &r, &run->history);
  AttributeServerStatements(spec.ledger.deadlock_injection, &r);
  r.run_seconds = Seconds(Clock::now() - t0);
  if (r.verdict != Verdict::kError && stop_->stop_requested()) {
    r.verdict = Verdict::kInterrupted;
    r.verdict_reason = "stopped after " + std::to_string(r.rounds_completed) + " of " + std::to_string(spec.rounds) +
                       " rounds";
  }
}

namespace {

// The race's returned wallets (CheckRaceReturns), as one of the case's checks.
void CheckReturns(settlement::Connection& conn, const ClientHistory& history, CaseResult* r) {
  try {
    if (auto c = CheckRaceReturns(conn, history)) r->checks.push_back(*c);
  } catch (const std::exception& e) {
    r->checks.push_back(CheckResult{"race_returns", false, "could not be checked: " + FirstLine(e.what())});
  }
}

}  // namespace

void CaseRunner::Check(Run_* run) {
  const CaseSpec& spec = run->spec;
  CaseResult& r = run->r;
  const auto t0 = Clock::now();
  std::unique_ptr<settlement::Connection> check =
      Connect(options_.target, SessionSettings::Named(run->app_prefix + "/check", run->schema));
  RefreshStatistics(*check, run->schema);  // the workload changed the tables: plan the checks on fresh numbers
  const InvariantParams params{spec.commission_rate_ppm, spec.fee_rate_ppm, &run->history};
  for (const std::string& name : spec.invariants) {
    if (stop_->stop_requested()) break;  // interrupted: the checks not run are not claimed
    r.invariants.push_back(CheckInvariant(*check, name, params));
  }
  for (const SqlInvariant& q : spec.sql_invariants) {
    if (stop_->stop_requested()) break;
    r.invariants.push_back(CheckSqlInvariant(*check, q));
  }
  if (!stop_->stop_requested()) CheckReturns(*check, run->history, &r);
  r.check_seconds = Seconds(Clock::now() - t0);
  if (stop_->stop_requested()) {
    r.verdict = Verdict::kInterrupted;
    r.verdict_reason = "stopped during the invariant checks: " + std::to_string(r.invariants.size()) +
                       " checked, the last possibly cancelled";
  }
}

void CaseRunner::SetUp(Run_* run) {
  try {
    Setup(run);
  } catch (const std::exception& e) {
    if (options_.shard) {
      try {
        PostSetup(run, RedactWith(FirstLine(e.what()), options_.target.dsn));
      } catch (const std::exception&) {
        // The set-up's own error is the one to report.
      }
    }
    throw;
  }
  if (options_.shard) PostSetup(run, "");
}

// The fixture's ids the workers need travel with "ready": a shard's
// workers aim at the rows shard 0 made.
void CaseRunner::PostSetup(Run_* run, const std::string& error) {
  const CaseFixture& fx = run->fixture;
  const nlohmann::json j{{"error", error},
                         {"first_user", fx.users.first_user_id},
                         {"donor_first_user", fx.close.donor_first_user},
                         {"donors", fx.close.donors},
                         {"background_project", fx.close.background_project}};
  options_.shard->Post(run->schema + "/ready", j.dump());
}

void CaseRunner::AwaitSetup(Run_* run) {
  const auto t0 = Clock::now();
  const nlohmann::json j = nlohmann::json::parse(
      options_.shard->Await(run->schema + "/ready", {0}, ShardLink::Patience::kWhileAlive).front());
  const std::string error = j.at("error");
  if (!error.empty()) throw ShardError("shard 0 could not set the case up: " + error);
  run->fixture.users.first_user_id = j.at("first_user");
  run->fixture.close.donor_first_user = j.at("donor_first_user");
  run->fixture.close.donors = j.at("donors");
  run->fixture.close.background_project = j.at("background_project");
  run->r.setup_seconds = Seconds(Clock::now() - t0);
}

void CaseRunner::PostVerdict(Run_* run) {
  try {
    const nlohmann::json j{{"verdict", VerdictName(run->r.verdict)},
                           {"reason", run->r.verdict_reason},
                           {"error", run->r.error},
                           {"cannot_run", run->r.cannot_run}};
    options_.shard->Post(run->schema + "/verdict", j.dump());
  } catch (const std::exception& e) {
    if (run->r.error.empty()) run->r.error = "could not post the verdict to the other shards: " + FirstLine(e.what());
  }
}

// Another shard's verdict is shard 0's, who judged the whole case; its own
// error (a worker that failed, shard 0 gone) stays when it has one.
void CaseRunner::AwaitVerdict(Run_* run) {
  CaseResult& r = run->r;
  if (stop_->stop_requested()) return;  // interrupted here: nothing to wait for
  try {
    const nlohmann::json j = nlohmann::json::parse(
        options_.shard->Await(run->schema + "/verdict", {0}, ShardLink::Patience::kWhileAlive).front());
    Verdict v = Verdict::kError;
    ParseVerdict(j.at("verdict"), &v);
    if (r.verdict == Verdict::kError && v != Verdict::kError) return;
    r.verdict = v;
    r.verdict_reason = "shard 0's verdict: " + j.at("reason").get<std::string>();
    r.cannot_run = j.value("cannot_run", "");
    if (r.error.empty() && v == Verdict::kError) r.error = "shard 0: " + j.value("error", j.at("reason").get<std::string>());
  } catch (const std::exception& e) {
    r.verdict = Verdict::kError;
    if (r.error.empty()) r.error = FirstLine(e.what());
    r.verdict_reason = r.error;
  }
}

void CaseRunner::Failed(Run_* run, const std::exception& e) {
  CaseResult& r = run->r;
  if (stop_->stop_requested()) {
    // What failed was cancelled by the stop request (the fixture, say).
    r.verdict = Verdict::kInterrupted;
    r.verdict_reason = std::string(run->schema_created ? "stopped" : "stopped during setup") + ": " +
                       RedactWith(FirstLine(e.what()), options_.target.dsn);
  } else {
    r.verdict = Verdict::kError;
    r.error = RedactWith(FirstLine(e.what()), options_.target.dsn);
  }
}

void CaseRunner::Teardown(Run_* run) {
  if (!run->schema_created || options_.keep_data) return;
  try {
    // The set-up session may not have survived the case (a killed backend, a crashed server).
    if (!run->setup || !run->setup->is_open() || run->spec.ledger.server_crash_every.count() > 0) {
      run->setup = Connect(options_.target, SetupSession(*run));
    }
    DropSchema(*run->setup, run->schema);
  } catch (const std::exception& e) {
    if (run->r.error.empty()) run->r.error = "could not drop schema " + run->schema + ": " + FirstLine(e.what());
  }
}

}  // namespace ledgerstress
