#include "harness/engine/case_watchers.h"

#include <thread>

#include "harness/engine/fault_table.h"

namespace ledgerstress {

CaseWatchers::CaseWatchers(const CaseSpec& spec, const Target* target, const std::string& schema,
                           const std::string& app_prefix, std::int64_t pledge_project, bool workers_set_timeout) {
  if (spec.workload == Workload::kLedger) {
    monitor_ = std::make_unique<Monitor>(*target, schema, app_prefix, spec.monitor_interval);
  } else if (spec.driver) {
    // A race through a driver: the server's statement count, for a driver that does not report its own.
    monitor_ = std::make_unique<Monitor>(*target, schema, app_prefix, std::chrono::milliseconds(0));
    monitor_->CountersOnly();
  }
  if (monitor_ && spec.user_schema) monitor_->NoBuiltinTables();
  if (monitor_) monitor_->set_long_idle_threshold(Monitor::LongIdleFor(spec.retry_base_delay));
  const FaultEnv env{spec, *target, schema, app_prefix, pledge_project, workers_set_timeout, monitor_.get()};
  for (const FaultRow& row : FaultTable()) {
    if (row.asked(spec)) {
      faults_.push_back(row.make(env));
    } else {
      off_.push_back(&row);
    }
  }
}

std::atomic<std::int64_t>* CaseWatchers::InFlightSlot(int i) {
  for (const auto& f : faults_) {
    if (auto* slot = f->InFlightSlot(i)) return slot;
  }
  return nullptr;
}

const Target* CaseWatchers::WorkerTarget(const Target* direct) const {
  for (const auto& f : faults_) {
    if (const Target* t = f->WorkerTarget()) return t;
  }
  return direct;
}

void CaseWatchers::Start() {
  if (monitor_) {
    monitor_->Begin();
    monitor_->StartSampling();
  }
  for (const auto& f : faults_) f->Start();
}

void CaseWatchers::Finish(CaseResult* r) {
  // Stopped in reverse order (the crash nemesis: the server is up again
  // when it returns), then read in the table's, so that what could not be
  // done reads in that order.
  for (auto f = faults_.rbegin(); f != faults_.rend(); ++f) (*f)->Stop();
  for (const auto& f : faults_) f->AddTo(&r->faults);
  if (r->faults.Any()) {
    for (const FaultRow* row : off_) {
      for (const FaultFigure& f : row->off) r->faults.Set(f.name, f.value, f.text);
    }
  }
  if (!monitor_) return;
  monitor_->StopSampling();
  r->server = monitor_->End();
  // The victims' backends report their deadlocks to the statistics when
  // they exit; give them a moment so the server's count is complete.
  for (int i = 0; i < 40 && r->server.deadlocks_delta >= 0 && r->server.deadlocks_delta < r->faults.deadlocks_injected;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    r->server.deadlocks_delta = monitor_->DeadlocksSince();
  }
}

}  // namespace ledgerstress
