#ifndef LEDGERSTRESS_HARNESS_SCENARIO_SQL_OPERATION_LOADER_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_SQL_OPERATION_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "harness/operations/operation.h"
#include "harness/operations/sql_operation.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The scenario's `[schema]` table (null when it has none): `sql` or `file`
// (relative to the scenario's directory), optionally `fixture` or
// `fixture_file`. Throws ScenarioError at the offending key.
std::shared_ptr<const UserSchema> ReadUserSchema(const toml::table& root, const std::string& path);

// The keys an [[operation]] table may have (for the message that names a
// key given in the wrong table).
const std::vector<std::string>& OperationKeyNames();

// The scenario's `[[operation]]` tables, compiled: each statement's
// `:name`s numbered, every name a param or (after a statement with
// `gset = true`) a column, every param used. Throws ScenarioError at the
// offending key: an undefined or unused parameter, an unknown generator,
// a bad isolation level or SQLSTATE. Whether the server takes the
// statements is checked later, before any case runs (CheckSqlOnServer).
std::vector<std::shared_ptr<const SqlOperation>> ReadSqlOperations(const toml::table& root, const std::string& path);

// The built-in operations and then `ops`. A name already taken is refused
// at its operation's position.
std::shared_ptr<const OperationTable> ScenarioOperations(const std::vector<std::shared_ptr<const SqlOperation>>& ops);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_SQL_OPERATION_LOADER_H_
