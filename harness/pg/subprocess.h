#ifndef LEDGERSTRESS_HARNESS_PG_SUBPROCESS_H_
#define LEDGERSTRESS_HARNESS_PG_SUBPROCESS_H_

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ledgerstress {

// An OS account to run a child process as (the `postgres` user when the
// harness runs as root: initdb and postgres refuse to run as root).
struct RunAs {
  uid_t uid;
  gid_t gid;
  std::string name;
};

// The account the PostgreSQL server binaries must run as: nullopt when we are
// not root (run as ourselves); the `postgres` user when we are. Throws
// InfrastructureError when we are root and there is no such user.
std::optional<RunAs> ServerAccount();

struct ProcessResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string output;  // stdout and stderr, interleaved
};

// Runs argv[0] (a path) with its arguments, as `as` when given, with an empty
// signal mask, stdin from /dev/null, and waits for it. Output is captured.
// Throws InfrastructureError when the program cannot be started.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::optional<RunAs>& as = std::nullopt);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_PG_SUBPROCESS_H_
