#include "harness/engine/worker.h"

#include <algorithm>
#include <thread>

#include "harness/drivers/driver_ops.h"
#include "harness/engine/engine.h"
#include "harness/operations/sql_operation.h"

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

}  // namespace

WorkerLoop::WorkerLoop(const WorkerEnv& env, WorkerSlot slot)
    : ops_(env.ops), target_(env.target), settings_(std::move(slot.settings)), targets_(env.targets),
      schedule_(env.schedule), barrier_(env.barrier), stop_(env.stop), progress_(env.progress), out_(slot.out),
      rng_(slot.seed), key_prefix_(std::move(slot.key_prefix)), retry_(env.schedule.retry),
      in_flight_user_(slot.in_flight_user), driver_case_(env.driver), worker_index_(slot.index) {
  out_->ops.resize(ops_->size());
  jitter_rng_.seed(slot.seed ^ 0x5bd1e995u);
}

void WorkerLoop::operator()() {
  // Point the retry policy at this object's RNG here, in the thread: the
  // loop was moved into std::thread after construction, so a pointer taken
  // in the constructor would dangle (AddressSanitizer caught exactly that).
  retry_.rng = &jitter_rng_;
  struct Closer {  // the driver process ends with the worker, however it ends
    std::unique_ptr<DriverClient>& driver;
    ~Closer() {
      if (driver) driver->Shutdown();
    }
  } closer{driver_};
  if (!Open()) return;
  if (!barrier_->Wait()) return;  // every worker connected, or one failed
  for (int round = 0; round < schedule_.rounds; ++round) {
    if (!barrier_->Wait() || stop_->stop_requested()) return;
    out_->round_starts_unix_ns.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    if (round + 1 > progress_->round.load(std::memory_order_relaxed)) progress_->round = round + 1;
    if (!RunRound(round)) return;
    out_->rounds_done = round + 1;
  }
}

bool WorkerLoop::Open() {
  try {
    if (driver_case_) {
      const StopSource* stop = stop_;
      driver_ = std::make_unique<DriverClient>(*driver_case_, worker_index_, settings_.application_name, rng_(),
                                               [stop] { return stop->stop_requested(); });
      driver_->Start();
    } else {
      conn_ = Connect(*target_, settings_);
    }
    return true;
  } catch (const std::exception& e) {
    out_->fatal = e.what();
    barrier_->Break();
    return false;
  }
}

bool WorkerLoop::SleepUntil(Clock::time_point t) {
  // In slices, so that a stop request is not held up by a long wait for an arrival.
  for (auto now = Clock::now(); now < t; now = Clock::now()) {
    if (stop_->stop_requested()) return false;
    std::this_thread::sleep_until(std::min(t, now + std::chrono::milliseconds(100)));
  }
  return true;
}

bool WorkerLoop::RunOpenRound(int round) {
  // The arrivals end at the deadline, or when *until becomes true; those
  // before the end are served (or dropped) even after it: the backlog.
  Clock::time_point end = schedule_.duration.count() > 0 ? Clock::now() + schedule_.duration : Clock::time_point::max();
  const auto ended = [&](Clock::time_point t) {
    if (end == Clock::time_point::max() && schedule_.until && schedule_.until->load(std::memory_order_acquire)) {
      end = schedule_.arrivals->EndAt(Clock::now());
    }
    return t >= end;
  };
  for (;;) {
    if (stop_->stop_requested()) return false;
    const Clock::time_point intended = schedule_.arrivals->Next(round);
    if (ended(intended)) return true;
    // Wait for the intended start in slices, watching for the end on the way.
    while (Clock::now() < intended) {
      if (!SleepUntil(std::min(intended, Clock::now() + std::chrono::milliseconds(20)))) return false;
      if (ended(intended)) return true;
    }
    const auto lag = Clock::now() - intended;
    if (lag > schedule_.max_start_delay) {
      ++out_->dropped;  // every worker was busy for too long: the call never starts
      continue;
    }
    out_->lag_ns.Record(static_cast<std::uint64_t>(std::chrono::nanoseconds(lag).count()));
    if (!Call(round, intended)) return false;
  }
}

