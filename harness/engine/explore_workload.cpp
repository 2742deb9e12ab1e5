#include "harness/engine/explore_workload.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <numeric>

#include <libpq-fe.h>

#include "harness/engine/explore_run.h"
#include "harness/engine/explore_spec.h"
#include "harness/engine/fixtures.h"
#include "harness/invariants/invariants.h"
#include "harness/pg/dsn.h"

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;

std::string Count(std::uint64_t n) { return n == UINT64_MAX ? "more than 18 quintillion" : std::to_string(n); }

// Empties every table of the case's schema and runs the [schema] fixture
// again: each schedule starts from the same rows.
class FixtureReset {
 public:
  FixtureReset(const Target& target, const CaseSpec& spec, const WorkloadEnv& env)
      : conn_(Connect(target, SessionSettings::Named(env.app_prefix + "/explore-reset", env.schema))) {
    const char* schema = env.schema.c_str();
    PGresult* res = PQexecParams(conn_->handle(),
                                 "SELECT coalesce(string_agg(format('%I.%I', schemaname, tablename), ', '), '') "
                                 "FROM pg_tables WHERE schemaname = $1",
                                 1, nullptr, &schema, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    const std::string list = ok ? PQgetvalue(res, 0, 0) : "";
    const std::string err = ok ? "" : FirstLine(PQresultErrorMessage(res));
    PQclear(res);
    if (!ok) throw std::runtime_error("explore: cannot list the case's tables: " + err);
    if (!list.empty()) sql_ = "TRUNCATE " + list + " RESTART IDENTITY CASCADE;\n";
    if (spec.user_schema) {
      sql_ += FixtureSql(*spec.user_schema, spec.vars);
    } else {
      sql_ += BuiltinExploreFixtureSql();
    }
  }
  void Run() {
    if (sql_.empty()) return;
    PGresult* res = PQexec(conn_->handle(), sql_.c_str());
    const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    const std::string err = ok ? "" : FirstLine(PQresultErrorMessage(res));
    PQclear(res);
    if (!ok) throw std::runtime_error("explore: resetting the fixture failed: " + err);
  }

 private:
  std::unique_ptr<settlement::Connection> conn_;
  std::string sql_;
};

// What the client saw of one schedule's calls, for acknowledged_writes_durable.
ClientHistory HistoryOf(const std::vector<ExploreSessionPlan>& plan, const ScheduleRun& run) {
  ClientHistory h;
  for (std::size_t s = 0; s < plan.size(); ++s) {
    ClientHistory::Log log;
    log.key_prefix = ExploreKeyPrefix(s);
    for (std::size_t c = 0; c < plan[s].calls.size(); ++c) {
      const ExploreCallPlan& call = plan[s].calls[c];
      std::vector<std::string> names;
      for (const SqlParam& p : call.op->params) names.push_back(p.name);
      const std::uint8_t op = call.op->durable_sql.empty() ? ClientHistory::kUntracked
                                                           : h.Track(call.op->name, call.op->durable_sql, names);
      const std::string& outcome = run.calls[s][c].outcome;
      const ClientHistory::Seen seen = outcome == "ok" ? ClientHistory::kOk
                                       : outcome == "no_effect" ? ClientHistory::kNoEffect : ClientHistory::kFailed;
      log.calls.push_back(op == ClientHistory::kUntracked ? op : ClientHistory::Pack(op, seen));
      std::string args;
      for (std::size_t p = 0; p < call.params.size(); ++p) args += (p ? std::string(1, ClientHistory::kArgSeparator) : "") + call.params[p];
      log.args += args;
      log.args_end.push_back(static_cast<std::uint32_t>(log.args.size()));
    }
    h.Add(std::move(log));
  }
  return h;
}

std::vector<InvariantResult> CheckSchedule(pqxx::connection_base& conn, const CaseSpec& spec, const ClientHistory& h) {
  std::vector<InvariantResult> out;
  const InvariantParams params{spec.commission_rate_ppm, spec.fee_rate_ppm, &h};
  for (const std::string& name : spec.invariants) out.push_back(CheckInvariant(conn, name, params));
  for (const SqlInvariant& q : spec.sql_invariants) out.push_back(CheckSqlInvariant(conn, q));
  return out;
}

// The sessions, their lock check and the fixture reset of one case.
struct Rig {
  std::vector<std::unique_ptr<ExploreSession>> sessions;
  std::unique_ptr<BlockCheck> check;
  std::unique_ptr<FixtureReset> reset;
  std::unique_ptr<settlement::Connection> invariants;

