#ifndef LEDGERSTRESS_HARNESS_ENGINE_WORKER_H_
#define LEDGERSTRESS_HARNESS_ENGINE_WORKER_H_

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/drivers/driver_client.h"
#include "harness/engine/arrivals.h"
#include "harness/engine/barrier.h"
#include "harness/engine/duplicates.h"
#include "harness/engine/histogram.h"
#include "harness/operations/call.h"
#include "harness/engine/outcome.h"
#include "harness/engine/time_series.h"
#include "harness/interrupt.h"
#include "harness/engine/recorded_args.h"
#include "harness/invariants/client_history.h"
#include "harness/pg/target.h"
#include "harness/scenario/scenario.h"
#include "reports/run_result.h"
#include "settlement/connection.h"

namespace ledgerstress {

struct CaseProgress;

// Thrown into a call by its observer when the run is being stopped.
class StopRequested : public std::runtime_error {
 public:
  StopRequested() : std::runtime_error("stopped: the run was interrupted") {}
};

// The harness's settlement observer for one call: counts statements and
// round trips, attempts, and the backoffs it observed (timed from the
// backoff's start to the next attempt's start).
class CountingObserver final : public settlement::Observer {
 public:
  // With `stop`, a stop request aborts the call before its next statement
  // (StopRequested; the open transaction rolls back): a call made of many
  // short statements, like a per-escrow close, does not hold up Ctrl-C.
  explicit CountingObserver(const StopSource* stop = nullptr) : stop_(stop) {}

  void OnStatement(int round_trips) override {
    if (stop_ && stop_->stop_requested()) throw StopRequested();
    ++statements;
    this->round_trips += static_cast<std::uint64_t>(round_trips);
  }
  void OnAttempt(int attempt) override;
  void OnAttemptFailed(int attempt, const std::exception& error) override;
  void OnBackoff(std::chrono::milliseconds slept, bool transaction_open) override;
  void OnStatementsReported(std::uint64_t n) override {
    statements += n;
    round_trips += n;
  }
  void OnRetriesReported(int attempts_made, const std::vector<double>& backoffs, int in_transaction) override {
    attempts = attempts_made;
    backoffs_ms = backoffs;
    intended_ms = backoffs;
    sleeps_in_transaction = in_transaction;
    // A driver's word is all there is of its gaps; a retry it reports no
    // backoff for had none.
    gaps_ms = backoffs;
    if (attempts_made > 1) gaps_ms.resize(static_cast<std::size_t>(attempts_made - 1), 0.0);
  }

  std::uint64_t statements = 0;
  std::uint64_t round_trips = 0;
  int attempts = 0;
  std::vector<double> backoffs_ms;       // observed
  std::vector<double> intended_ms;       // what the retry loop asked for
  int sleeps_in_transaction = 0;
  std::vector<Outcome> failed_attempts;  // the class of each failed attempt, in order
  // Evidence that does not rest on what the code says of itself:
  // gaps_ms[k], the time from attempt k+1's failure to attempt k+2's start,
  // as this observer's clock saw it (a retry without a backoff shows a gap
  // of about 0 whatever OnBackoff said or did not say); and the retries
  // that followed an in-doubt attempt with no statement in between (the
  // outcome was not looked up by key before the work was done again).
  std::vector<double> gaps_ms;
  int unresolved_in_doubt_retries = 0;

