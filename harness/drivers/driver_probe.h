#ifndef LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_PROBE_H_
#define LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_PROBE_H_

#include <string>

#include "harness/pg/target.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// Before any case runs: starts each driver some case uses once (init with
// "probe": true, then shutdown), and checks every such case's operations
// and strategies against what it offers, filling the strategies a case
// left to the driver's default (the first it offers). Its stderr goes to
// `log_dir`/probe-<driver>/. Throws ScenarioError (exit 2) naming the
// position and what the driver offers, for an operation or strategy it does
// not offer, or for a driver whose init_ok offers fewer calls at once than
// its `concurrency` (at that key); DriverError (exit 3, with its stderr
// tail) for a driver that cannot get through init.
void ProbeDrivers(const Target& target, const std::string& app_prefix, const std::string& log_dir, Scenario* s);

// ProbeDrivers with no server (`ledgerstress validate`): the drivers get
// the harness's own environment (no PG* of a target; a probe must not
// touch the database) and their stderr goes to a temporary directory,
// removed before returning. Throws as ProbeDrivers does.
void ProbeDriversWithoutServer(Scenario* s);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_PROBE_H_
