#ifndef LEDGERSTRESS_HARNESS_SCENARIO_SQL_INVARIANT_LOADER_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_SQL_INVARIANT_LOADER_H_

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The scenario's [[sql_invariant]] tables (none: empty): each a name
// (unique, not a built-in invariant), a non-empty query and message,
// optionally an expected value. Throws ScenarioError naming the position
// of the offending key. The server checks the queries later, before any
// case runs (SqlInvariantRefusal).
std::vector<SqlInvariant> ReadSqlInvariants(const toml::table& root, const std::string& path);

// `c`'s [[sql_invariant]] queries with each `:name` replaced by the case's
// vars.<name> as a SQL literal (numbers and booleans as written, strings
// quoted), as the [schema] fixture reads them. REQUIRES: CheckSqlCase
// passed (it refuses a `:name` the case does not set, at the query).
void BindSqlInvariantVars(CaseSpec* c);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_SQL_INVARIANT_LOADER_H_
