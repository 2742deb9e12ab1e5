#ifndef LEDGERSTRESS_HARNESS_SCENARIO_SCHEMA_COMMAND_LOADER_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_SCHEMA_COMMAND_LOADER_H_

#include <string>

#include <toml++/toml.h>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The program keys of the [schema] table `t` of the scenario at `path`:
// `command` and `fixture_command` (each a non-empty array of strings),
// `cwd` (relative to the scenario file's directory, the default) and `env`
// (a table of strings), shared by both commands. As for a driver's
// command, argv[0] must hold a '/' (run as written, no PATH search; a
// relative one is made absolute from `cwd`): a bare name is refused with
// the absolute path PATH would give. `cwd` or `env` without a command is
// refused. Fills s->command, s->fixture_command, s->cwd, s->env; throws
// ScenarioError at the offending key. Whether the program runs is checked
// later, on a scratch schema before any case runs.
void ReadSchemaCommands(const toml::table& t, const std::string& path, UserSchema* s);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_SCHEMA_COMMAND_LOADER_H_