 private:
  const StopSource* stop_;
  std::chrono::steady_clock::time_point backoff_start_;
  std::chrono::steady_clock::time_point failed_at_;
  bool in_doubt_pending_ = false;
  std::uint64_t statements_at_failure_ = 0;
};

// One operation of a case's mix, bound to its strategy.
struct BoundOp {
  std::string name;
  std::string strategy;
  const OperationDef* def = nullptr;  // its row: how arguments are drawn
  OperationFn fn;
  double cumulative_weight = 0;
  // Its index in the case's ClientHistory, or ClientHistory::kUntracked.
  std::uint8_t history_op = 0xFF;
  bool through_driver = false;  // fn sends the call to the worker's driver
  // Every worker's finished seconds of this operation (see SecondSeries).
  std::shared_ptr<SharedSecondSeries> series = std::make_shared<SharedSecondSeries>();
  // The arguments the client history records of each tracked call.
  ArgRecorder recorder;
};

// Adds `s` to `samples` unless it is there already or 5 are kept.
void AddErrorSample(std::vector<std::string>* samples, const std::string& s);

// One worker's figures for one operation. Owned by its worker until join.
struct OpStats {
  Histogram latency_ns;    // from the call's actual start (service time)
  Histogram corrected_ns;  // open model only: from its intended start
  std::array<std::uint64_t, kOutcomeCount> outcomes{};
  std::uint64_t statements = 0;
  std::uint64_t round_trips = 0;
  std::vector<std::string> error_samples;  // first few distinct errors
  SecondSeries per_second;  // the seconds not yet handed to the operation's SharedSecondSeries
  std::array<std::uint64_t, 12> attempts{};  // calls by attempts made (index 0: no retry loop)
  std::vector<std::string> backoff_samples;  // first few sequences with a backoff
  std::uint64_t sleeps_in_transaction = 0;
  int max_attempts_seen = 0;
  std::array<std::uint64_t, kOutcomeCount> failed_attempts{};  // failed attempts by error class
  // Backoffs outside [0.5, 1] x the schedule (+ scheduling slack): the
  // retry check's evidence.
  std::uint64_t off_schedule_backoffs = 0;
  // Retries that came sooner than half their scheduled backoff after the
  // failure (CountingObserver::gaps_ms), and retries of an in-doubt attempt
  // not first resolved by key.
  std::uint64_t retries_without_backoff = 0;
  std::uint64_t unresolved_in_doubt_retries = 0;

  // Adds one finished call, which ended `since_epoch` after the case's
  // workers were started.
  // `shared`, when given, receives per_second's finished seconds.
  void Record(std::chrono::nanoseconds latency, const Classified* error, std::uint64_t statements,
              std::uint64_t round_trips, std::chrono::steady_clock::duration since_epoch,
              SharedSecondSeries* shared = nullptr);
  // Adds what the call's observer saw of its retries.
  void RecordRetries(const CountingObserver& obs, std::chrono::milliseconds base_delay);
};

// Everything one worker thread owns; read by the main thread after join.
struct WorkerOutput {
  std::vector<OpStats> ops;  // parallel to the case's BoundOps
  // What the worker saw of call n (key = the worker's key prefix + n),
  // and its recorded arguments (as ClientHistory::Log's args, args_end).
  std::vector<std::uint8_t> history;
  std::string history_args;
  std::vector<std::uint32_t> history_args_end;
  // The first call's start and the last call's end (epoch when no call ran):
  // the workers' running time excludes connecting and joining.
  std::chrono::steady_clock::time_point first_call, last_return;
  int rounds_done = 0;
  int reconnects = 0;  // after a broken connection
  // Open model: each started call's schedule lag (actual start - intended
  // start), and the arrivals this worker dropped (lag past max_start_delay).
  Histogram lag_ns;
  std::uint64_t dropped = 0;
  std::string fatal;  // why this worker stopped early, if it did
  // Calls this worker sent under a key already used (duplicate_rate): a
  // re-send of its own call, or its partner's call sent at the same time.
  std::vector<ClientHistory::Duplicate> duplicates;
  // Race workload: (user, wallet id) of each call whose code reported it.
  std::vector<ClientHistory::Return> returns;
};

// When a worker stops calling: after calls_per_worker calls, after
// `duration`, or (both zero) once *until becomes true. Per round. With
// `arrivals` (the open model), a call starts at its intended start, taken
// from the shared schedule when the worker is free, or is dropped when the
// worker is free only more than `max_start_delay` after it.
struct Schedule {
  std::int64_t calls_per_worker = 0;
  std::chrono::milliseconds duration{0};
  const std::atomic<bool>* until = nullptr;
  std::shared_ptr<ArrivalSchedule> arrivals;
  std::chrono::milliseconds max_start_delay{1000};
  int rounds = 1;
  std::chrono::steady_clock::time_point epoch;  // t = 0 of the per-second series
  settlement::RetryPolicy retry;                 // rng is filled in per worker
  // duplicate_rate: the share of calls (of operations the client history
  // tracks) sent twice, half by the same worker after the first returned,
  // half by its partner through `duplicates` at the same time.
  double duplicate_rate = 0;
  std::shared_ptr<DuplicateSlots> duplicates;
};

// The body of a worker thread: connects (its own connection), waits on
// `barrier` once connected, then for each round waits on `barrier` again and
// runs the schedule (calls go to the case's driver process instead when it
// has one). A broken or unusable connection is re-opened, backing off from
// 50 ms to 1 s for up to 20 s (a server in crash recovery); when that fails
// the worker records why, breaks the barrier and stops. With `in_flight_user`, the user each call's arguments
// name is published there while the call runs (for the deadlock injector).
// Exceptions never leave operator().
class WorkerLoop {
 public:
  WorkerLoop(const std::vector<BoundOp>* ops, const Target* target, SessionSettings settings,
             const Targets* targets, Schedule schedule, Barrier* barrier, StopSource* stop,
             CaseProgress* progress, WorkerOutput* out, std::uint64_t seed, std::string key_prefix,
             std::atomic<std::int64_t>* in_flight_user = nullptr, const DriverCase* driver = nullptr,
             int worker_index = 0);
  void operator()();

