#ifndef LEDGERSTRESS_HARNESS_FAULTS_IN_FLIGHT_H_
#define LEDGERSTRESS_HARNESS_FAULTS_IN_FLIGHT_H_

#include <atomic>
#include <cstdint>
#include <memory>

namespace ledgerstress {

// What each worker's call in flight works on: the user whose wallet it
// locks (a pledge locks its donor's wallet FOR UPDATE before the project).
// Written by each worker around its calls, read by the deadlock injector to
// find the row its victim holds without pgrowlocks or any privilege: the
// harness drew the arguments, so it knows. Lock-free; relaxed ordering is
// enough (the injector re-checks the cycle through the server's own locks).
class InFlightUsers {
 public:
  explicit InFlightUsers(int workers)
      : slots_(new std::atomic<std::int64_t>[static_cast<std::size_t>(workers)]), workers_(workers) {
    for (int i = 0; i < workers; ++i) slots_[static_cast<std::size_t>(i)].store(0, std::memory_order_relaxed);
  }

  // Worker `i`'s slot (0 when no call is in flight). REQUIRES: 0 <= i < workers.
  std::atomic<std::int64_t>* slot(int i) { return &slots_[static_cast<std::size_t>(i)]; }
  // The user worker `i` works on now; 0 when idle or `i` is out of range.
  std::int64_t UserOf(int i) const {
    return i >= 0 && i < workers_ ? slots_[static_cast<std::size_t>(i)].load(std::memory_order_relaxed) : 0;
  }

 private:
  std::unique_ptr<std::atomic<std::int64_t>[]> slots_;
  int workers_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_IN_FLIGHT_H_
