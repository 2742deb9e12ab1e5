#ifndef LEDGERSTRESS_HARNESS_SCENARIO_DRIVER_LOADER_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_DRIVER_LOADER_H_

#include <map>
#include <memory>
#include <string>

#include <toml++/toml.h>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The scenario's [drivers.<name>] tables (none: empty). Each needs
// `command` (a non-empty array of strings); `cwd` (relative to the
// scenario file's directory, which is the default), `env` (a table of
// strings), `call_timeout` and `start_timeout` (durations) are optional.
// command[0] must hold a '/' (it is run as written, with no PATH search; a
// relative one is made absolute from `cwd`): a bare name is refused, with
// the absolute path PATH would give (BareProgramMessage).
// Throws ScenarioError naming the position of the offending key. Whether
// the command runs and speaks the protocol is checked later, before any
// case runs.
std::map<std::string, std::shared_ptr<const DriverSpec>> ReadDrivers(const toml::table& root,
                                                                     const std::string& path);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_DRIVER_LOADER_H_
