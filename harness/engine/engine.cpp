#include "harness/engine/engine.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <pqxx/except>

#include "harness/engine/barrier.h"
#include "harness/engine/fixtures.h"
#include "harness/engine/histogram.h"
#include "harness/engine/operations.h"
#include "harness/engine/outcome.h"
#include "harness/engine/verdict.h"
#include "harness/errors.h"
#include "harness/invariants/invariants.h"
#include "harness/pg/dsn.h"
#include "harness/scenario/resolved.h"

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxErrorSamples = 5;

class CountingObserver final : public settlement::Observer {
 public:
  void OnStatement(int round_trips) override {
    ++statements;
    this->round_trips += static_cast<std::uint64_t>(round_trips);
  }
  std::uint64_t statements = 0;
  std::uint64_t round_trips = 0;
};

// One worker's figures for one operation. Owned by its worker until join.
struct OpStats {
  Histogram latency_ns;
  std::array<std::uint64_t, kOutcomeCount> outcomes{};
  std::uint64_t statements = 0;
  std::uint64_t round_trips = 0;
  std::vector<std::string> error_samples;
};

struct BoundOp {
  std::string name;
  std::string strategy;
  OperationFn fn;
  double cumulative_weight;
};

// Everything one worker thread owns; read by the main thread after join.
struct Worker {
  std::vector<OpStats> ops;
  int rounds_done = 0;
  std::string fatal;  // why this worker stopped early, if it did
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

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

// The body of one worker thread. Exceptions never leave it.
class WorkerLoop {
 public:
  WorkerLoop(const CaseSpec& spec, const std::vector<BoundOp>& ops, const Target& target,
             SessionSettings settings, std::int64_t first_user, Barrier* barrier,
             StopSource* stop, CaseProgress* progress, Worker* out, std::uint64_t seed)
      : spec_(spec), ops_(ops), target_(target), settings_(std::move(settings)),
        first_user_(first_user), barrier_(barrier), stop_(stop), progress_(progress), out_(out),
        rng_(seed) {
    out_->ops.resize(ops.size());
  }

  void operator()() {
    try {
      conn_ = Connect(target_, settings_);
    } catch (const std::exception& e) {
      out_->fatal = e.what();
      barrier_->Break();
      return;
    }
    if (!barrier_->Wait()) return;  // every worker connected, or one failed
    for (int round = 0; round < spec_.rounds; ++round) {
      if (!barrier_->Wait() || stop_->stop_requested()) return;
      if (round + 1 > progress_->round.load(std::memory_order_relaxed)) progress_->round = round + 1;
      if (!RunRound(round)) return;
      out_->rounds_done = round + 1;
    }
  }

 private:
  // False when the worker must stop (stop requested or connection gone).
  bool RunRound(int round) {
    const auto deadline = Clock::now() + spec_.duration;
    for (std::int64_t i = 0;; ++i) {
      if (spec_.calls_per_worker > 0 ? i >= spec_.calls_per_worker : Clock::now() >= deadline) break;
      if (stop_->stop_requested()) return false;
      if (!Call(round)) return false;
    }
    return true;
  }

  std::size_t PickOperation() {
    if (ops_.size() == 1) return 0;
    std::uniform_real_distribution<double> d(0, ops_.back().cumulative_weight);
    const double x = d(rng_);
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if (x < ops_[i].cumulative_weight) return i;
    }
    return ops_.size() - 1;
  }

  std::int64_t PickUser(int round) {
    std::int64_t u = first_user_ + static_cast<std::int64_t>(round) * spec_.users_per_round;
    if (spec_.users_per_round > 1) u += static_cast<std::int64_t>(rng_() % spec_.users_per_round);
    return u;
  }

  bool Call(int round) {
    const std::size_t k = PickOperation();
    OpStats& st = out_->ops[k];
    CountingObserver observer;
    CallContext ctx{*conn_, observer, rng_, PickUser(round)};
    Outcome outcome = Outcome::kOk;
    const auto t0 = Clock::now();
    try {
      ops_[k].fn(ctx);
    } catch (...) {
      const Classified c = ClassifyCurrentException();
      outcome = c.outcome;
      if (st.error_samples.size() < kMaxErrorSamples) {
        std::string s = std::string(OutcomeName(c.outcome)) +
                        (c.sqlstate.empty() ? "" : " [" + c.sqlstate + "]") + ": " + c.message;
        if (std::find(st.error_samples.begin(), st.error_samples.end(), s) == st.error_samples.end()) {
          st.error_samples.push_back(std::move(s));
        }
      }
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0);
    st.latency_ns.Record(static_cast<std::uint64_t>(elapsed.count()));
    ++st.outcomes[static_cast<std::size_t>(outcome)];
    st.statements += observer.statements;
    st.round_trips += observer.round_trips;
    progress_->calls.fetch_add(1, std::memory_order_relaxed);
    if (outcome != Outcome::kOk) progress_->errors.fetch_add(1, std::memory_order_relaxed);
    if (outcome == Outcome::kConnectionLost || (conn_ && !conn_->is_open())) return Reconnect();
    return true;
  }

  bool Reconnect() {
    try {
      conn_.reset();
      conn_ = Connect(target_, settings_);
      return true;
    } catch (const std::exception& e) {
      out_->fatal = e.what();
      barrier_->Break();
      return false;
    }
  }

