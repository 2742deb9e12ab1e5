#ifndef LEDGERSTRESS_HARNESS_ENGINE_WORKER_H_
#define LEDGERSTRESS_HARNESS_ENGINE_WORKER_H_

// The worker loop; the types it works with have a header each
// (counting_observer.h, bound_op.h, op_stats.h, schedule.h), included here.

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/drivers/driver_client.h"
#include "harness/engine/bound_op.h"
#include "harness/engine/counting_observer.h"
#include "harness/engine/op_stats.h"
#include "harness/engine/schedule.h"
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
#include "model/run_result.h"
#include "settlement/connection.h"

namespace ledgerstress {

struct CaseProgress;

// What every worker of a pool shares: borrowed, and outliving the workers.
struct WorkerEnv {
  const std::vector<BoundOp>* ops;
  const Target* target;
  const Targets* targets;
  Schedule schedule;
  Barrier* barrier;
  StopSource* stop;
  CaseProgress* progress;
  const DriverCase* driver = nullptr;  // null: the built-in code on the worker's own connection
};

// What is one worker's own.
struct WorkerSlot {
  int index = 0;
  SessionSettings settings;
  WorkerOutput* out;        // borrowed; written by this worker only
  std::uint64_t seed;
  std::string key_prefix;   // its idempotency keys (and its ClientHistory::Log) start with it
  // The user of each call in flight is published here (the deadlock injector reads it).
  std::atomic<std::int64_t>* in_flight_user = nullptr;
};

// The body of a worker thread: connects (its own connection), waits on
// `barrier` once connected, then for each round waits on `barrier` again and
// runs the schedule (calls go to the case's driver process instead when it
// has one). A broken or unusable connection is re-opened, backing off from
// 50 ms to 1 s for up to Target::reconnect_for (a server in crash
// recovery); when that fails the worker records why, breaks the barrier and
// stops. With WorkerSlot::in_flight_user, the user each call's arguments
// name is published there while the call runs.
// Exceptions never leave operator().
class WorkerLoop {
 public:
  WorkerLoop(const WorkerEnv& env, WorkerSlot slot);
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

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_WORKER_H_
