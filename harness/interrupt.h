#ifndef LEDGERSTRESS_HARNESS_INTERRUPT_H_
#define LEDGERSTRESS_HARNESS_INTERRUPT_H_

#include <atomic>
#include <functional>
#include <map>
#include <mutex>

namespace ledgerstress {

// A stop request shared by the main thread, the workers and the signal
// watcher. Thread-safe. Callbacks run once, on the thread that requests the
// stop (or at registration when the stop was already requested); they must
// be quick and must not call back into the StopSource.
class StopSource {
 public:
  void RequestStop();
  bool stop_requested() const { return stopped_.load(std::memory_order_relaxed); }

  // Returns a handle for RemoveCallback.
  int AddCallback(std::function<void()> fn);
  // After it returns the callback is not running and will not run: what it
  // captured may be destroyed. REQUIRES: not called from a callback.
  void RemoveCallback(int handle);

 private:
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::mutex run_mu_;  // held while RequestStop runs the callbacks
  std::map<int, std::function<void()>> callbacks_;  // GUARDED_BY(mu_)
  int next_handle_ = 0;                              // GUARDED_BY(mu_)
};

// Turns SIGINT and SIGTERM into stop->RequestStop(): blocks both signals in
// the calling thread (and so in every thread it creates afterwards) and
// starts a detached watcher thread. REQUIRES: called once, from main, before
// any other thread exists. Child processes get an empty signal mask.
void InstallSignalHandling(StopSource* stop);

// The signal that stopped the run (SIGINT or SIGTERM), or 0.
int StopSignal();

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_INTERRUPT_H_