  Rig(const CaseSpec& spec, const WorkloadEnv& env) {
    std::vector<int> pids;
    for (std::size_t s = 0; s < spec.explore.sessions.size(); ++s) {
      SessionSettings set = SessionSettings::Named(env.app_prefix + "/explore/s" + std::to_string(s + 1), env.schema);
      set.lock_timeout = spec.lock_timeout;
      set.statement_timeout = spec.statement_timeout;
      set.deadlock_timeout = kExploreDeadlockTimeout;
      set.extra = spec.session;
      sessions.push_back(std::make_unique<ExploreSession>(*env.target, set));
      pids.push_back(sessions.back()->pid());
    }
    check = std::make_unique<BlockCheck>(*env.target, SessionSettings::Named(env.app_prefix + "/explore-locks"), pids);
    reset = std::make_unique<FixtureReset>(*env.target, spec, env);
    invariants = Connect(*env.target, SessionSettings::Named(env.app_prefix + "/check", env.schema));
  }
  std::vector<ExploreSession*> Sessions() const {
    std::vector<ExploreSession*> out;
    for (const auto& s : sessions) out.push_back(s.get());
    return out;
  }
};

bool CallFailed(const ExploreCallEnd& e) { return e.outcome != "ok" && e.outcome != "expected" && e.outcome != "no_effect"; }

// Everything the schedules add up to, and the best counterexample so far.
struct Tally {
  std::map<std::string, OperationResult> ops;
  std::vector<InvariantResult> invariants;  // per invariant: the counterexample's result once violated
  std::map<std::string, std::uint64_t> violated_in;
  bool have_best = false;
  std::tuple<int, int, std::uint64_t> best_key;  // (0 violated / 1 a call failed, switches, id)
  std::map<std::string, InvariantResult> shown;   // per violated invariant: the result to show
};

// Keeps schedule `id` as the counterexample when it fails with fewer
// context switches than the one kept (a broken invariant before a failed call).
void ConsiderCounterexample(const CaseSpec& spec, std::uint64_t id, const StepOrder& order, const ScheduleRun& run,
                            const std::vector<InvariantResult>& inv, bool violated, Tally* t, ExploreReport* x) {
  const auto key = std::make_tuple(violated ? 0 : 1, ContextSwitches(order), id);
  if (t->have_best && !(key < t->best_key)) return;
  t->have_best = true;
  t->best_key = key;
  x->counterexample_id = static_cast<std::int64_t>(id);
  x->counterexample_order = ScheduleText(order);
  x->counterexample_switches = ContextSwitches(order);
  x->counterexample = run.trace;
  x->counterexample_after.clear();
  std::vector<std::string> broken;
  for (const InvariantResult& i : inv) {
    if (i.status != "violated") continue;
    broken.push_back(i.name);
    t->shown[i.name] = i;
    std::string line = i.name + ": " + i.message;
    if (!i.samples.empty()) {
      std::string row;
      for (std::size_t c = 0; c < i.samples[0].size(); ++c) {
        row += (c ? ", " : "") + (c < i.sample_columns.size() ? i.sample_columns[c] + "=" : "") + i.samples[0][c];
      }
      line += " (" + row + ")";
    }
    x->counterexample_after.push_back(line);
  }
  x->isolation_spec = IsolationSpec(spec, static_cast<std::int64_t>(id), run, broken);
}

void AddCalls(const std::vector<ExploreSessionPlan>& plan, const ScheduleRun& run, Tally* t) {
  for (const auto& [s, i] : run.sent) {  // every step sent is one statement (BEGIN and COMMIT included)
    t->ops[plan[s].calls[plan[s].steps[i].call].op->name].statements++;
  }
  for (std::size_t s = 0; s < plan.size(); ++s) {
    for (std::size_t c = 0; c < plan[s].calls.size(); ++c) {
      OperationResult& op = t->ops[plan[s].calls[c].op->name];
      op.name = plan[s].calls[c].op->name;
      op.strategy = "as_written";
      op.statements_source = "harness";
      op.calls++;
      const ExploreCallEnd& e = run.calls[s][c];
      op.outcomes[e.outcome]++;
      op.round_trips = op.statements;
      if (CallFailed(e) && op.error_samples.size() < 5) {
        const std::string sample = e.outcome + (e.sqlstate.empty() ? "" : " [" + e.sqlstate + "]") + ": " + e.message;
        bool seen = false;
        for (const std::string& x : op.error_samples) seen = seen || x == sample;
        if (!seen) op.error_samples.push_back(sample);
      }
    }
  }
}

}  // namespace

