#include "harness/engine/workload.h"

#include <algorithm>
#include <thread>

#include <nlohmann/json.hpp>

#include "harness/drivers/driver_ops.h"
#include "harness/engine/driver_case.h"
#include "harness/engine/monitor.h"
#include "harness/engine/worker.h"
#include "harness/engine/worker_pool.h"
#include "harness/pg/dsn.h"
#include "settlement/close_project.h"
#include "settlement/connection.h"

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;

settlement::CloseParams ParamsOf(const CaseSpec& spec) {
  settlement::CloseParams p;
  p.release_batch_size = spec.close.release_batch_size;
  p.max_escrows_per_close = spec.close.max_escrows_per_close;
  p.commission_rate = spec.commission_rate_ppm;
  p.fee_rate = spec.fee_rate_ppm;
  p.retry.strategy = spec.retry;
  p.retry.max_attempts = spec.max_attempts;
  p.retry.base_delay = spec.retry_base_delay;
  p.retry.jitter = false;  // closers are few: no jitter needed to keep them apart
  return p;
}

// The closes still running in a round; the last to return stops the
// background workers.
struct CloseLatch {
  std::atomic<int> running{0};
  std::atomic<bool> done{false};
  Clock::time_point finished_at;  // written by the last closer before `done`

  void Arrive() {
    if (running.fetch_sub(1) != 1) return;
    finished_at = Clock::now();
    done.store(true, std::memory_order_release);
  }
};

// One closer thread: connect (or start its driver), wait for everyone,
// close one project once.
struct Closer {
  const Target* target;
  SessionSettings settings;
  std::int64_t project;
  settlement::CloseStrategy strategy;
  settlement::CloseParams params;
  Barrier* barrier;
  CaseProgress* progress;
  WorkerOutput* out;  // ops[0]: close_project_success
  CloseCall* call;
  Clock::time_point epoch;
  const StopSource* stop;
  CloseLatch* latch;
  const DriverCase* driver = nullptr;  // null: the built-in close
  int index = 0;                       // the driver process's worker index
  std::string driver_strategy;
  std::string driver_args;             // the call's arguments, as JSON

  void operator()() {
    Run();
    latch->Arrive();
  }

  void Run() {
    std::unique_ptr<settlement::Connection> conn;
    std::unique_ptr<DriverClient> client;
    try {
      if (driver) {
        client = std::make_unique<DriverClient>(*driver, index, settings.application_name, 0,
                                                [s = stop] { return s->stop_requested(); });
        client->Start();
      } else {
        conn = Connect(*target, settings);
      }
    } catch (const std::exception& e) {
      out->fatal = e.what();
      barrier->Break();
      return;
    }
    if (!barrier->Wait() || !barrier->Wait()) return;
    Close(conn.get(), client.get());
    if (client) client->Shutdown();
  }

  void Close(settlement::Connection* conn, DriverClient* client) {
    CountingObserver obs(stop);
    Classified error;
    bool failed = false;
    const auto t0 = Clock::now();
    try {
      if (client) {
        CloseThroughDriver(client, obs);
      } else {
        const settlement::CloseResult res = settlement::CloseProjectSuccess(*conn, project, strategy, params, obs);
        call->released = res.released;
        call->marked_success = res.marked_success;
      }
    } catch (...) {
      error = ClassifyCurrentException();
      failed = true;
      call->error = std::string(OutcomeName(error.outcome)) + ": " + error.message;
    }
    const auto elapsed = Clock::now() - t0;
    call->seconds = std::chrono::duration<double>(elapsed).count();
    out->ops[0].Record(elapsed, failed ? &error : nullptr, obs.statements, obs.round_trips, Clock::now() - epoch);
    out->ops[0].RecordRetries(obs, params.retry.base_delay);
    progress->calls.fetch_add(1, std::memory_order_relaxed);
    if (failed) progress->errors.fetch_add(1, std::memory_order_relaxed);
    out->rounds_done = 1;
  }

  // The reply's optional value {"released": n, "marked_success": b} fills the close's figures.
  void CloseThroughDriver(DriverClient* client, CountingObserver& obs) {
    DriverCallReport report;
    try {
      client->Call("close_project_success", driver_strategy, driver_args, &report);
    } catch (...) {
      AccountDriverReport(obs, report);
      throw;
    }
    AccountDriverReport(obs, report);
    const nlohmann::json v = nlohmann::json::parse(report.value.empty() ? "null" : report.value, nullptr, false);
    if (v.is_object() && v.contains("released") && v["released"].is_number_integer()) {
      call->released = v["released"].get<std::int64_t>();
    }
    if (v.is_object() && v.contains("marked_success") && v["marked_success"].is_boolean()) {
      call->marked_success = v["marked_success"].get<bool>();
    }
  }
};

