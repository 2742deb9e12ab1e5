#ifndef LEDGERSTRESS_HARNESS_CLI_COMMANDS_H_
#define LEDGERSTRESS_HARNESS_CLI_COMMANDS_H_

// The subcommands, one row each: what `ledgerstress --help` lists, what
// main() dispatches to, and the names an unknown command is matched against.
// Adding a subcommand: its cmd_*.cpp, its declaration in common.h, one row.
// A constant table: readable from any thread.

#include <string>
#include <vector>

#include "harness/cli/common.h"

namespace ledgerstress::cli {

struct Command {
  const char* name;
  const char* synopsis;  // as listed: "run SCENARIO"
  const char* summary;   // one or more lines, '\n' between them
  int (*run)(const Invocation&);
};

const std::vector<Command>& Commands();

// The listing under "commands:" in --help, synopses aligned.
std::string CommandListing();

// The row named `name`, nullptr when none is.
const Command* FindCommand(const std::string& name);

// Every command's name, in the table's order (for "did you mean").
std::vector<std::string> CommandNames();

}  // namespace ledgerstress::cli

#endif  // LEDGERSTRESS_HARNESS_CLI_COMMANDS_H_
