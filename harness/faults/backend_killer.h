#ifndef LEDGERSTRESS_HARNESS_FAULTS_BACKEND_KILLER_H_
#define LEDGERSTRESS_HARNESS_FAULTS_BACKEND_KILLER_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <string>

#include "harness/faults/fault.h"
#include "harness/periodic_thread.h"
#include "harness/pg/target.h"
#include "settlement/connection.h"

namespace ledgerstress {

// Every `every`, terminates (pg_terminate_backend) one backend of the
// harness's own workers, chosen at random among the sessions whose
// application_name starts with "<worker_prefix>/w" -- never any other
// session of the server. The worker sees its connection break (or, when the
// kill lands on its commit, an in-doubt commit), reconnects and carries on.
// Start/Stop from one controlling thread.
class BackendKiller final : public Fault {
 public:
  BackendKiller(Target target, std::string worker_prefix, std::chrono::milliseconds every, std::uint64_t seed);
  ~BackendKiller();

  void Start() override;
  void Stop() override;
  // The figure backends_killed, and what could not be done appended to missing.
  void AddTo(FaultReport* out) const override;
  std::int64_t kills() const { return kills_.load(); }
  // Why no kill could be attempted ("" when killing worked).
  const std::string& missing() const { return missing_; }

 private:
  // One kill; true (keep ticking).
  bool KillOne();

  Target target_;
  std::string worker_prefix_;
  std::chrono::milliseconds every_;
  std::mt19937_64 rng_;
  std::unique_ptr<settlement::Connection> conn_;
  PeriodicThread thread_;
  std::atomic<std::int64_t> kills_{0};
  std::string missing_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_BACKEND_KILLER_H_