 private:
  bool RunRound(int round);
  bool RunOpenRound(int round);
  // Sleeps until `t`; false when the run is being stopped first.
  bool SleepUntil(std::chrono::steady_clock::time_point t);
  std::size_t PickOperation();
  // One call; `intended`, when set (open model), is its intended start.
  // With duplicate_rate: a partner's offered call instead, or this call
  // offered to the partner, or this call sent twice.
  bool Call(int round, std::chrono::steady_clock::time_point intended = {});
  // Sends operation `k` once with `key`, recording its outcome. `seed`
  // (when `seeded`) draws its arguments from an RNG of their own, so that a
  // second send draws the same; else from the worker's RNG. `duplicate`:
  // the key was used already (recorded in WorkerOutput::duplicates).
  bool Execute(std::size_t k, bool seeded, std::uint64_t seed, const std::string& key, int round,
               std::chrono::steady_clock::time_point intended, bool duplicate);
  // Appends the call's outcome to the client history (its own key's slot,
  // or a duplicate's entry).
  void RecordHistory(const BoundOp& op, const CallContext& ctx, const CallArgs& args, const Classified* error,
                     const std::string& key, bool duplicate);
  bool Reconnect();
  // Connects, or starts the driver process (DriverClient::Start).
  bool Open();

  const std::vector<BoundOp>* ops_;
  const Target* target_;
  SessionSettings settings_;
  const Targets* targets_;
  Schedule schedule_;
  Barrier* barrier_;
  StopSource* stop_;
  CaseProgress* progress_;
  WorkerOutput* out_;
  std::mt19937_64 rng_;
  std::string key_prefix_;
  std::string key_;                         // the current call's key, reused: no allocation per call
  std::uint64_t calls_ = 0;
  std::mt19937_64 jitter_rng_;
  settlement::RetryPolicy retry_;
  std::unique_ptr<settlement::Connection> conn_;  // null when a driver runs the calls
  // With a deadlock injector: the user of the call in flight (see InFlightUsers).
  std::atomic<std::int64_t>* in_flight_user_;
  const DriverCase* driver_case_;  // null: the built-in code on conn_
  int worker_index_;
  std::unique_ptr<DriverClient> driver_;
};

// The operations of `spec`'s mix from `table`, bound to the case's
// strategies, with cumulative weights. With `history`, the operations that
// have a durable query are tracked in it. REQUIRES: the mix was validated
// against `table` (the scenario loader does this).
std::vector<BoundOp> BindMix(const CaseSpec& spec, const OperationTable& table, ClientHistory* history);

// The operations `spec`'s mix names: the scenario's table, or the built-in
// one for a spec made without it.
const OperationTable& OperationsOf(const CaseSpec& spec);

// Merges the workers' per-operation figures into report entries.
std::vector<OperationResult> MergeOperations(const std::vector<BoundOp>& ops,
                                             const std::vector<const WorkerOutput*>& workers);
// The open model of `spec` (arrival_rate): sets schedule->arrivals (a
// schedule of its own, seeded from the case's seed and `stream`) and
// max_start_delay. Nothing when the case has no rate.
void SetArrivals(const CaseSpec& spec, std::uint64_t stream, Schedule* schedule);
// The case's arrivals: its rate, and the workers' schedule lags, started
// and dropped arrivals. rate_per_s 0 when the case has no rate.
ArrivalReport MergeArrivals(const CaseSpec& spec, const std::vector<const WorkerOutput*>& workers);

LatencySummary Summarize(const Histogram& h);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_WORKER_H_
