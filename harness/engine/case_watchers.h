#ifndef LEDGERSTRESS_HARNESS_ENGINE_CASE_WATCHERS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_CASE_WATCHERS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "harness/engine/monitor.h"
#include "harness/faults/backend_killer.h"
#include "harness/faults/deadlock_injector.h"
#include "harness/faults/in_flight.h"
#include "harness/faults/server_crasher.h"
#include "harness/scenario/scenario.h"
#include "model/run_result.h"

namespace ledgerstress {

// What runs beside a race or ledger case's workers: the monitor (ledger
// workload; counters only for a race through a driver), the backend killer (backend_kill_every), the deadlock
// injector (deadlock_injection) and the crash nemesis (server_crash_every,
// REQUIRES target->own_cluster then), each only when the case asks for it.
// Start() once every worker is connected; Finish() after they have joined.
// `workers_set_timeout`: see DeadlockInjector.
class CaseWatchers {
 public:
  CaseWatchers(const CaseSpec& spec, const Target* target, const std::string& schema,
               const std::string& app_prefix, std::int64_t pledge_project, bool workers_set_timeout = true);
  void Start();
  // Where worker `i` publishes the user of its call in flight, for the
  // deadlock injector; nullptr when the case injects no deadlock.
  std::atomic<std::int64_t>* InFlightSlot(int i) { return in_flight_ ? in_flight_->slot(i) : nullptr; }
  // Stops everything started and writes r->faults and r->server.
  void Finish(CaseResult* r);

 private:
  std::unique_ptr<InFlightUsers> in_flight_;
  std::unique_ptr<Monitor> monitor_;
  std::unique_ptr<BackendKiller> killer_;
  std::unique_ptr<DeadlockInjector> injector_;
  std::unique_ptr<ServerCrasher> crasher_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_CASE_WATCHERS_H_
