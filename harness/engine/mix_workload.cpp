// The race and ledger workloads: a plan over one WorkerPool.
#include <algorithm>
#include <chrono>
#include <memory>

#include "harness/drivers/driver_env.h"
#include "harness/engine/case_watchers.h"
#include "harness/faults/deadlock_injector.h"
#include "harness/engine/driver_case.h"
#include "harness/engine/shard_exchange.h"
#include "harness/engine/shard_link.h"
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
  SessionSettings s = SessionSettings::Named(WorkerAppName(env, i), env.schema);
  s.lock_timeout = spec.lock_timeout;
  s.statement_timeout = spec.statement_timeout;
  if (spec.ledger.deadlock_injection) s.deadlock_timeout = DeadlockInjector::kWorkerDeadlockTimeout;
  s.extra = spec.session;
  return s;
}

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

std::string WorkerAppName(const WorkloadEnv& env, int i) { return env.app_prefix + "/w" + std::to_string(i); }
std::string WorkerKeyPrefix(const WorkloadEnv& env, int i) { return env.schema + "-w" + std::to_string(i) + "-"; }

namespace {

// The caller's turn at the pool's barrier (`gate` names it). In a sharded
// run, once every local worker waits, it first meets the other shards
// there (ShardError when one is missing), so the workers of every shard
// are released together.
bool Release(WorkerPool* pool, ShardLink* shard, const std::string& gate) {
  if (!shard) return pool->Release();
  if (!pool->barrier()->AwaitOthers()) return false;
  shard->Arrive(gate);
  return pool->Release();
}

// Releases the connected workers, starts the watchers, runs the rounds.
// A missing shard is returned as the case's error.
std::string RunRounds(const CaseSpec& spec, const WorkloadEnv& env, WorkerPool* pool, CaseWatchers* watchers) {
  try {
    if (!Release(pool, env.shard, env.schema + "/connected")) return "";
    if (watchers) watchers->Start();
    for (int round = 0; round < spec.rounds; ++round) {
      if (!Release(pool, env.shard, env.schema + "/round" + std::to_string(round + 1))) break;
    }
  } catch (const std::exception& e) {
    return FirstLine(e.what());
  }
  return "";
}

// The schedule of this process. In a sharded run: its share of the
// arrival rate (by its share of the workers) from a stream of its own, and
// partners for duplicate_rate within its slice.
Schedule ScheduleFor(const CaseSpec& spec, const WorkloadEnv& env, const WorkerSlice& slice) {
  if (!env.shard) return ScheduleOf(spec);
  CaseSpec share = spec;
  share.arrival_rate_per_s = spec.arrival_rate_per_s * slice.size() / std::max(1, spec.workers);
  Schedule s = ScheduleOf(share);
  if (share.arrival_rate_per_s > 0) SetArrivals(share, static_cast<std::uint64_t>(env.shard->spec().index), &s);
  if (s.duplicates) s.duplicates = std::make_shared<DuplicateSlots>(slice.end, slice.first);
  return s;
}

}  // namespace

void RunMixWorkload(const CaseSpec& spec, const Targets& targets, const WorkloadEnv& env, CaseResult* r,
                    ClientHistory* history) {
  const std::vector<BoundOp> ops = BindMix(spec, OperationsOf(spec), history);
  // Built-in workers set their deadlock_timeout themselves (when allowed); a driver's get it in PGOPTIONS.
  const bool short_timeout = !spec.driver || (spec.ledger.deadlock_injection && MaySetDeadlockTimeout(*env.target));
  // The monitor and the faults run once, beside shard 0 of a sharded run;
  // they find every shard's sessions by their application_name.
  std::unique_ptr<CaseWatchers> watchers;
  if (!env.shard || env.shard->coordinator()) {
    watchers = std::make_unique<CaseWatchers>(spec, env.target, env.schema, env.app_prefix,
                                              targets.background_project, short_timeout);
  }
  // A fault on the wire (lost_reply_every): the workers and their drivers
  // reach the server through its proxy; the watchers keep the direct route.
  WorkloadEnv worker_env = env;
  if (watchers) worker_env.target = watchers->WorkerTarget(env.target);
  const std::unique_ptr<DriverCase> driver =
      MakeDriverCase(spec, worker_env, WorkerSession(spec, env, 0), short_timeout);
  if (driver) r->driver = spec.driver->name;
  const WorkerSlice slice = env.shard ? SliceOf(env.shard->spec(), spec.workers) : WorkerSlice{0, spec.workers};
  const Schedule schedule = ScheduleFor(spec, env, slice);
  std::vector<WorkerOutput> workers(static_cast<std::size_t>(spec.workers));
  std::string shard_error;
  {
    WorkerPool pool(slice.size(), env.target, env.app_prefix, env.stop);
    std::mt19937_64 seeder(spec.seed);
    const WorkerEnv shared{&ops, worker_env.target, &targets, schedule, pool.barrier(), env.stop, env.progress,
                           driver.get()};
    for (int i = 0; i < spec.workers; ++i) {
      const std::uint64_t seed = seeder();  // every worker's seed is drawn, so a shard's are a one-process run's
      if (!slice.Has(i)) continue;
      pool.Spawn(WorkerLoop(shared, WorkerSlot{i, WorkerSession(spec, env, i), &workers[static_cast<std::size_t>(i)],
                                               seed, WorkerKeyPrefix(env, i),
                                               watchers ? watchers->InFlightSlot(i) : nullptr}));
    }
    shard_error = RunRounds(spec, env, &pool, watchers.get());
    pool.Join();
  }
  if (watchers) watchers->Finish(r);

  std::vector<const WorkerOutput*> outs;
  r->rounds_completed = spec.rounds;
  for (int i = slice.first; i < slice.end; ++i) {
    WorkerOutput& w = workers[static_cast<std::size_t>(i)];
    outs.push_back(&w);
    r->rounds_completed = std::min(r->rounds_completed, w.rounds_done);
    history->Add(ClientHistory::Log{WorkerKeyPrefix(env, i), std::move(w.history), std::move(w.history_args),
                                    std::move(w.history_args_end)});
    history->AddDuplicates(std::move(w.duplicates));
    history->AddReturns(w.returns);
  }
  r->workers_seconds = RunningSeconds(workers);
  r->operations = MergeOperations(ops, outs);
  r->arrivals = MergeArrivals(spec, outs);
  std::string failure = shard_error.empty() ? FirstFailure(outs) : shard_error;
  RoundSpans spans = SpansOf(outs);
  if (env.shard) {
    const std::int64_t calls_bound = schedule.arrivals ? 0 : std::int64_t{spec.calls_per_worker} * spec.rounds;
    ExchangeShardParts(env, calls_bound, r, history, &spans, &failure);
  }
  r->release_skew = SkewOf(spans);
  if (!failure.empty()) {
    if (env.shard) env.shard->Abort(FirstLine(failure));  // the other shards stop at once, told why
    r->verdict = Verdict::kError;
    r->error = RedactWith(FirstLine(failure), env.target->dsn);
  }
}

}  // namespace ledgerstress