ExploreChoice ChooseSchedules(const CaseSpec& spec) {
  ExploreChoice c;
  c.steps = StepCounts(PlanExplore(spec));
  c.interleavings = InterleavingCount(c.steps);
  const ExploreKeys& k = spec.explore;
  c.pct = c.interleavings > static_cast<std::uint64_t>(k.max_schedules);
  if (c.pct) {
    const int total = std::accumulate(c.steps.begin(), c.steps.end(), 0);
    const double p = PctProbability(static_cast<int>(c.steps.size()), total, k.pct_depth);
    const std::uint64_t for99 = PctSchedulesFor99(p);
    const std::uint64_t n = k.schedules > 0 ? static_cast<std::uint64_t>(k.schedules)
                                            : std::min<std::uint64_t>(for99, static_cast<std::uint64_t>(k.max_schedules));
    const double found = 1 - std::pow(1 - p, static_cast<double>(n));
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "each PCT schedule finds a bug of depth %d with probability >= 1/%.0f; %llu schedules give %.1f%% "
                  "(%llu give 99%%; schedules may repeat an interleaving)",
                  k.pct_depth, 1 / p, static_cast<unsigned long long>(n), 100 * found, static_cast<unsigned long long>(for99));
    c.guarantee = buf;
    c.mode = "pct";
    for (std::uint64_t i = 0; i < n; ++i) c.ids.push_back(i);
  } else {
    c.mode = "every interleaving";
    for (std::uint64_t i = 0; i < c.interleavings; ++i) c.ids.push_back(i);
  }
  if (k.schedule >= 0) {
    c.mode = "one schedule";
    c.ids = {static_cast<std::uint64_t>(k.schedule)};
  }
  return c;
}

StepOrder ScheduleOf(const ExploreChoice& choice, const CaseSpec& spec, std::uint64_t id) {
  if (choice.pct) return PctSchedule(choice.steps, spec.explore.pct_depth, spec.seed, id);
  return NthInterleaving(choice.steps, id);
}

void CheckScheduleIds(const std::vector<CaseSpec>& cases) {
  for (const CaseSpec& c : cases) {
    if (c.workload != Workload::kExplore || c.explore.schedule < 0) continue;
    const ExploreChoice choice = ChooseSchedules(c);
    if (choice.pct || static_cast<std::uint64_t>(c.explore.schedule) < choice.interleavings) continue;
    throw ScenarioError(c.explore.schedule_where + ": schedule " + std::to_string(c.explore.schedule) +
                        " does not exist: case '" + c.name + "' has " + Count(choice.interleavings) +
                        " interleavings, numbered from 0 (choose the case with --case)");
  }
}

std::string ExploreAnnouncement(const CaseSpec& spec) {
  const ExploreChoice c = ChooseSchedules(spec);
  const int total = std::accumulate(c.steps.begin(), c.steps.end(), 0);
  std::string out = std::to_string(c.steps.size()) + " sessions, " + std::to_string(total) + " steps: " +
                    Count(c.interleavings) + " interleavings, ";
  if (c.mode == "one schedule") return out + "schedule " + std::to_string(c.ids.front()) + " runs";
  if (!c.pct) return out + "every one runs";
  return out + "more than max_schedules = " + std::to_string(spec.explore.max_schedules) + ": " +
         std::to_string(c.ids.size()) + " PCT schedules run";
}

