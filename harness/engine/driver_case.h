#ifndef LEDGERSTRESS_HARNESS_ENGINE_DRIVER_CASE_H_
#define LEDGERSTRESS_HARNESS_ENGINE_DRIVER_CASE_H_

#include <memory>

#include "harness/drivers/driver_client.h"
#include "harness/engine/workload.h"

namespace ledgerstress {

// What every driver process of a case shares (null when the case runs the
// built-in code): the environment for `session` (a worker's; the
// application_name is each process's own), the log directory (created),
// the case. With `short_deadlock_timeout` false the session's
// deadlock_timeout is left out (the role may not set it). With the
// driver's concurrency k > 1, also the ceil(workers / k) processes the
// workers share (DriverCase::shared), started by the workers' first calls
// to DriverClient::Start. REQUIRES: the case's workload is race or ledger
// when k > 1 (the loader refuses the close workload).
std::unique_ptr<DriverCase> MakeDriverCase(const CaseSpec& spec, const WorkloadEnv& env, SessionSettings session,
                                           bool short_deadlock_timeout);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_DRIVER_CASE_H_
