#include "harness/engine/case_watchers.h"

#include <thread>

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
  if (spec.backend_kill_every.count() > 0) {
    killer_ = std::make_unique<BackendKiller>(*target, app_prefix, spec.backend_kill_every, spec.seed);
  }
  if (spec.deadlock_injection) {
    in_flight_ = std::make_unique<InFlightUsers>(spec.workers);
    injector_ = std::make_unique<DeadlockInjector>(*target, schema, app_prefix, pledge_project, spec.deadlock_every,
                                                   in_flight_.get(), workers_set_timeout);
  }
  if (spec.server_crash_every.count() > 0) {
    crasher_ = std::make_unique<ServerCrasher>(target->own_cluster, spec.server_crash_every);
    if (monitor_) monitor_->ExpectRestarts();
  }
}

void CaseWatchers::Start() {
  if (monitor_) {
    monitor_->Begin();
    monitor_->StartSampling();
  }
  if (killer_) killer_->Start();
  if (injector_) injector_->Start();
  if (crasher_) crasher_->Start();
}

void CaseWatchers::Finish(CaseResult* r) {
  if (crasher_) {
    crasher_->Stop();  // the server is up again when it returns
    r->faults.server_crashes = crasher_->crashes();
    r->faults.longest_outage_s = crasher_->longest_outage_seconds();
    if (!crasher_->failure().empty()) r->faults.missing = crasher_->failure();
  }
  if (injector_) {
    injector_->Stop();
    r->faults = injector_->Report();
  }
  if (killer_) {
    killer_->Stop();
    r->faults.backends_killed = killer_->kills();
    if (!killer_->missing().empty()) r->faults.missing += (r->faults.missing.empty() ? "" : "; ") + killer_->missing();
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