bool WorkerLoop::RunRound(int round) {
  if (schedule_.arrivals) return RunOpenRound(round);
  const auto deadline = Clock::now() + schedule_.duration;
  for (std::int64_t i = 0;; ++i) {
    if (schedule_.calls_per_worker > 0) {
      if (i >= schedule_.calls_per_worker) break;
    } else if (schedule_.duration.count() > 0) {
      if (Clock::now() >= deadline) break;
    } else if (schedule_.until && schedule_.until->load(std::memory_order_acquire)) {
      break;
    }
    if (stop_->stop_requested()) return false;
    if (!Call(round)) return false;
  }
  return true;
}

std::size_t WorkerLoop::PickOperation() {
  const auto& ops = *ops_;
  if (ops.size() == 1) return 0;
  const double x = std::uniform_real_distribution<double>(0, ops.back().cumulative_weight)(rng_);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (x < ops[i].cumulative_weight) return i;
  }
  return ops.size() - 1;
}

bool WorkerLoop::Call(int round, Clock::time_point intended) {
  PlannedCall partner;
  if (schedule_.duplicates && schedule_.duplicates->Take(worker_index_, round, &partner)) {
    return Execute(partner.op, true, partner.seed, partner.key, round, intended, /*duplicate=*/true);
  }
  const std::size_t k = PickOperation();
  key_.assign(key_prefix_);
  key_ += std::to_string(calls_++);
  if (schedule_.duplicate_rate <= 0 || (*ops_)[k].history_op == ClientHistory::kUntracked) {
    return Execute(k, false, 0, key_, round, intended, false);
  }
  const std::uint64_t seed = rng_();
  const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
  const bool offer = u < schedule_.duplicate_rate / 2 && schedule_.duplicates &&
                     schedule_.duplicates->HasPartner(worker_index_);
  if (offer) schedule_.duplicates->Offer(worker_index_, PlannedCall{k, seed, key_, round});
  if (!Execute(k, true, seed, key_, round, intended, false)) return false;
  const bool resend = !offer && u < schedule_.duplicate_rate;
  return !resend || Execute(k, true, seed, key_, round, intended, /*duplicate=*/true);
}

bool WorkerLoop::Execute(std::size_t k, bool seeded, std::uint64_t seed, const std::string& key, int round,
                         Clock::time_point intended, bool duplicate) {
  CountingObserver observer(stop_);
  std::mt19937_64 call_rng;
  if (seeded) call_rng.seed(seed);
  CallContext ctx{conn_.get(), driver_.get(), observer, seeded ? call_rng : rng_, *targets_, round, key, retry_,
                  worker_index_, {}};
  const BoundOp& op = (*ops_)[k];
  CallArgs args;
  Classified error;
  bool failed = false;
  const auto t0 = Clock::now();
  if (out_->first_call.time_since_epoch().count() == 0) out_->first_call = t0;
  try {
    if (op.def->draw) op.def->draw(ctx, &args);
    if (in_flight_user_) in_flight_user_->store(args.user_id, std::memory_order_relaxed);
    op.fn(ctx, args);
  } catch (const DriverError& e) {
    out_->fatal = e.what();  // a driver that cannot be restarted: the case cannot go on
    barrier_->Break();
    return false;
  } catch (...) {
    error = ClassifyCurrentException();
    failed = true;
  }
  const auto t1 = Clock::now();
  if (in_flight_user_) in_flight_user_->store(0, std::memory_order_relaxed);
  out_->last_return = t1;
  out_->ops[k].Record(t1 - t0, failed ? &error : nullptr, observer.statements, observer.round_trips,
                      t1 - schedule_.epoch, op.series.get());
  out_->ops[k].RecordRetries(observer, schedule_.retry.base_delay);
  if (intended.time_since_epoch().count() != 0) {
    out_->ops[k].corrected_ns.Record(static_cast<std::uint64_t>(std::chrono::nanoseconds(t1 - intended).count()));
  }
  RecordHistory(op, ctx, args, failed ? &error : nullptr, key, duplicate);
  if (!failed && ctx.returned_id && op.def->Plays(kRaceCaller)) out_->returns.emplace_back(args.user_id, *ctx.returned_id);
  progress_->calls.fetch_add(1, std::memory_order_relaxed);
  if (failed && error.outcome != Outcome::kExpected && error.outcome != Outcome::kNoEffect) {
    progress_->errors.fetch_add(1, std::memory_order_relaxed);
  }
  if (driver_) return true;  // the driver keeps its own connection
  // A crash can leave the session broken without libpqxx knowing it (or a
  // transaction open on it): then the next call would fail at once, again
  // and again. Start afresh instead.
  if ((failed && (error.outcome == Outcome::kConnectionLost || !conn_->Usable())) || !conn_->is_open()) {
    return Reconnect();
  }
  return true;
}

