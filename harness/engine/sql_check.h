#ifndef LEDGERSTRESS_HARNESS_ENGINE_SQL_CHECK_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SQL_CHECK_H_

#include <functional>
#include <string>

#include "harness/scenario/scenario.h"
#include "settlement/connection.h"

namespace ledgerstress {

// Runs the [schema]'s `command` and `fixture_command` into the scratch
// schema named (created, empty, or holding the [schema] SQL); throws what
// RunSchemaCommands throws.
using BuildWithCommands = std::function<void(const std::string& schema)>;

// The check of a scenario's own SQL by the server, before any case runs,
// in a scratch schema `schema` (created here, dropped before returning,
// whatever happened, with everything the commands left in it):
//  - the [schema] SQL runs (or the built-in schema is made), or `build`
//    runs the [schema] command; then `build` runs its fixture_command
//    (REQUIRES: `build` when the [schema] has either);
//  - each case's fixture runs on it (rolled back);
//  - every statement of every [[operation]] and its durable query is
//    prepared, and the names a statement reads from an earlier gset
//    statement are columns that statement returns;
//  - every [[sql_invariant]] query runs once on the empty tables, with
//    each case's vars (once per distinct text).
// Throws ScenarioError "file:line:col: ..." naming the first SQL the server
// refuses, with the server's message (and, when the server gives one, the
// line and column inside that SQL). `conn`'s search_path is `schema`.
void CheckScenarioSql(settlement::Connection& conn, const Scenario& s, const std::string& schema,
                      const BuildWithCommands& build = {});

// Whether `s` has SQL of its own to check.
bool HasScenarioSql(const Scenario& s);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SQL_CHECK_H_
