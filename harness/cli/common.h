#ifndef LEDGERSTRESS_HARNESS_CLI_COMMON_H_
#define LEDGERSTRESS_HARNESS_CLI_COMMON_H_

#include <string>
#include <vector>

#include "harness/interrupt.h"

namespace ledgerstress {
namespace cli {

// Everything a subcommand gets: its own arguments (without the program and
// subcommand names) and the process-wide stop request.
struct Invocation {
  std::vector<std::string> args;
  std::string command_line;  // the whole command, passwords redacted
  StopSource* stop;
};

// Subcommands. Each returns the process exit code (DESIGN §9).
int RunCommand(const Invocation& inv);
int ValidateCommand(const Invocation& inv);
int ListCommand(const Invocation& inv);
int DbCommand(const Invocation& inv);
int CompareCommand(const Invocation& inv);

// "ledgerstress: error: <message>" on stderr. Returns `code`.
int Error(int code, const std::string& message);
// "ledgerstress: warning: <message>" on stderr.
void Warn(const std::string& message);

// The directory of the shipped scenarios: $LEDGERSTRESS_SCENARIO_DIR, else
// ./scenarios if it exists, else the source tree's scenarios/.
std::string ScenarioDir();

}  // namespace cli
}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_CLI_COMMON_H_