// A close's arguments for a driver: rates as exact decimal strings.
std::string CloseArgsJson(const CaseSpec& spec, std::int64_t project) {
  return nlohmann::json{{"project_id", project},
                        {"release_batch_size", spec.close.release_batch_size},
                        {"max_escrows_per_close", spec.close.max_escrows_per_close},
                        {"commission_rate", settlement::FormatRate(spec.commission_rate_ppm)},
                        {"fee_rate", settlement::FormatRate(spec.fee_rate_ppm)}}
      .dump();
}

void Combine(const ServerObservation& round, ServerObservation* total, double t_offset) {
  total->sampled = total->sampled || round.sampled;
  if (!round.missing.empty() && total->missing.find(round.missing) == std::string::npos) {
    total->missing += (total->missing.empty() ? "" : "; ") + round.missing;
  }
  total->samples += round.samples;
  total->max_escrow_rows_locked = std::max(total->max_escrow_rows_locked, round.max_escrow_rows_locked);
  total->max_escrow_rows_locked_by_one =
      std::max(total->max_escrow_rows_locked_by_one, round.max_escrow_rows_locked_by_one);
  total->max_wallet_rows_locked = std::max(total->max_wallet_rows_locked, round.max_wallet_rows_locked);
  total->max_lock_waiters = std::max(total->max_lock_waiters, round.max_lock_waiters);
  total->max_idle_in_transaction = std::max(total->max_idle_in_transaction, round.max_idle_in_transaction);
  if (round.long_idle_in_transaction >= 0) {
    total->long_idle_in_transaction = std::max<std::int64_t>(total->long_idle_in_transaction, 0) + round.long_idle_in_transaction;
  }
  // Counters add up over rounds; one missing reading makes the total missing.
  auto add = [](std::int64_t a, std::int64_t b) { return a < 0 || b < 0 ? std::int64_t{-1} : a + b; };
  total->statements_delta = add(total->statements_delta, round.statements_delta);
  if (total->statements_caveat.empty()) total->statements_caveat = round.statements_caveat;
  total->deadlocks_delta = add(total->deadlocks_delta, round.deadlocks_delta);
  for (ServerSample s : round.series) {
    s.t_s += t_offset;
    total->series.push_back(s);
  }
}

// A round's targets: the donors, the background project, the owners of the
// projects this round closes.
Targets RoundTargets(const CaseSpec& spec, const CloseFixture& fx, int round) {
  Targets t;
  t.donor_first_user = fx.donor_first_user;
  t.donors = fx.donors;
  t.background_project = fx.background_project;
  for (int p = 0; p < spec.close.projects; ++p) {
    t.owner_users.push_back(fx.owner_user_ids[static_cast<std::size_t>(round * spec.close.projects + p)]);
    t.closing_projects.push_back(fx.project_ids[static_cast<std::size_t>(round * spec.close.projects + p)]);
  }
  t.into_closing = spec.close.pledges_into_closing;
  return t;
}

SessionSettings Session(const CaseSpec& spec, const WorkloadEnv& env, const std::string& who) {
  SessionSettings s = SessionSettings::Named(env.app_prefix + "/" + who, env.schema);
  s.lock_timeout = spec.lock_timeout;
  s.statement_timeout = spec.statement_timeout;
  s.extra = spec.session;
  return s;
}

// Everything the rounds of one close case share.
struct CloseRun {
  const CaseSpec& spec;
  const CloseFixture& fx;
  const WorkloadEnv& env;
  settlement::CloseStrategy strategy;
  settlement::CloseParams params;
  std::vector<BoundOp> background;
  std::unique_ptr<DriverCase> driver;  // null: the built-in code
  std::vector<std::unique_ptr<WorkerOutput>> closer_outputs, background_outputs;
  std::mt19937_64 seeder;
  double elapsed_phases = 0;
};

void SpawnClosers(CloseRun& run, int round, WorkerPool* pool, CloseLatch* latch, Clock::time_point epoch,
                  CaseResult* r) {
  const CaseSpec& spec = run.spec;
  const int closers = spec.close.projects * spec.close.closers_per_project;
  const std::size_t first_call = r->closes.size();
  r->closes.resize(first_call + static_cast<std::size_t>(closers));
  latch->running = closers;
  for (int i = 0; i < closers; ++i) {
    const int p = i / spec.close.closers_per_project;
    CloseCall& call = r->closes[first_call + static_cast<std::size_t>(i)];
    call.project_id = run.fx.project_ids[static_cast<std::size_t>(round * spec.close.projects + p)];
    call.closer = i;
    run.closer_outputs.push_back(std::make_unique<WorkerOutput>());
    run.closer_outputs.back()->ops.resize(1);
    pool->Spawn(Closer{run.env.target, Session(spec, run.env, "closer" + std::to_string(i)), call.project_id,
                       run.strategy, run.params, pool->barrier(), run.env.progress, run.closer_outputs.back().get(),
                       &call, epoch, run.env.stop, latch, run.driver.get(), spec.workers + i,
                       spec.strategies.at("close_project_success"), CloseArgsJson(spec, call.project_id)});
  }
}