  const CaseSpec& spec_;
  const std::vector<BoundOp>& ops_;
  const Target& target_;
  const SessionSettings settings_;
  const std::int64_t first_user_;
  Barrier* barrier_;
  StopSource* stop_;
  CaseProgress* progress_;
  Worker* out_;
  std::mt19937_64 rng_;
  std::unique_ptr<pqxx::connection> conn_;
};

std::vector<BoundOp> BindMix(const CaseSpec& spec) {
  std::vector<BoundOp> ops;
  double cumulative = 0;
  for (const auto& [name, weight] : spec.mix) {
    cumulative += weight;
    const std::string& strategy = spec.strategies.at(name);
    ops.push_back(BoundOp{name, strategy, BindOperation(name, strategy), cumulative});
  }
  return ops;
}

void MergeWorkers(const std::vector<BoundOp>& ops, const std::vector<Worker>& workers, CaseResult* r) {
  for (std::size_t k = 0; k < ops.size(); ++k) {
    Histogram merged;
    OperationResult op;
    op.name = ops[k].name;
    op.strategy = ops[k].strategy;
    std::array<std::uint64_t, kOutcomeCount> outcomes{};
    for (const Worker& w : workers) {
      const OpStats& st = w.ops[k];
      merged.Merge(st.latency_ns);
      for (std::size_t o = 0; o < kOutcomeCount; ++o) outcomes[o] += st.outcomes[o];
      op.statements += st.statements;
      op.round_trips += st.round_trips;
      for (const std::string& s : st.error_samples) {
        if (op.error_samples.size() < kMaxErrorSamples &&
            std::find(op.error_samples.begin(), op.error_samples.end(), s) == op.error_samples.end()) {
          op.error_samples.push_back(s);
        }
      }
    }
    for (std::size_t o = 0; o < kOutcomeCount; ++o) {
      if (outcomes[o]) op.outcomes[OutcomeName(static_cast<Outcome>(o))] = outcomes[o];
    }
    op.calls = merged.count();
    op.latency = Summarize(merged);
    r->operations.push_back(std::move(op));
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
  progress->planned_calls = spec.calls_per_worker > 0
                                ? static_cast<std::uint64_t>(spec.calls_per_worker) * spec.workers * spec.rounds
                                : 0;

  const std::string app_prefix = "ledgerstress/" + options_.run_id;
  std::unique_ptr<pqxx::connection> setup;
  bool schema_created = false;
  try {
    const auto t_setup = Clock::now();
    setup = Connect(options_.target, SessionSettings{app_prefix + "/setup", "", {}, {}});
    const Fixture fixture = CreateFixture(
        *setup, FixtureSpec{schema, spec.schema_options,
                            static_cast<std::int64_t>(spec.rounds) * spec.users_per_round});
    schema_created = true;
    r.setup_seconds = Seconds(Clock::now() - t_setup);

    const std::vector<BoundOp> ops = BindMix(spec);
    std::vector<Worker> workers(static_cast<std::size_t>(spec.workers));
    Barrier barrier(spec.workers);
    const int stop_handle = stop_->AddCallback([&barrier] { barrier.Break(); });
    std::mt19937_64 seeder(spec.seed);
    std::vector<std::thread> threads;
    const auto t_run = Clock::now();
    for (int i = 0; i < spec.workers; ++i) {
      SessionSettings s{app_prefix + "/w" + std::to_string(i), schema, spec.lock_timeout,
                        spec.statement_timeout};
      threads.emplace_back(WorkerLoop(spec, ops, options_.target, s, fixture.first_user_id, &barrier, stop_,
                                      progress, &workers[static_cast<std::size_t>(i)], seeder()));
    }
    for (std::thread& t : threads) t.join();
    stop_->RemoveCallback(stop_handle);
    r.run_seconds = Seconds(Clock::now() - t_run);

    MergeWorkers(ops, workers, &r);
    r.rounds_completed = spec.rounds;
    for (const Worker& w : workers) r.rounds_completed = std::min(r.rounds_completed, w.rounds_done);
    for (const Worker& w : workers) {
      if (!w.fatal.empty()) {
        r.verdict = "error";
        r.error = w.fatal;
        break;
      }
    }
    if (r.verdict != "error" && stop_->stop_requested()) {
      r.verdict = "interrupted";
      r.verdict_reason = "stopped after " + std::to_string(r.rounds_completed) + " of " +
                         std::to_string(spec.rounds) + " rounds";
    }

    if (r.verdict != "error") {
      const auto t_check = Clock::now();
      std::unique_ptr<pqxx::connection> check =
          Connect(options_.target, SessionSettings{app_prefix + "/check", schema, {}, {}});
      for (const std::string& name : spec.invariants) r.invariants.push_back(CheckInvariant(*check, name));
      r.check_seconds = Seconds(Clock::now() - t_check);
    }
    DecideVerdict(spec, &r);
  } catch (const std::exception& e) {
    r.verdict = "error";
    r.error = RedactWith(FirstLine(e.what()), options_.target.dsn);
  }
  if (r.verdict == "error" && r.verdict_reason.empty()) r.verdict_reason = r.error;

  if (schema_created && !options_.keep_data) {
    try {
      if (!setup || !setup->is_open()) setup = Connect(options_.target, SessionSettings{app_prefix + "/setup", "", {}, {}});
      DropSchema(*setup, schema);
    } catch (const std::exception& e) {
      if (r.error.empty()) r.error = "could not drop schema " + schema + ": " + FirstLine(e.what());
    }
  }
  return r;
}

}  // namespace ledgerstress
