#ifndef LEDGERSTRESS_HARNESS_CLI_COMMON_H_
#define LEDGERSTRESS_HARNESS_CLI_COMMON_H_

#include <optional>
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

// Subcommands. Each returns the process exit code (docs/architecture.md, "Exit codes").
int RunCommand(const Invocation& inv);
int ValidateCommand(const Invocation& inv);
int ListCommand(const Invocation& inv);
int DbCommand(const Invocation& inv);
int CompareCommand(const Invocation& inv);
int MergeCommand(const Invocation& inv);
int SweepCommand(const Invocation& inv);
int SchemaCommand(const Invocation& inv);

// "ledgerstress: error: <message>" on stderr. Returns `code`.
int Error(int code, const std::string& message);
// "ledgerstress: warning: <message>" on stderr.
void Warn(const std::string& message);

// Splits a --format list ("json,html") into `out`, each one of `known`.
// Returns the exit code (2, after a one-line error) when one is not.
std::optional<int> ParseFormats(const std::string& list, const std::vector<std::string>& known,
                                std::vector<std::string>* out);

}  // namespace cli
}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_CLI_COMMON_H_
