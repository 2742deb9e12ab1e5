#ifndef LEDGERSTRESS_HARNESS_ERRORS_H_
#define LEDGERSTRESS_HARNESS_ERRORS_H_

#include <stdexcept>

namespace ledgerstress {

// The database or the machine failed the harness: server unreachable,
// cluster failed to start, connection lost outside a measured call. Exit 3.
// what() is one line, without passwords.
class InfrastructureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user asked to stop (SIGINT/SIGTERM). Exit 130.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

// Process exit codes (docs/architecture.md, "Exit codes").
enum ExitCode {
  kExitPass = 0,
  kExitGateFailed = 1,
  kExitUsage = 2,
  kExitInfrastructure = 3,
  kExitInterrupted = 130,
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ERRORS_H_
