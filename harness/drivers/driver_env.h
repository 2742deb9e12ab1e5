#ifndef LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_ENV_H_
#define LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_ENV_H_

#include <string>
#include <vector>

#include "harness/pg/target.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The environment of a case's driver processes ("NAME=value" entries):
// the harness's own, with the target's connection parameters as libpq's
// PG* variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, ...: a
// password never goes on a command line), PGOPTIONS holding the session's
// settings (search_path = the case schema, lock_timeout,
// statement_timeout, every session.<name>), LEDGERSTRESS_SCHEMA, then the
// driver's own `env`. PGAPPNAME, LEDGERSTRESS_WORKER and LEDGERSTRESS_SEED
// are per worker (DriverClient adds them). Throws std::invalid_argument
// when the target's DSN cannot be parsed.
std::vector<std::string> DriverEnvironment(const Target& target, const SessionSettings& session,
                                           const DriverSpec& driver);

// Whether this target's role may set deadlock_timeout (a superuser, or
// GRANT SET ON PARAMETER): then a driver's sessions can take the short
// deadlock_timeout that makes them the victims of injected deadlocks at
// once. Asks a fresh session; false when it cannot connect.
bool MaySetDeadlockTimeout(const Target& target);

// `-c name=value` for PGOPTIONS, spaces and backslashes escaped as libpq wants.
std::string PgOption(const std::string& name, const std::string& value);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_ENV_H_
