#ifndef LEDGERSTRESS_HARNESS_PERIODIC_THREAD_H_
#define LEDGERSTRESS_HARNESS_PERIODIC_THREAD_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ledgerstress {

// The one thread a fault or a sampler runs on: calls `tick` every `period`
// (at a fixed rate; after a tick longer than the period, the next one
// starts at once, without a burst to catch up) from Start() until Stop()
// or until `tick` returns false.
//
// Stop() wakes the thread at once -- a sleeping period never delays a
// Ctrl-C or the end of a case -- waits for a tick in progress to finish and
// joins. A tick that waits inside itself polls stopping() or sleeps with
// SleepFor(), which Stop() also cuts short.
//
// Start/Stop from one controlling thread; `tick` runs on the periodic
// thread only. The destructor stops.
class PeriodicThread {
 public:
  // false: stop ticking (the thread ends; Stop() still joins it).
  using Tick = std::function<bool()>;
  enum class First { kTickAtStart, kTickAfterOnePeriod };

  PeriodicThread() = default;
  ~PeriodicThread() { Stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // REQUIRES: not running; period > 0.
  void Start(std::chrono::milliseconds period, First first, Tick tick);
  // Idempotent.
  void Stop();

  bool running() const { return thread_.joinable(); }
  // Stop() was called: a long tick should return.
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  // Sleeps `d` or until Stop(); false when stopped. Periodic thread only.
  bool SleepFor(std::chrono::steady_clock::duration d);

 private:
  void Loop(std::chrono::milliseconds period, First first, const Tick& tick);
  bool SleepUntil(std::chrono::steady_clock::time_point t);

  std::mutex mu_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_PERIODIC_THREAD_H_
