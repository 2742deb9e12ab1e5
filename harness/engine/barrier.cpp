#include "harness/engine/barrier.h"

namespace ledgerstress {

bool Barrier::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  if (broken_) return false;
  const std::uint64_t gen = generation_;
  if (++waiting_ == parties_) {
    waiting_ = 0;
    ++generation_;
    cv_.notify_all();
    return true;
  }
  if (waiting_ == parties_ - 1) cv_.notify_all();  // an AwaitOthers() may be waiting for this
  cv_.wait(lock, [&] { return generation_ != gen || broken_; });
  return generation_ != gen;
}

bool Barrier::AwaitOthers() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return waiting_ >= parties_ - 1 || broken_; });
  return !broken_;
}

void Barrier::Break() {
  std::lock_guard<std::mutex> lock(mu_);
  broken_ = true;
  cv_.notify_all();
}

bool Barrier::broken() const {
  std::lock_guard<std::mutex> lock(mu_);
  return broken_;
}

}  // namespace ledgerstress
