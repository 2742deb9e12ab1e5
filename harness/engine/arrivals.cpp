#include "harness/engine/arrivals.h"

namespace ledgerstress {

ArrivalSchedule::ArrivalSchedule(double rate_per_s, bool poisson, std::uint64_t seed)
    : rate_per_s_(rate_per_s), poisson_(poisson), rng_(seed) {}

std::chrono::nanoseconds ArrivalSchedule::Gap() {
  const double mean_s = 1.0 / rate_per_s_;
  const double s = poisson_ ? std::exponential_distribution<double>(rate_per_s_)(rng_) : mean_s;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(s * 1e9));
}

ArrivalSchedule::Clock::time_point ArrivalSchedule::Next(int round) {
  std::lock_guard<std::mutex> lock(mu_);
  if (round != round_) {
    round_ = round;
    next_ = Clock::now();
    end_ = Clock::time_point{};
  }
  const Clock::time_point t = next_;
  next_ += Gap();
  return t;
}

ArrivalSchedule::Clock::time_point ArrivalSchedule::EndAt(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (end_.time_since_epoch().count() == 0) end_ = now;
  return end_;
}

}  // namespace ledgerstress
