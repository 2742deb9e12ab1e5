#include "harness/engine/close_workload.h"

#include <algorithm>
#include <thread>

#include "harness/engine/monitor.h"
#include "harness/engine/worker.h"
#include "harness/pg/dsn.h"
#include "settlement/close_project.h"
#include "settlement/connection.h"

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;

settlement::CloseParams ParamsOf(const CaseSpec& spec) {
  settlement::CloseParams p;
  p.release_batch_size = spec.release_batch_size;
  p.max_escrows_per_close = spec.max_escrows_per_close;
  p.commission_rate = spec.commission_rate_ppm;
  p.fee_rate = spec.fee_rate_ppm;
  settlement::ParseRetryStrategy(spec.retry, &p.retry.strategy);
  p.retry.max_attempts = spec.max_attempts;
  p.retry.base_delay = spec.retry_base_delay;
  p.retry.jitter = false;  // closers are few: no jitter needed to keep them apart
  return p;
}

// One closer thread: connect, wait for everyone, close one project once.
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

  void operator()() {
    std::unique_ptr<settlement::Connection> conn;
    try {
      conn = Connect(*target, settings);
    } catch (const std::exception& e) {
      out->fatal = e.what();
      barrier->Break();
      return;
    }
    if (!barrier->Wait() || !barrier->Wait()) return;
    CountingObserver obs(stop);
    Classified error;
    bool failed = false;
    const auto t0 = Clock::now();
    try {
      const settlement::CloseResult res = settlement::CloseProjectSuccess(*conn, project, strategy, params, obs);
      call->released = res.released;
      call->marked_success = res.marked_success;
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
};

void Combine(const ServerObservation& round, ServerObservation* total, double t_offset) {
  total->sampled = total->sampled || round.sampled;
  if (!round.missing.empty() && total->missing.find(round.missing) == std::string::npos) {
    total->missing += (total->missing.empty() ? "" : "; ") + round.missing;
  }
  total->samples += round.samples;
  total->max_escrow_rows_locked = std::max(total->max_escrow_rows_locked, round.max_escrow_rows_locked);
  total->max_wallet_rows_locked = std::max(total->max_wallet_rows_locked, round.max_wallet_rows_locked);
  total->max_lock_waiters = std::max(total->max_lock_waiters, round.max_lock_waiters);
  total->max_idle_in_transaction = std::max(total->max_idle_in_transaction, round.max_idle_in_transaction);
  // Counters add up over rounds; one missing reading makes the total missing.
  auto add = [](std::int64_t a, std::int64_t b) { return a < 0 || b < 0 ? std::int64_t{-1} : a + b; };
  total->statements_delta = add(total->statements_delta, round.statements_delta);
  total->deadlocks_delta = add(total->deadlocks_delta, round.deadlocks_delta);
  for (ServerSample s : round.series) {
    s.t_s += t_offset;
    total->series.push_back(s);
  }
}

}  // namespace