void WorkerLoop::RecordHistory(const BoundOp& op, const CallContext& ctx, const CallArgs& args,
                               const Classified* error, const std::string& key, bool duplicate) {
  if (op.history_op == ClientHistory::kUntracked) {
    if (duplicate) return;
    out_->history.push_back(ClientHistory::kUntracked);
    out_->history_args_end.push_back(static_cast<std::uint32_t>(out_->history_args.size()));
    return;
  }
  const auto seen = !error                                   ? ClientHistory::kOk
                    : error->outcome == Outcome::kInDoubt    ? ClientHistory::kInDoubt
                    : error->outcome == Outcome::kNoEffect   ? ClientHistory::kNoEffect
                                                             : ClientHistory::kFailed;
  const std::uint8_t packed = ClientHistory::Pack(op.history_op, seen);
  if (duplicate) {
    ClientHistory::Duplicate d{key, packed, {}};
    op.recorder.Append(ctx, args, &d.args);
    out_->duplicates.push_back(std::move(d));
    return;
  }
  out_->history.push_back(packed);
  op.recorder.Append(ctx, args, &out_->history_args);
  out_->history_args_end.push_back(static_cast<std::uint32_t>(out_->history_args.size()));
}

bool WorkerLoop::Reconnect() {
  conn_.reset();
  // Counted from the first attempt that fails until it ends, for the
  // progress line: a server gone (or restarting) shows as workers
  // reconnecting, not as calls that stopped for no reason. A killed
  // backend, whose worker reconnects at once, is not shown.
  struct Counted {
    std::atomic<int>* n = nullptr;
    void Start(std::atomic<int>* c) {
      if (!n) ++*(n = c);
    }
    ~Counted() {
      if (n) --*n;
    }
  } counted;
  // A killed backend or a restarting server (crash recovery): keep trying,
  // backing off from 50 ms to 1 s, for up to the target's reconnect_for
  // (20 s unless --reconnect-for) before giving the worker up.
  const auto give_up = std::chrono::steady_clock::now() + target_->reconnect_for;
  for (std::chrono::milliseconds pause(50);; pause = std::min(2 * pause, std::chrono::milliseconds(1000))) {
    try {
      conn_ = Connect(*target_, settings_);
      ++out_->reconnects;
      return true;
    } catch (const std::exception& e) {
      if (std::chrono::steady_clock::now() >= give_up || stop_->stop_requested()) {
        out_->fatal = e.what();
        if (!stop_->stop_requested()) {
          out_->fatal += " (no connection for " + std::to_string(target_->reconnect_for.count()) +
                         " s: --reconnect-for)";
        }
        barrier_->Break();
        return false;
      }
      counted.Start(&progress_->reconnecting);
      std::this_thread::sleep_for(pause);
    }
  }
}

