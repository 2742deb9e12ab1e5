#ifndef LEDGERSTRESS_HARNESS_ENGINE_CASE_WATCHERS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_CASE_WATCHERS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/engine/monitor.h"
#include "harness/faults/fault.h"
#include "harness/scenario/scenario.h"
#include "model/run_result.h"

namespace ledgerstress {

struct FaultRow;

// What runs beside a race or ledger case's workers: the monitor (ledger
// workload; counters only for a race through a driver) and every fault of
// the fault table (harness/engine/fault_table.h) the case asks for.
// Construct before the workers connect (a fault on the wire gives them
// WorkerTarget()); Start() once every worker is connected; Finish() after
// they have joined. From the thread that runs the case.
// `workers_set_timeout`: see DeadlockInjector.
class CaseWatchers {
 public:
  CaseWatchers(const CaseSpec& spec, const Target* target, const std::string& schema,
               const std::string& app_prefix, std::int64_t pledge_project, bool workers_set_timeout = true);
  void Start();
  // Where worker `i` publishes the user of its call in flight, for a fault
  // that reads it (the deadlock injector); nullptr when none does.
  std::atomic<std::int64_t>* InFlightSlot(int i);
  // What the workers connect to: a fault's proxy, or `direct`.
  const Target* WorkerTarget(const Target* direct) const;
  // Stops everything started (faults in reverse order) and writes
  // r->faults and r->server.
  void Finish(CaseResult* r);

 private:
  std::unique_ptr<Monitor> monitor_;
  std::vector<std::unique_ptr<Fault>> faults_;  // in the fault table's order
  std::vector<const FaultRow*> off_;            // the rows the case did not ask for
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_CASE_WATCHERS_H_
