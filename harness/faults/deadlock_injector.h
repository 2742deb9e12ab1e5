#ifndef LEDGERSTRESS_HARNESS_FAULTS_DEADLOCK_INJECTOR_H_
#define LEDGERSTRESS_HARNESS_FAULTS_DEADLOCK_INJECTOR_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "harness/pg/target.h"
#include "reports/run_result.h"
#include "settlement/connection.h"

namespace ledgerstress {

// Injects real deadlocks (40P01) into pledge_funds, which locks the donor's
// wallet (row A) and then the project row FOR SHARE (row B). Every `every`,
// from its own connection, the injector locks B FOR UPDATE, waits (via
// pg_blocking_pids) until one of our workers blocks on it, finds the wallet
// row that worker holds (pgrowlocks) and requests it: a cycle. The injector
// runs with a long deadlock_timeout and the workers with a short one, so
// PostgreSQL picks the worker as the victim: deterministic, and into code
// that would otherwise never deadlock. Only backends whose application_name
// starts with `worker_prefix` are ever involved.
//
// Needs superuser (deadlock_timeout) and pgrowlocks; without them it
// records why in FaultReport::missing and injects nothing. Thread-safe to
// Start/Stop from one controlling thread.
class DeadlockInjector {
 public:
  DeadlockInjector(Target target, std::string schema, std::string worker_prefix, std::int64_t project_id,
                   std::chrono::milliseconds every);
  ~DeadlockInjector();

  void Start();
  void Stop();
  // Figures so far (call after Stop).
  FaultReport Report() const;

  // Worker sessions must use a deadlock_timeout this short, the injector's
  // is kInjectorDeadlockTimeout.
  static constexpr std::chrono::milliseconds kWorkerDeadlockTimeout{100};
  static constexpr std::chrono::milliseconds kInjectorDeadlockTimeout{10000};

 private:
  void Loop();
  bool InjectOnce();

  Target target_;
  std::string schema_;
  std::string worker_prefix_;
  std::int64_t project_id_;
  std::chrono::milliseconds every_;
  std::unique_ptr<settlement::Connection> conn_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<std::int64_t> injected_{0};
  std::atomic<std::int64_t> attempts_{0};
  std::string missing_;  // written before Start's thread begins or after Stop
  std::int64_t last_victim_ = 0;  // used by the injector thread only
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_DEADLOCK_INJECTOR_H_