std::vector<BoundOp> BindMix(const CaseSpec& spec, const OperationTable& table, ClientHistory* history) {
  std::vector<BoundOp> ops;
  double cumulative = 0;
  for (const auto& [name, weight] : spec.mix) {
    cumulative += weight;
    const OperationDef& def = *table.Find(name);
    const std::string& strategy = spec.strategies.at(name);
    BoundOp op;
    op.name = name;
    op.strategy = strategy;
    op.def = &def;
    op.cumulative_weight = cumulative;
    op.recorder = RecorderFor(def);
    op.history_op = history && def.Tracked() ? history->Track(def.name, def.durable_sql, op.recorder.names)
                                             : ClientHistory::kUntracked;
    op.through_driver = spec.driver != nullptr;
    VarValues vars;
    for (const auto& [var, v] : spec.vars) vars[var] = v.text;
    if (spec.driver) {
      op.fn = def.sql ? BindDeclaredDriverCall(def.sql, vars, strategy) : BindDriverCall(def, strategy);
    } else if (def.sql) {
      op.fn = BindSqlOperation(def.sql, vars);
    } else {
      op.fn = def.bind(strategy);
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

const OperationTable& OperationsOf(const CaseSpec& spec) {
  return spec.operations ? *spec.operations : BuiltinOperations();
}

LatencySummary Summarize(const Histogram& h) {
  LatencySummary s;
  s.count = h.count();
  s.min_ms = Ms(h.min());
  s.mean_ms = h.mean() / 1e6;
  s.p50_ms = Ms(h.ValueAtQuantile(0.50));
  s.p90_ms = Ms(h.ValueAtQuantile(0.90));
  s.p99_ms = Ms(h.ValueAtQuantile(0.99));
  s.p999_ms = Ms(h.ValueAtQuantile(0.999));
  s.max_ms = Ms(h.max());
  for (const auto& [hi, n] : h.NonEmptyBuckets()) s.buckets.emplace_back(Ms(hi), n);
  return s;
}

std::vector<OperationResult> MergeOperations(const std::vector<BoundOp>& ops,
                                             const std::vector<const WorkerOutput*>& workers) {
  std::vector<OperationResult> out;
  for (std::size_t k = 0; k < ops.size(); ++k) {
    Histogram merged;
    SecondSeries series = ops[k].series->Take();  // the finished seconds; the workers hold the rest
    OperationResult op;
    op.name = ops[k].name;
    op.strategy = ops[k].strategy;
    std::array<std::uint64_t, kOutcomeCount> outcomes{};
    Histogram corrected;
    for (const WorkerOutput* w : workers) {
      const OpStats& st = w->ops[k];
      merged.Merge(st.latency_ns);
      corrected.Merge(st.corrected_ns);
      series.Merge(st.per_second);
      for (std::size_t o = 0; o < kOutcomeCount; ++o) outcomes[o] += st.outcomes[o];
      op.statements += st.statements;
      op.round_trips += st.round_trips;
      for (const std::string& s : st.error_samples) AddErrorSample(&op.error_samples, s);
      for (std::size_t a = 0; a < st.attempts.size(); ++a) {
        if (st.attempts[a]) op.attempts[static_cast<int>(a)] += st.attempts[a];
      }
      for (const std::string& s : st.backoff_samples) {
        if (op.backoff_samples.size() < 5) op.backoff_samples.push_back(s);
      }
      op.sleeps_in_transaction += st.sleeps_in_transaction;
      op.max_attempts_seen = std::max(op.max_attempts_seen, st.max_attempts_seen);
      for (std::size_t o = 0; o < kOutcomeCount; ++o) {
        if (st.failed_attempts[o]) op.failed_attempts[OutcomeName(static_cast<Outcome>(o))] += st.failed_attempts[o];
      }
      op.off_schedule_backoffs += st.off_schedule_backoffs;
      op.retries_without_backoff += st.retries_without_backoff;
      op.unresolved_in_doubt_retries += st.unresolved_in_doubt_retries;
    }
    for (std::size_t o = 0; o < kOutcomeCount; ++o) {
      if (outcomes[o]) op.outcomes[OutcomeName(static_cast<Outcome>(o))] = outcomes[o];
    }
    op.calls = merged.count();
    // A driver that reports no statements: the client cannot count them
    // (AttributeServerStatements may take them from the server's count).
    if (ops[k].through_driver) op.statements_source = "driver";
    if (ops[k].through_driver && op.statements == 0) {
      op.statements_measured = false;
      op.statements_missing = "the driver does not report them";
    }
    op.latency = Summarize(merged);
    if (corrected.count() > 0) {
      op.open_model = true;
      op.latency_corrected = Summarize(corrected);
    }
    op.series = series.Points();
    out.push_back(std::move(op));
  }
  return out;
}

void SetArrivals(const CaseSpec& spec, std::uint64_t stream, Schedule* schedule) {
  if (spec.arrival_rate_per_s <= 0) return;
  schedule->arrivals = std::make_shared<ArrivalSchedule>(spec.arrival_rate_per_s, spec.arrival_poisson,
                                                         spec.seed ^ (0x9E3779B97F4A7C15ull * (stream + 1)));
  schedule->max_start_delay = spec.max_start_delay;
}

ArrivalReport MergeArrivals(const CaseSpec& spec, const std::vector<const WorkerOutput*>& workers) {
  ArrivalReport report;
  if (spec.arrival_rate_per_s <= 0) return report;
  report.rate_per_s = spec.arrival_rate_per_s;
  report.process = spec.arrival_poisson ? "poisson" : "constant";
  report.max_start_delay_ms = static_cast<double>(spec.max_start_delay.count());
  Histogram lag;
  for (const WorkerOutput* w : workers) {
    lag.Merge(w->lag_ns);
    report.dropped += w->dropped;
  }
  report.started = lag.count();
  report.lag = Summarize(lag);
  return report;
}

}  // namespace ledgerstress