namespace {

void TallyInvariants(const std::vector<InvariantResult>& inv, Tally* t) {
  if (t->invariants.empty()) {
    for (const InvariantResult& i : inv) t->invariants.push_back(InvariantResult{i.name, "held", "held in every schedule"});
  }
  for (std::size_t k = 0; k < inv.size() && k < t->invariants.size(); ++k) {
    if (inv[k].status == "violated") {
      t->violated_in[inv[k].name]++;
      if (!t->shown.count(inv[k].name)) t->shown[inv[k].name] = inv[k];
    } else if (inv[k].status == "error" && t->invariants[k].status != "error") {
      t->invariants[k] = inv[k];
    }
  }
}

// One schedule from a fresh fixture to its invariants.
void RunOne(const CaseSpec& spec, const std::vector<ExploreSessionPlan>& plan, const ExploreChoice& choice, std::uint64_t id,
            Rig& rig, ScheduleRunner& runner, Tally* t, ExploreReport* x) {
  const StepOrder order = ScheduleOf(choice, spec, id);
  for (auto& s : rig.sessions) s->Reset();  // first: a session's locks would hold up the TRUNCATE
  rig.reset->Run();
  const ScheduleRun run = runner.Run(order);
  const ClientHistory history = HistoryOf(plan, run);
  const std::vector<InvariantResult> inv = CheckSchedule(*rig.invariants, spec, history);
  AddCalls(plan, run, t);
  TallyInvariants(inv, t);
  bool violated = false, failed = false;
  for (const InvariantResult& i : inv) violated = violated || i.status == "violated";
  for (const auto& session : run.calls) {
    for (const ExploreCallEnd& e : session) failed = failed || CallFailed(e);
  }
  x->schedules_run++;
  if (run.blocked) x->schedules_blocked++;
  for (const std::string& state : run.sqlstates) x->errors[state]++;
  if (violated) x->schedules_violating++;
  if (violated || failed) {
    x->schedules_failed++;
    ConsiderCounterexample(spec, id, order, run, inv, violated, t, x);
  }
}

// The tally as the case's operations and invariants.
void Finish(const Tally& t, CaseResult* r) {
  for (const auto& [name, op] : t.ops) r->operations.push_back(op);
  for (InvariantResult i : t.invariants) {
    const auto v = t.violated_in.find(i.name);
    if (v != t.violated_in.end() && i.status != "error") {
      const InvariantResult& shown = t.shown.at(i.name);
      i = shown;
      i.message = "violated in " + std::to_string(v->second) + " of " + std::to_string(r->explore.schedules_run) +
                  " schedules; " + shown.message;
    }
    r->invariants.push_back(std::move(i));
  }
}

void Explore(const CaseSpec& spec, const WorkloadEnv& env, CaseResult* r) {
  const auto t0 = Clock::now();
  const std::vector<ExploreSessionPlan> plan = PlanExplore(spec);
  const ExploreChoice choice = ChooseSchedules(spec);
  if (!choice.pct && spec.explore.schedule >= 0 && static_cast<std::uint64_t>(spec.explore.schedule) >= choice.interleavings) {
    throw std::runtime_error("schedule " + std::to_string(spec.explore.schedule) + " does not exist: case '" + spec.name +
                             "' has " + Count(choice.interleavings) + " interleavings, numbered from 0");
  }
  ExploreReport& x = r->explore;
  x.ran = true;
  x.sessions = static_cast<int>(plan.size());
  x.steps = std::accumulate(choice.steps.begin(), choice.steps.end(), 0);
  x.mode = choice.mode;
  x.interleavings = choice.interleavings;
  x.guarantee = choice.guarantee;
  Rig rig(spec, env);
  const std::chrono::milliseconds give_up =
      spec.statement_timeout.count() > 0 ? spec.statement_timeout + std::chrono::seconds(5) : std::chrono::minutes(5);
  ScheduleRunner runner(rig.Sessions(), rig.check.get(), &plan, give_up);
  Tally t;
  env.progress->planned_calls = choice.ids.size();
  for (const std::uint64_t id : choice.ids) {
    if (env.stop->stop_requested()) break;
    RunOne(spec, plan, choice, id, rig, runner, &t, &x);
    env.progress->calls++;
  }
  Finish(t, r);
  r->rounds_completed = 1;
  r->workers_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  x.seconds_per_schedule = x.schedules_run ? r->workers_seconds / static_cast<double>(x.schedules_run) : 0;
}

}  // namespace

void RunExploreWorkload(const CaseSpec& spec, const WorkloadEnv& env, CaseResult* r) {
  try {
    Explore(spec, env, r);
  } catch (const std::exception& e) {
    r->verdict = Verdict::kError;
    r->error = RedactWith(FirstLine(e.what()), env.target->dsn);
  }
}

}  // namespace ledgerstress
