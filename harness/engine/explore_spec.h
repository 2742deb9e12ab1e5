#ifndef LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_SPEC_H_
#define LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_SPEC_H_

#include <string>
#include <vector>

#include "harness/engine/explore_plan.h"
#include "harness/engine/explore_run.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// One explored schedule as a spec for PostgreSQL's isolation tester
// (src/test/isolation: `isolationtester CONNINFO < FILE`): a setup that
// makes a schema of its own (ledgerstress_explore) with the case's tables
// and fixture, one session per explorer session whose steps are the
// statements as they were sent (values written in as literals, gset
// columns with the values this order read), the permutation in the order
// the steps were sent, and a last session whose steps run the queries of
// the [[sql_invariant]]s named in `broken`: their rows are the anomaly.
// Pure: any thread.
std::string IsolationSpec(const CaseSpec& spec, std::int64_t schedule_id,
                          const ScheduleRun& run, const std::vector<std::string>& broken);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_SPEC_H_
