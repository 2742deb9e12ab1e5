#ifndef LEDGERSTRESS_HARNESS_SCENARIO_WORKLOAD_TABLE_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_WORKLOAD_TABLE_H_

#include <string>
#include <vector>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

// One row per workload, the scenario's side: its name in a scenario file,
// its bit in the case-key table (which keys it reads), and what it means
// for the keys every case has. The engine's side (its fixture and its plan
// over the worker pool) is harness/engine/workload_plans.cpp's row.
struct WorkloadRow {
  Workload id;
  const char* name;           // `workload = "<name>"`
  unsigned bit;               // CaseKeyDef::workloads
  bool runs_for_a_schedule;   // needs `calls_per_worker` or `duration` (the close runs until its closes return)
};

// Every workload, in the order docs and messages list them.
const std::vector<WorkloadRow>& WorkloadRows();

// The row of `w` (every Workload has one).
const WorkloadRow& RowOf(Workload w);

// "\"close\" or \"ledger\"": the workloads whose bits are in `bits`.
std::string WorkloadsText(unsigned bits);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_WORKLOAD_TABLE_H_
