#include "harness/scenario/workload_table.h"

#include "harness/scenario/case_keys.h"

namespace ledgerstress {

const std::vector<WorkloadRow>& WorkloadRows() {
  static const std::vector<WorkloadRow> rows = {
      {Workload::kRace, "race", kRaceBit, true},
      {Workload::kClose, "close", kCloseBit, false},
      {Workload::kLedger, "ledger", kLedgerBit, true},
      {Workload::kExplore, "explore", kExploreBit, false},
  };
  return rows;
}

const WorkloadRow& RowOf(Workload w) {
  for (const WorkloadRow& row : WorkloadRows()) {
    if (row.id == w) return row;
  }
  return WorkloadRows().front();  // unreachable: every Workload has a row (workload_table_test)
}

std::string WorkloadsText(unsigned bits) {
  std::string out;
  for (const WorkloadRow& row : WorkloadRows()) {
    if (bits & row.bit) out += (out.empty() ? "\"" : " or \"") + std::string(row.name) + "\"";
  }
  return out;
}

}  // namespace ledgerstress
