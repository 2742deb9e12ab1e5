// The race and ledger workloads: a plan over one WorkerPool.
#include <algorithm>
#include <chrono>
#include <memory>

#include "harness/drivers/driver_env.h"
#include "harness/engine/case_watchers.h"
#include "harness/faults/deadlock_injector.h"
#include "harness/engine/driver_case.h"
#include "harness/engine/worker.h"
#include "harness/engine/worker_pool.h"
#include "harness/engine/workload.h"
#include "harness/pg/dsn.h"

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;

settlement::RetryPolicy PolicyOf(const CaseSpec& spec) {
  settlement::RetryPolicy p;
  p.strategy = spec.retry;
  p.max_attempts = spec.max_attempts;
  p.base_delay = spec.retry_base_delay;
  p.jitter = spec.retry_jitter;
  return p;
}

Schedule ScheduleOf(const CaseSpec& spec) {
  Schedule s;
  s.calls_per_worker = spec.calls_per_worker;
  s.duration = spec.duration;
  s.rounds = spec.rounds;
  s.epoch = Clock::now();
  s.retry = PolicyOf(spec);
  SetArrivals(spec, 0, &s);
  s.duplicate_rate = spec.ledger.duplicate_rate;
  if (spec.ledger.duplicate_rate > 0) s.duplicates = std::make_shared<DuplicateSlots>(spec.workers);
  return s;
}

SessionSettings WorkerSession(const CaseSpec& spec, const WorkloadEnv& env, int i) {
  SessionSettings s = SessionSettings::Named(env.app_prefix + "/w" + std::to_string(i), env.schema);
  s.lock_timeout = spec.lock_timeout;
  s.statement_timeout = spec.statement_timeout;
  if (spec.ledger.deadlock_injection) s.deadlock_timeout = DeadlockInjector::kWorkerDeadlockTimeout;
  s.extra = spec.session;
  return s;
}

// Worker i's idempotency keys (and so its ClientHistory::Log) start with this.
std::string KeyPrefix(const WorkloadEnv& env, int i) { return env.schema + "-w" + std::to_string(i) + "-"; }

// The workers' running time: from the first call's start to the last return.
double RunningSeconds(const std::vector<WorkerOutput>& workers) {
  Clock::time_point first{}, last{};
  for (const WorkerOutput& w : workers) {
    if (w.first_call.time_since_epoch().count() == 0) continue;
    if (first.time_since_epoch().count() == 0 || w.first_call < first) first = w.first_call;
    last = std::max(last, w.last_return);
  }
  return first.time_since_epoch().count() == 0 ? 0 : std::chrono::duration<double>(last - first).count();
}

}  // namespace

void RunMixWorkload(const CaseSpec& spec, const Targets& targets, const WorkloadEnv& env, CaseResult* r,
                    ClientHistory* history) {
  const std::vector<BoundOp> ops = BindMix(spec, OperationsOf(spec), history);
  // Built-in workers set their deadlock_timeout themselves (when allowed); a driver's get it in PGOPTIONS.
  const bool short_timeout = !spec.driver || (spec.ledger.deadlock_injection && MaySetDeadlockTimeout(*env.target));
  CaseWatchers watchers(spec, env.target, env.schema, env.app_prefix, targets.background_project, short_timeout);
  // A fault on the wire (lost_reply_every): the workers and their drivers
  // reach the server through its proxy; the watchers keep the direct route.
  WorkloadEnv worker_env = env;
  worker_env.target = watchers.WorkerTarget(env.target);
  const std::unique_ptr<DriverCase> driver =
      MakeDriverCase(spec, worker_env, WorkerSession(spec, env, 0), short_timeout);
  if (driver) r->driver = spec.driver->name;
  const Schedule schedule = ScheduleOf(spec);
  std::vector<WorkerOutput> workers(static_cast<std::size_t>(spec.workers));
  {
    WorkerPool pool(spec.workers, env.target, env.app_prefix, env.stop);
    std::mt19937_64 seeder(spec.seed);
    const WorkerEnv shared{&ops, worker_env.target, &targets, schedule, pool.barrier(), env.stop, env.progress,
                           driver.get()};
    for (int i = 0; i < spec.workers; ++i) {
      pool.Spawn(WorkerLoop(shared, WorkerSlot{i, WorkerSession(spec, env, i), &workers[static_cast<std::size_t>(i)],
                                               seeder(), KeyPrefix(env, i), watchers.InFlightSlot(i)}));
    }
    if (pool.Release()) {  // every worker connected
      watchers.Start();
      for (int round = 0; round < spec.rounds; ++round) {
        if (!pool.Release()) break;  // a worker failed, or a stop request
      }
    }
    pool.Join();
  }
  watchers.Finish(r);

  std::vector<const WorkerOutput*> outs;
  r->rounds_completed = spec.rounds;
  for (std::size_t i = 0; i < workers.size(); ++i) {
    outs.push_back(&workers[i]);
    r->rounds_completed = std::min(r->rounds_completed, workers[i].rounds_done);
    history->Add(ClientHistory::Log{KeyPrefix(env, static_cast<int>(i)), std::move(workers[i].history),
                                    std::move(workers[i].history_args), std::move(workers[i].history_args_end)});
    history->AddDuplicates(std::move(workers[i].duplicates));
    history->AddReturns(workers[i].returns);
  }
  r->workers_seconds = RunningSeconds(workers);
  r->operations = MergeOperations(ops, outs);
  r->arrivals = MergeArrivals(spec, outs);
  const std::string failure = FirstFailure(outs);
  if (!failure.empty()) {
    r->verdict = Verdict::kError;
    r->error = RedactWith(FirstLine(failure), env.target->dsn);
  }
}

}  // namespace ledgerstress
