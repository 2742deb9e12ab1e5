#ifndef LEDGERSTRESS_HARNESS_SCENARIO_WORKLOAD_TABLE_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_WORKLOAD_TABLE_H_

#include <string>
#include <vector>

#include "harness/scenario/case_keys.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// One row per workload, the scenario's side: its name in a scenario file,
// the keys it reads, and what it means for the keys every case has. Its
// bit in the case-key table is BitOf(id). The engine's side (its fixture
// and its plan over the worker pool) is harness/engine/workload_plans.cpp's
// row.
struct WorkloadRow {
  Workload id;
  const char* name;           // `workload = "<name>"`
  bool runs_for_a_schedule;   // needs `calls_per_worker` or `duration`
  // When it does not: what it runs instead, for the message refusing a
  // schedule key (calls_per_worker, duration, users_per_round).
  const char* instead_of_a_schedule;
  // Workers call a mix (workers, mix, strategy, retry, thresholds, ...:
  // MixWorkloads()); the explorer runs sessions instead.
  bool runs_a_mix;
  // The keys only this workload reads, read after the case's own keys
  // (name, workload, driver, workers); their `workloads` is set to its bit.
  // nullptr: none.
  std::vector<CaseKeyDef> (*keys)();
};

// Every workload, in the order docs and messages list them.
const std::vector<WorkloadRow>& WorkloadRows();

// The row of `w` (every Workload has one).
const WorkloadRow& RowOf(Workload w);

// "\"close\" or \"ledger\"": the workloads whose bits are in `bits`.
std::string WorkloadsText(unsigned bits);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_WORKLOAD_TABLE_H_
