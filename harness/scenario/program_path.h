#ifndef LEDGERSTRESS_HARNESS_SCENARIO_PROGRAM_PATH_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_PROGRAM_PATH_H_

// Where a driver's program would be, for the message that refuses a bare
// name (a driver's command is run as written: no PATH search).

#include <string>

namespace ledgerstress {

// The first executable regular file named `name` in the ':'-separated
// directories of `path_list` (as a shell's PATH search would find it; empty
// and relative entries are skipped), "" when there is none.
// REQUIRES: `name` has no '/'.
std::string FindOnPath(const std::string& name, const std::string& path_list);

// Why the bare program name `name` (command[0] of [drivers.<driver>], run in
// `cwd`) is refused and what to write instead, one line:
//   command[0] 'node' is not looked up on PATH: write "/usr/bin/node"
// also naming "./name" when `cwd` holds a file of that name, and saying so
// when PATH has none. `path_list` is the PATH the driver would get.
std::string BareProgramMessage(const std::string& name, const std::string& cwd, const std::string& path_list);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_PROGRAM_PATH_H_
