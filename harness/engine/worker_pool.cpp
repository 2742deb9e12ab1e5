#include "harness/engine/worker_pool.h"

#include "harness/engine/worker.h"

namespace ledgerstress {

WorkerPool::WorkerPool(int members, const Target* target, std::string app_prefix, StopSource* stop)
    : barrier_(members + 1), stop_(stop) {
  stop_handle_ = stop_->AddCallback([this, target, prefix = std::move(app_prefix)] {
    barrier_.Break();
    CancelOurStatements(*target, prefix);
  });
}

WorkerPool::~WorkerPool() { Join(); }

void WorkerPool::Join() {
  if (joined_) return;
  joined_ = true;
  // Members still waiting for the caller's next Release() (it stopped
  // releasing: a member failed, or the plan is over) must not wait forever.
  barrier_.Break();
  for (std::thread& t : threads_) t.join();
  stop_->RemoveCallback(stop_handle_);
}

std::string FirstFailure(const std::vector<const WorkerOutput*>& outputs) {
  for (const WorkerOutput* w : outputs) {
    if (!w->fatal.empty()) return w->fatal;
  }
  return "";
}

}  // namespace ledgerstress
