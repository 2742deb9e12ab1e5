#ifndef LEDGERSTRESS_HARNESS_FAULTS_DEADLOCK_INJECTOR_H_
#define LEDGERSTRESS_HARNESS_FAULTS_DEADLOCK_INJECTOR_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <pqxx/transaction>

#include "harness/faults/fault.h"
#include "harness/periodic_thread.h"
#include "harness/faults/in_flight.h"
#include "harness/pg/target.h"
#include "model/run_result.h"
#include "settlement/connection.h"

namespace ledgerstress {

// Injects real deadlocks (40P01) into pledge_funds, which locks the donor's
// wallet (row A) and then the project row FOR SHARE (row B). Every `every`,
// from its own connection, the injector locks B FOR UPDATE, waits (via
// pg_blocking_pids) until one of our workers blocks on it, and requests the
// wallet of the user that worker's call is for (`in_flight`: the harness
// drew the call's arguments, so it knows the row without pgrowlocks): a
// cycle. A victim with a call already queued on row A (waiting for its
// transaction) is skipped: that call would be in the cycle too, and could be
// the one aborted. Only backends whose application_name starts with
// `worker_prefix` + "/w<N>" are ever involved (N indexes `in_flight`).
//
// Who the victim is: PostgreSQL aborts the first backend whose deadlock
// check (deadlock_timeout after it started waiting) finds the cycle. With
// superuser the injector runs with a long deadlock_timeout and the workers
// with a short one. Without it both keep the server's, and the worker still
// goes first (it started waiting first); each injection then stalls the
// pledges behind row B for up to that timeout (Report() says which timeout
// was in force and this cost). No privilege or extension is needed.
// `workers_set_timeout` false: the workers' sessions keep the server's
// deadlock_timeout whatever the role may do (a driver's processes, which
// connect by themselves).
// Thread-safe to Start/Stop from one controlling thread.
class DeadlockInjector final : public Fault {
 public:
  DeadlockInjector(Target target, std::string schema, std::string worker_prefix, std::int64_t project_id,
                   std::chrono::milliseconds every, const InFlightUsers* in_flight, bool workers_set_timeout = true);
  ~DeadlockInjector();

  // The same, with slots of its own for `workers` workers to publish their
  // calls' users in (InFlightSlot).
  DeadlockInjector(Target target, std::string schema, std::string worker_prefix, std::int64_t project_id,
                   std::chrono::milliseconds every, int workers, bool workers_set_timeout);
  void Start() override;
  void Stop() override;
  // Report()'s figures; its missing appended to out's.
  void AddTo(FaultReport* out) const override;
  std::atomic<std::int64_t>* InFlightSlot(int i) override { return own_in_flight_ ? own_in_flight_->slot(i) : nullptr; }
  // Figures so far (call after Stop).
  FaultReport Report() const;

  // Worker sessions must use a deadlock_timeout this short, the injector's
  // is kInjectorDeadlockTimeout.
  static constexpr std::chrono::milliseconds kWorkerDeadlockTimeout{100};
  static constexpr std::chrono::milliseconds kInjectorDeadlockTimeout{10000};

 private:
  // One period: an injection; false when the injector cannot go on.
  bool Tick();
  bool InjectOnce();
  // Opens conn_ and sets its deadlock_timeout when allowed; the victims'
  // timeout and how long to wait for the cycle follow from it.
  void OpenConnection();
  std::int64_t FindVictim(pqxx::work& tx);

  Target target_;
  std::string schema_;
  std::string worker_prefix_;
  std::int64_t project_id_;
  std::chrono::milliseconds every_;
  std::unique_ptr<InFlightUsers> own_in_flight_;  // the second constructor's
  const InFlightUsers* in_flight_;
  bool workers_set_timeout_;
  // The victims' deadlock_timeout (the workers'), and whether ours is the
  // long one (superuser) or the server's.
  std::chrono::milliseconds victim_timeout_{0};
  bool own_timeout_ = false;
  std::unique_ptr<settlement::Connection> conn_;
  PeriodicThread thread_;
  std::atomic<std::int64_t> injected_{0};
  std::atomic<std::int64_t> attempts_{0};
  std::string missing_;  // written before Start's thread begins or after Stop
  std::int64_t last_victim_ = 0;  // used by the injector thread only
  std::int64_t victim_user_ = 0;  // the current victim's user: used by the injector thread only
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_DEADLOCK_INJECTOR_H_
