#include "harness/periodic_thread.h"

#include <algorithm>

namespace ledgerstress {

void PeriodicThread::Start(std::chrono::milliseconds period, First first, Tick tick) {
  stopping_ = false;
  thread_ = std::thread([this, period, first, tick = std::move(tick)] { Loop(period, first, tick); });
}

void PeriodicThread::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool PeriodicThread::SleepUntil(std::chrono::steady_clock::time_point t) {
  std::unique_lock<std::mutex> lock(mu_);
  return !wake_.wait_until(lock, t, [this] { return stopping_.load(); });
}

bool PeriodicThread::SleepFor(std::chrono::steady_clock::duration d) {
  return SleepUntil(std::chrono::steady_clock::now() + d);
}

void PeriodicThread::Loop(std::chrono::milliseconds period, First first, const Tick& tick) {
  auto next = std::chrono::steady_clock::now();
  if (first == First::kTickAfterOnePeriod) next += period;
  while (SleepUntil(next)) {
    if (!tick()) return;
    next = std::max(next + period, std::chrono::steady_clock::now());
  }
}

}  // namespace ledgerstress