void SpawnBackground(CloseRun& run, int round, WorkerPool* pool, const Targets* targets, const CloseLatch* latch,
                     Clock::time_point epoch) {
  Schedule schedule;
  schedule.until = &latch->done;
  schedule.epoch = epoch;
  SetArrivals(run.spec, static_cast<std::uint64_t>(round), &schedule);  // one schedule per round, shared
  const WorkerEnv shared{&run.background, run.env.target, targets, schedule, pool->barrier(), run.env.stop,
                         run.env.progress, run.driver.get()};
  for (int i = 0; i < run.spec.workers; ++i) {
    run.background_outputs.push_back(std::make_unique<WorkerOutput>());
    pool->Spawn(WorkerLoop(shared, WorkerSlot{i, Session(run.spec, run.env, "w" + std::to_string(i)),
                                              run.background_outputs.back().get(), run.seeder(),
                                              run.env.schema + "-r" + std::to_string(round) + "-w" +
                                                  std::to_string(i) + "-"}));
  }
}

// One round: its closers and background workers released together, watched
// by a monitor. Returns false when the round could not run to its end.
bool RunRound(CloseRun& run, int round, CaseResult* r) {
  const Targets targets = RoundTargets(run.spec, run.fx, round);
  CloseLatch latch;
  const Clock::time_point epoch = Clock::now();
  // Closes can be short (tens of ms): by default every 10 ms so that the
  // peak of rows locked at once is seen, not skipped between samples.
  Monitor monitor(*run.env.target, run.env.schema, run.env.app_prefix, run.spec.monitor_interval);
  monitor.set_long_idle_threshold(Monitor::LongIdleFor(run.spec.retry_base_delay));
  bool started = false;
  Clock::time_point t0;
  {
    WorkerPool pool(run.spec.close.projects * run.spec.close.closers_per_project + run.spec.workers, run.env.target,
                    run.env.app_prefix, run.env.stop);
    SpawnClosers(run, round, &pool, &latch, epoch, r);
    SpawnBackground(run, round, &pool, &targets, &latch, epoch);
    if (pool.Release()) {  // everyone connected
      monitor.Begin();
      monitor.StartSampling();
      t0 = Clock::now();
      started = pool.Release();  // closers and background released together
    }
    pool.Join();
  }
  if (!started) return false;
  const double phase = std::chrono::duration<double>(latch.finished_at - t0).count();
  Combine(monitor.End(), &r->server, run.elapsed_phases);
  r->close_phase_seconds += phase;
  run.elapsed_phases += phase;
  r->rounds_completed = round + 1;
  return true;
}

std::vector<const WorkerOutput*> Pointers(const std::vector<std::unique_ptr<WorkerOutput>>& v) {
  std::vector<const WorkerOutput*> out;
  for (const auto& w : v) out.push_back(w.get());
  return out;
}

}  // namespace

void RunCloseWorkload(const CaseSpec& spec, const CloseFixture& fx, const WorkloadEnv& env, CaseResult* r) {
  CloseRun run{spec, fx, env, {}, ParamsOf(spec), BindMix(spec, OperationsOf(spec), nullptr), nullptr, {}, {},
               std::mt19937_64(spec.seed)};
  run.driver = MakeDriverCase(spec, env, Session(spec, env, "w0"), /*short_deadlock_timeout=*/false);
  if (run.driver) r->driver = spec.driver->name;
  else settlement::ParseCloseStrategy(spec.strategies.at("close_project_success"), &run.strategy);
  const std::vector<BoundOp> close_op = {BoundOp{"close_project_success", spec.strategies.at("close_project_success"),
                                                 BuiltinOperations().Find("close_project_success"), nullptr, 1,
                                                 ClientHistory::kUntracked, run.driver != nullptr}};
  r->server = ServerObservation{};
  r->server.max_escrow_rows_locked = -1;
  r->server.max_escrow_rows_locked_by_one = -1;
  r->server.max_wallet_rows_locked = -1;
  r->server.statements_delta = 0;
  r->server.deadlocks_delta = 0;
  for (int round = 0; round < spec.rounds && !env.stop->stop_requested(); ++round) {
    env.progress->round = round + 1;
    const bool ran = RunRound(run, round, r);
    const std::string failure = FirstFailure(Pointers(run.closer_outputs)) + FirstFailure(Pointers(run.background_outputs));
    if (!failure.empty()) {
      r->verdict = Verdict::kError;
      r->error = RedactWith(FirstLine(failure), env.target->dsn);
    }
    if (!ran || !failure.empty()) break;
  }
  r->operations = MergeOperations(close_op, Pointers(run.closer_outputs));
  for (OperationResult& op : MergeOperations(run.background, Pointers(run.background_outputs))) {
    r->operations.push_back(std::move(op));
  }
  r->arrivals = MergeArrivals(spec, Pointers(run.background_outputs));
  r->escrows_total = static_cast<std::int64_t>(spec.close.escrows) * spec.close.projects * spec.rounds;
}

}  // namespace ledgerstress
