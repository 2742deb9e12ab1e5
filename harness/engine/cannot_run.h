#ifndef LEDGERSTRESS_HARNESS_ENGINE_CANNOT_RUN_H_
#define LEDGERSTRESS_HARNESS_ENGINE_CANNOT_RUN_H_

#include <string>
#include <vector>

#include "harness/scenario/scenario.h"
#include "model/run_result.h"

namespace ledgerstress {

// What a case asked for that could not run on this server, each as "what:
// why; how to fix it": a deadlock injection that injected nothing, a
// backend killer that could not kill, a threshold on a metric that was not
// measured (the monitor without pgrowlocks or pg_stat_statements, sampling
// turned off, an operation that made no call). Such a case gets no verdict
// on the code: DecideVerdict makes it an error (the run exits 3) instead of a
// pass or a fail that would read like one. Empty when everything ran.
std::vector<std::string> CannotRun(const CaseSpec& spec, const CaseResult& r);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_CANNOT_RUN_H_
