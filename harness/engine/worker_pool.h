#ifndef LEDGERSTRESS_HARNESS_ENGINE_WORKER_POOL_H_
#define LEDGERSTRESS_HARNESS_ENGINE_WORKER_POOL_H_

#include <utility>
#include <string>
#include <thread>
#include <vector>

#include "harness/engine/barrier.h"
#include "harness/interrupt.h"
#include "harness/pg/target.h"

namespace ledgerstress {

struct WorkerOutput;

// The threads of one phase of a case (the race's workers, a close round's
// closers and background workers), and the barrier that releases them
// together with the caller.
//
// Every member connects on its own thread, then waits on barrier() once
// ("connected") and once per release; the caller is one more party and
// calls Release() for each. A member that fails (cannot connect, loses its
// connection for good) breaks the barrier, so nobody waits for it. A stop
// request breaks the barrier too and cancels the statements of our sessions
// (application_name prefix), so Ctrl-C never waits for a long statement.
//
// Workloads are plans over a pool: spawn the members, Release() once to see
// everyone connected, start what watches them (monitor, faults), Release()
// per round, Join().
class WorkerPool {
 public:
  // `members`: how many Spawn() calls will follow.
  WorkerPool(int members, const Target* target, std::string app_prefix, StopSource* stop);
  ~WorkerPool();  // Join()s
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  Barrier* barrier() { return &barrier_; }

  // Runs `member` (a callable, moved) on a thread of its own. It must not
  // throw.
  template <typename Member>
  void Spawn(Member&& member) {
    threads_.emplace_back(std::forward<Member>(member));
  }

  // The caller's turn at the barrier: false once it is broken (a member
  // failed, or a stop was requested).
  bool Release() { return barrier_.Wait(); }

  // Waits for every member; idempotent. Stops reacting to stop requests.
  void Join();

 private:
  Barrier barrier_;
  std::vector<std::thread> threads_;
  StopSource* stop_;
  int stop_handle_;
  bool joined_ = false;
};

// The first member that stopped early and why (its WorkerOutput::fatal), or
// "" when every member ran to its end.
std::string FirstFailure(const std::vector<const WorkerOutput*>& outputs);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_WORKER_POOL_H_
