#include "harness/engine/engine.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "harness/engine/close_workload.h"
#include "harness/engine/monitor.h"
#include "harness/faults/backend_killer.h"
#include "harness/faults/deadlock_injector.h"
#include "harness/engine/fixtures.h"
#include "harness/engine/verdict.h"
#include "harness/engine/worker.h"
#include "harness/invariants/invariants.h"
#include "harness/pg/dsn.h"
#include "harness/scenario/resolved.h"
#include "settlement/connection.h"

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

settlement::RetryPolicy PolicyOf(const CaseSpec& spec) {
  settlement::RetryPolicy p;
  settlement::ParseRetryStrategy(spec.retry, &p.strategy);
  p.max_attempts = spec.max_attempts;
  p.base_delay = spec.retry_base_delay;
  p.jitter = spec.retry_jitter;
  return p;
}

// The race and ledger workloads: every worker released together each round,
// running the mix for the schedule; the ledger workload may inject
// deadlocks and is watched by a monitor. The client history is appended to
// *history.
void RunWorkers(const CaseSpec& spec, const Targets& targets, const Target& target, const std::string& schema,
                const std::string& app_prefix, StopSource* stop, CaseProgress* progress, CaseResult* r,
                ClientHistory* history) {
  const std::vector<BoundOp> ops = BindMix(spec, BuiltinOperations(), history);
  Schedule schedule;
  schedule.calls_per_worker = spec.calls_per_worker;
  schedule.duration = spec.duration;
  schedule.rounds = spec.rounds;
  schedule.epoch = Clock::now();
  schedule.retry = PolicyOf(spec);
  const bool ledger = spec.workload == Workload::kLedger;

  std::vector<WorkerOutput> workers(static_cast<std::size_t>(spec.workers));
  Barrier barrier(spec.workers);
  const int stop_handle = stop->AddCallback([&barrier, &target, &app_prefix] {
    barrier.Break();
    CancelOurStatements(target, app_prefix);
  });
  std::mt19937_64 seeder(spec.seed);
  std::vector<std::thread> threads;
  for (int i = 0; i < spec.workers; ++i) {
    SessionSettings s{app_prefix + "/w" + std::to_string(i), schema, spec.lock_timeout, spec.statement_timeout};
    if (spec.deadlock_injection) s.deadlock_timeout = DeadlockInjector::kWorkerDeadlockTimeout;
    threads.emplace_back(WorkerLoop(&ops, &target, s, &targets, schedule, &barrier, stop, progress,
                                    &workers[static_cast<std::size_t>(i)], seeder(),
                                    schema + "-w" + std::to_string(i) + "-"));  // ClientHistory::Log below
  }
  std::unique_ptr<Monitor> monitor;
  std::unique_ptr<DeadlockInjector> injector;
  if (ledger) {
    monitor = std::make_unique<Monitor>(target, schema, app_prefix, spec.monitor_interval);
    monitor->Begin();
    monitor->StartSampling();
  }
  std::unique_ptr<BackendKiller> killer;
  if (spec.backend_kill_every.count() > 0) {
    killer = std::make_unique<BackendKiller>(target, app_prefix, spec.backend_kill_every, spec.seed);
    killer->Start();
  }
  if (spec.deadlock_injection) {
    injector = std::make_unique<DeadlockInjector>(target, schema, app_prefix, targets.background_project,
                                                  spec.deadlock_every);
    injector->Start();
  }
  for (std::thread& t : threads) t.join();
  stop->RemoveCallback(stop_handle);
  if (injector) {
    injector->Stop();
    r->faults = injector->Report();
  }
  if (killer) {
    killer->Stop();
    r->faults.backends_killed = killer->kills();
    if (!killer->missing().empty()) r->faults.missing += (r->faults.missing.empty() ? "" : "; ") + killer->missing();
  }
  if (monitor) {
    monitor->StopSampling();
    r->server = monitor->End();
    // The victims' backends report their deadlocks to the statistics when
    // they exit; give them a moment so the server's count is complete.
    for (int i = 0; i < 40 && r->server.deadlocks_delta >= 0 && r->server.deadlocks_delta < r->faults.deadlocks_injected;
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      r->server.deadlocks_delta = monitor->DeadlocksSince();
    }
  }

  std::vector<const WorkerOutput*> outs;
  Clock::time_point first{}, last{};
  for (std::size_t i = 0; i < workers.size(); ++i) {
    WorkerOutput& w = workers[i];
    outs.push_back(&w);
    history->Add(ClientHistory::Log{schema + "-w" + std::to_string(i) + "-", std::move(w.history)});
    if (w.first_call.time_since_epoch().count() == 0) continue;
    if (first.time_since_epoch().count() == 0 || w.first_call < first) first = w.first_call;
    last = std::max(last, w.last_return);
  }
  r->workers_seconds = first.time_since_epoch().count() == 0 ? 0 : Seconds(last - first);
  r->operations = MergeOperations(ops, outs);
  r->rounds_completed = spec.rounds;
  for (const WorkerOutput& w : workers) r->rounds_completed = std::min(r->rounds_completed, w.rounds_done);
  for (const WorkerOutput& w : workers) {
    if (!w.fatal.empty()) {
      r->verdict = "error";
      r->error = RedactWith(FirstLine(w.fatal), target.dsn);
      break;
    }
  }
}

}  // namespace

