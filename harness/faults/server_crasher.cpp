#include "harness/faults/server_crasher.h"

#include <algorithm>
#include <cstdio>

#include "harness/pg/dsn.h"

namespace ledgerstress {

ServerCrasher::ServerCrasher(EmbeddedCluster* cluster, std::chrono::milliseconds every)
    : cluster_(cluster), every_(every) {}

ServerCrasher::~ServerCrasher() { Stop(); }

void ServerCrasher::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ServerCrasher::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool ServerCrasher::SleepUntil(std::chrono::steady_clock::time_point t) {
  std::unique_lock<std::mutex> lock(mu_);
  return !wake_.wait_until(lock, t, [this] { return stopping_; });
}

void ServerCrasher::Loop() {
  while (SleepUntil(std::chrono::steady_clock::now() + every_)) {
    const auto t0 = std::chrono::steady_clock::now();
    try {
      cluster_->CrashAndRestart();
    } catch (const std::exception& e) {
      failure_ = FirstLine(e.what());
      return;
    }
    ++crashes_;
    longest_outage_s_ =
        std::max(longest_outage_s_, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
}

void ServerCrasher::AddTo(FaultReport* out) const {
  char outage[64];
  std::snprintf(outage, sizeof outage, "%.2f", longest_outage_s_);
  out->Set("server_crashes", static_cast<double>(crashes_),
           std::to_string(crashes_) + " server crash(es), each back within " + outage + " s");
  out->Set("longest_outage_s", longest_outage_s_);
  AddMissing(out, failure_);
}

}  // namespace ledgerstress
