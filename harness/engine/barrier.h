#ifndef LEDGERSTRESS_HARNESS_ENGINE_BARRIER_H_
#define LEDGERSTRESS_HARNESS_ENGINE_BARRIER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace ledgerstress {

// A reusable barrier for a fixed number of threads that can be broken: once
// Break() is called every waiting and future Wait() returns false at once, so
// a stop request never leaves a thread stuck waiting for peers that quit.
// Thread-safe.
class Barrier {
 public:
  explicit Barrier(int parties) : parties_(parties) {}

  // Blocks until `parties` threads have called Wait() for this generation.
  // Returns true when released normally, false when the barrier is broken.
  bool Wait();
  // Blocks until every party but one waits (the last one, the caller, is
  // then the one whose Wait() releases them): lets it do something between
  // "all arrived" and "all released" (a sharded run's barrier across
  // processes). False when the barrier is broken.
  bool AwaitOthers();
  void Break();
  bool broken() const;

 private:
  const int parties_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int waiting_ = 0;              // GUARDED_BY(mu_)
  std::uint64_t generation_ = 0;  // GUARDED_BY(mu_)
  bool broken_ = false;          // GUARDED_BY(mu_)
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_BARRIER_H_
