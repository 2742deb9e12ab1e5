#include "harness/interrupt.h"

#include <csignal>
#include <cstdio>
#include <thread>
#include <unistd.h>

namespace ledgerstress {
namespace {
std::atomic<int> g_signal{0};
}  // namespace

void StopSource::RequestStop() {
  if (stopped_.exchange(true)) return;
  // Held while the callbacks run, so that RemoveCallback can wait for one in
  // flight before its owner destroys what it captured.
  std::lock_guard<std::mutex> running(run_mu_);
  std::map<int, std::function<void()>> callbacks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    callbacks = callbacks_;
  }
  for (auto& [h, fn] : callbacks) fn();
}

int StopSource::AddCallback(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stop_requested()) {
      callbacks_[next_handle_] = std::move(fn);
      return next_handle_++;
    }
  }
  fn();
  return -1;
}

void StopSource::RemoveCallback(int handle) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    callbacks_.erase(handle);
  }
  // A stop in progress may be running this very callback: wait it out.
  std::lock_guard<std::mutex> wait(run_mu_);
}

void InstallSignalHandling(StopSource* stop) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([stop, set] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (g_signal.exchange(sig) == 0) {
        const char msg[] = "\nledgerstress: stopping (signal received); cleaning up...\n";
        (void)!write(2, msg, sizeof msg - 1);
        stop->RequestStop();
      } else {
        const char msg[] = "ledgerstress: already stopping; cleanup in progress\n";
        (void)!write(2, msg, sizeof msg - 1);
      }
    }
  }).detach();
}

int StopSignal() { return g_signal.load(); }

}  // namespace ledgerstress