void RunCloseWorkload(const CaseSpec& spec, const CloseFixture& fx, const CloseWorkloadEnv& env, CaseResult* r) {
  settlement::CloseStrategy strategy;
  settlement::ParseCloseStrategy(spec.strategies.at("close_project_success"), &strategy);
  const settlement::CloseParams params = ParamsOf(spec);

  // Background operations: the mix, bound once.
  const std::vector<BoundOp> background = BindMix(spec, BuiltinOperations(), nullptr);
  const std::vector<BoundOp> close_op = {BoundOp{"close_project_success", CloseStrategyName(strategy),
                                                 BuiltinOperations().Find("close_project_success"), nullptr, 1,
                                                 ClientHistory::kUntracked}};

  std::vector<std::unique_ptr<WorkerOutput>> closer_outputs, background_outputs;
  std::mt19937_64 seeder(spec.seed);
  r->server = ServerObservation{};
  r->server.max_escrow_rows_locked = -1;
  r->server.max_wallet_rows_locked = -1;
  r->server.statements_delta = 0;
  r->server.deadlocks_delta = 0;
  double elapsed_phases = 0;
  const int closers = spec.projects * spec.closers_per_project;
  for (int round = 0; round < spec.rounds && !env.stop->stop_requested(); ++round) {
    env.progress->round = round + 1;
    Targets targets;
    targets.donor_first_user = fx.donor_first_user;
    targets.donors = fx.donors;
    targets.background_project = fx.background_project;
    for (int p = 0; p < spec.projects; ++p) {
      targets.owner_users.push_back(fx.owner_user_ids[static_cast<std::size_t>(round * spec.projects + p)]);
    }
    Barrier barrier(closers + spec.workers + 1);
    const int stop_handle = env.stop->AddCallback([&barrier, &env] {
      barrier.Break();
      CancelOurStatements(*env.target, env.app_prefix);  // a long close must not hold up Ctrl-C
    });
    std::atomic<bool> closes_done{false};
    const Clock::time_point epoch = Clock::now();
    std::vector<std::thread> closer_threads, background_threads;
    const std::size_t first_call = r->closes.size();
    r->closes.resize(first_call + static_cast<std::size_t>(closers));
    for (int i = 0; i < closers; ++i) {
      const int p = i / spec.closers_per_project;
      CloseCall& call = r->closes[first_call + static_cast<std::size_t>(i)];
      call.project_id = fx.project_ids[static_cast<std::size_t>(round * spec.projects + p)];
      call.closer = i;
      closer_outputs.push_back(std::make_unique<WorkerOutput>());
      closer_outputs.back()->ops.resize(1);
      closer_threads.emplace_back(Closer{env.target,
                                         SessionSettings{env.app_prefix + "/closer" + std::to_string(i), env.schema,
                                                         spec.lock_timeout, spec.statement_timeout},
                                         call.project_id, strategy, params, &barrier, env.progress,
                                         closer_outputs.back().get(), &call, epoch, env.stop});
    }
    for (int i = 0; i < spec.workers; ++i) {
      background_outputs.push_back(std::make_unique<WorkerOutput>());
      Schedule schedule;
      schedule.until = &closes_done;
      schedule.epoch = epoch;
      background_threads.emplace_back(WorkerLoop(
          &background, env.target,
          SessionSettings{env.app_prefix + "/w" + std::to_string(i), env.schema, spec.lock_timeout,
                          spec.statement_timeout},
          &targets, schedule, &barrier, env.stop, env.progress, background_outputs.back().get(), seeder(),
          env.schema + "-r" + std::to_string(round) + "-w" + std::to_string(i) + "-"));
    }
    // Closes can be short (tens of ms): by default every 10 ms so that the
    // peak of rows locked at once is seen, not skipped between samples.
    Monitor monitor(*env.target, env.schema, env.app_prefix, spec.monitor_interval);
    bool started = barrier.Wait();  // everyone connected
    if (started) {
      monitor.Begin();
      monitor.StartSampling();
      started = barrier.Wait();  // release closers and background together
    }
    const auto t0 = Clock::now();
    for (auto& t : closer_threads) t.join();
    const double phase = std::chrono::duration<double>(Clock::now() - t0).count();
    closes_done = true;
    for (auto& t : background_threads) t.join();
    env.stop->RemoveCallback(stop_handle);
    if (started) {
      Combine(monitor.End(), &r->server, elapsed_phases);
      r->close_phase_seconds += phase;
      elapsed_phases += phase;
      r->rounds_completed = round + 1;
    }
    for (const auto* outs : {&closer_outputs, &background_outputs}) {
      for (const auto& w : *outs) {
        if (!w->fatal.empty() && r->verdict != "error") {
          r->verdict = "error";
          r->error = RedactWith(FirstLine(w->fatal), env.target->dsn);
        }
      }
    }
    if (r->verdict == "error" || !started) break;
  }
  std::vector<const WorkerOutput*> c, b;
  for (const auto& w : closer_outputs) c.push_back(w.get());
  for (const auto& w : background_outputs) b.push_back(w.get());
  r->operations = MergeOperations(close_op, c);
  for (OperationResult& op : MergeOperations(background, b)) r->operations.push_back(std::move(op));
  r->escrows_total = static_cast<std::int64_t>(spec.escrows) * spec.projects * spec.rounds;
}

}  // namespace ledgerstress