CaseResult CaseRunner::Run(const CaseSpec& spec, const std::string& schema, CaseProgress* progress) {
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
  progress->rounds = spec.rounds;
  if (spec.workload == Workload::kRace && spec.calls_per_worker > 0) {
    progress->planned_calls = static_cast<std::uint64_t>(spec.calls_per_worker) * spec.workers * spec.rounds;
  }

  const std::string app_prefix = "ledgerstress/" + options_.run_id;
  const SessionSettings setup_session{app_prefix + "/setup", "", {}, {}};
  // A stop request cancels whatever statement of ours is running, in every
  // phase: a long fixture, the workload, an invariant check.
  const Target& target = options_.target;
  const int cancel_handle = stop_->AddCallback([&target, app_prefix] { CancelOurStatements(target, app_prefix); });
  std::unique_ptr<settlement::Connection> setup;
  bool schema_created = false;
  ClientHistory history;  // what the client saw, for acknowledged_writes_durable
  try {
    const auto t_setup = Clock::now();
    setup = Connect(options_.target, setup_session);
    const bool race = spec.workload == Workload::kRace;
    const Fixture fixture = CreateFixture(
        *setup, FixtureSpec{schema, spec.schema_options,
                            race ? static_cast<std::int64_t>(spec.rounds) * spec.users_per_round : 0});
    schema_created = true;
    CloseFixture close_fixture;
    if (spec.workload == Workload::kClose) {
      close_fixture = CreateCloseFixture(
          *setup, schema, CloseFixtureSpec{spec.projects * spec.rounds, spec.escrows, spec.donors, spec.seed});
    } else if (spec.workload == Workload::kLedger) {
      close_fixture = CreateCloseFixture(*setup, schema, CloseFixtureSpec{0, 0, spec.donors, spec.seed});
    }
    r.setup_seconds = Seconds(Clock::now() - t_setup);

    const auto t_run = Clock::now();
    if (spec.workload != Workload::kClose) {
      Targets targets;
      targets.race_first_user = fixture.first_user_id;
      targets.users_per_round = spec.users_per_round;
      targets.donor_first_user = close_fixture.donor_first_user;
      targets.donors = close_fixture.donors;
      targets.background_project = close_fixture.background_project;
      RunWorkers(spec, targets, options_.target, schema, app_prefix, stop_, progress, &r, &history);
    } else {
      RunCloseWorkload(spec, close_fixture, CloseWorkloadEnv{&options_.target, schema, app_prefix, stop_, progress},
                       &r);
    }
    r.run_seconds = Seconds(Clock::now() - t_run);
    if (r.verdict != "error" && stop_->stop_requested()) {
      r.verdict = "interrupted";
      r.verdict_reason = "stopped after " + std::to_string(r.rounds_completed) + " of " +
                         std::to_string(spec.rounds) + " rounds";
    }

    if (r.verdict != "error") {
      const auto t_check = Clock::now();
      std::unique_ptr<settlement::Connection> check =
          Connect(options_.target, SessionSettings{app_prefix + "/check", schema, {}, {}});
      RefreshStatistics(*check, schema);  // the workload changed the tables: plan the checks on fresh numbers
      const InvariantParams params{spec.commission_rate_ppm, spec.fee_rate_ppm, &history};
      for (const std::string& name : spec.invariants) {
        if (stop_->stop_requested()) break;  // interrupted: the checks not run are not claimed
        r.invariants.push_back(CheckInvariant(*check, name, params));
      }
      for (const SqlInvariant& q : spec.sql_invariants) {
        if (stop_->stop_requested()) break;
        r.invariants.push_back(CheckSqlInvariant(*check, q));
      }
      r.check_seconds = Seconds(Clock::now() - t_check);
      if (stop_->stop_requested()) {
        r.verdict = "interrupted";
        r.verdict_reason = "stopped during the invariant checks: " + std::to_string(r.invariants.size()) +
                           " checked, the last possibly cancelled";
      }
    }
    DecideVerdict(spec, &r);
  } catch (const std::exception& e) {
    if (stop_->stop_requested()) {
      // What failed was cancelled by the stop request (the fixture, say).
      r.verdict = "interrupted";
      r.verdict_reason = std::string(schema_created ? "stopped" : "stopped during setup") + ": " +
                         RedactWith(FirstLine(e.what()), options_.target.dsn);
    } else {
      r.verdict = "error";
      r.error = RedactWith(FirstLine(e.what()), options_.target.dsn);
    }
  }
  if (r.verdict == "error" && r.verdict_reason.empty()) r.verdict_reason = r.error;
  stop_->RemoveCallback(cancel_handle);  // the drop below must not be cancelled

  if (schema_created && !options_.keep_data) {
    try {
      if (!setup || !setup->is_open()) setup = Connect(options_.target, setup_session);
      DropSchema(*setup, schema);
    } catch (const std::exception& e) {
      if (r.error.empty()) r.error = "could not drop schema " + schema + ": " + FirstLine(e.what());
    }
  }
  return r;
}

}  // namespace ledgerstress
