#ifndef LEDGERSTRESS_HARNESS_ENGINE_SCHEMA_COMMAND_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SCHEMA_COMMAND_H_

// The team's own programs building a case's schema: `[schema] command`
// (its migrations) and `fixture_command` (its seeding).

#include <map>
#include <string>
#include <vector>

#include "harness/errors.h"
#include "harness/interrupt.h"
#include "harness/pg/target.h"
#include "harness/scenario/scenario.h"
#include "settlement/connection.h"

namespace ledgerstress {

// A [schema] command that could not run or exited non-zero. Exit 3. what()
// is one line: which command, how it ended, the end of its stderr (lines
// joined by " | ") and where all of its output is; never a password.
class SchemaCommandError : public InfrastructureError {
 public:
  using InfrastructureError::InfrastructureError;
};

// Where and for whom the commands run.
struct SchemaCommandContext {
  const Target* target = nullptr;
  std::string schema;    // exists and is empty: the commands' search_path
  std::string app_name;  // PGAPPNAME of their sessions: a stop request cancels their statements by it
  // Their output: <log_dir>/<schema>.<command|fixture_command>.<stdout|stderr>
  // ("": $TMPDIR/ledgerstress-schema-commands).
  std::string log_dir;
  const std::map<std::string, CaseVar>* vars = nullptr;  // passed to fixture_command; may be null
  StopSource* stop = nullptr;  // killed and reaped once a stop is requested
};

// The environment a command gets: a driver's (DriverEnvironment: the
// target's PG* variables, PGOPTIONS with search_path = ctx.schema,
// LEDGERSTRESS_SCHEMA), PGAPPNAME = ctx.app_name, the [schema] `env`, and
// for the fixture command each case var as LEDGERSTRESS_VAR_<name>.
std::vector<std::string> SchemaCommandEnvironment(const UserSchema& u, const SchemaCommandContext& ctx,
                                                  bool fixture);

// Builds ctx.schema with what `u` runs as programs, on the calling thread:
// `command` when given, then the fixture: `fixture_sql` (the [schema]
// fixture with the case's vars in place; give it only with `command`, as
// otherwise CreateFixture ran it) in one transaction on `conn`, or
// `fixture_command`. Throws SchemaCommandError when a command fails,
// Interrupted when the stop request killed it, pqxx errors from the SQL
// fixture. What the commands created is left for the caller to drop.
void RunSchemaCommands(settlement::Connection& conn, const UserSchema& u, const std::string& fixture_sql,
                       const SchemaCommandContext& ctx);

// Whether `u` runs any program (then its schema is built by RunSchemaCommands).
bool HasSchemaCommands(const UserSchema& u);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SCHEMA_COMMAND_H_
