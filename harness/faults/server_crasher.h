#ifndef LEDGERSTRESS_HARNESS_FAULTS_SERVER_CRASHER_H_
#define LEDGERSTRESS_HARNESS_FAULTS_SERVER_CRASHER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "harness/faults/fault.h"
#include "harness/pg/embedded_cluster.h"

namespace ledgerstress {

// The crash nemesis: `every` after Start(), and then `every` after each
// restart completes, crashes the run's own embedded cluster and starts it
// again (EmbeddedCluster::CrashAndRestart). The workers see their
// connections break; a call whose COMMIT was in flight is in doubt, and the
// history check resolves it by key afterwards.
//
// Never used on a server ledgerstress did not start: the caller holds the
// cluster only when Target::own_cluster is set. Start/Stop from one
// controlling thread; Stop() waits for a restart in progress, so that the
// server is up again when it returns (unless the restart failed: failure()).
class ServerCrasher final : public Fault {
 public:
  ServerCrasher(EmbeddedCluster* cluster, std::chrono::milliseconds every);
  ~ServerCrasher();

  void Start() override;
  void Stop() override;
  // server_crashes, longest_outage_s, and failure() as missing.
  void AddTo(FaultReport* out) const override;

  // After Stop(): crashes done, the longest time from a crash to the server
  // accepting connections again, and why crashing failed ("" when it never did).
  std::int64_t crashes() const { return crashes_; }
  double longest_outage_seconds() const { return longest_outage_s_; }
  const std::string& failure() const { return failure_; }

 private:
  void Loop();
  // Sleeps until `t` or Stop(); returns false when stopped.
  bool SleepUntil(std::chrono::steady_clock::time_point t);

  EmbeddedCluster* cluster_;
  std::chrono::milliseconds every_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  // Written by the thread, read after Stop() joined it.
  std::int64_t crashes_ = 0;
  double longest_outage_s_ = 0;
  std::string failure_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_SERVER_CRASHER_H_
