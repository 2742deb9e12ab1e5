#ifndef LEDGERSTRESS_HARNESS_ENGINE_ARRIVALS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_ARRIVALS_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace ledgerstress {

// The intended start times of an open-model workload (`arrival_rate`):
// `rate_per_s` calls per second, evenly spaced or a Poisson process
// (exponential gaps drawn from `seed`, so a seed replays the same
// schedule). The workers are the pool that serves the arrivals: each
// takes the next one when it is free, so a call's intended start does not
// move when every worker is busy -- latency measured from it includes the
// time the call waited for a worker (no coordinated omission).
//
// Thread-safe.
class ArrivalSchedule {
 public:
  using Clock = std::chrono::steady_clock;

  ArrivalSchedule(double rate_per_s, bool poisson, std::uint64_t seed);

  // The next arrival of round `round` (0-based; rounds only go up): its
  // intended start. A round's first arrival is the moment its first
  // worker asks.
  Clock::time_point Next(int round);
  // The end of the arrivals when the phase ends on an event (the close
  // workload's background, once every close has returned): the first
  // caller's `now`, the same for every later caller. Arrivals before it
  // were offered and must still be served or dropped -- stopping at the
  // event instead would lose the backlog of a stall, which is the point.
  Clock::time_point EndAt(Clock::time_point now);

 private:
  std::chrono::nanoseconds Gap();

  const double rate_per_s_;
  const bool poisson_;
  std::mutex mu_;
  std::mt19937_64 rng_;          // GUARDED_BY(mu_)
  Clock::time_point next_{};     // GUARDED_BY(mu_)
  int round_ = -1;               // GUARDED_BY(mu_)
  Clock::time_point end_{};      // GUARDED_BY(mu_); epoch: not ended
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_ARRIVALS_H_
