#ifndef LEDGERSTRESS_HARNESS_ENGINE_CHILD_PROCESS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_CHILD_PROCESS_H_

// A program of the team's run to completion (a [schema] command): not a
// driver, which talks to the harness; this one only runs and exits.

#include <functional>
#include <string>
#include <vector>

namespace ledgerstress {

struct ChildLaunch {
  std::vector<std::string> argv;  // argv[0] a path: no PATH search
  std::string cwd;
  std::vector<std::string> env;   // "NAME=value", the whole environment
  std::string stdout_path;        // appended to (never the terminal: the progress display stays intact)
  std::string stderr_path;        // appended to
};

struct ChildEnd {
  bool ok = false;       // exited with status 0
  bool stopped = false;  // `stopped` said so: it was killed and reaped
  std::string how;       // "exit 0", "exit 1", "killed by SIGSEGV", "killed by the harness"
};

// Runs the program with stdin from /dev/null, an empty signal mask, in a
// process group of its own, dying with the calling thread
// (PR_SET_PDEATHSIG: also when ledgerstress is killed outright), and waits
// for it, polling `stopped` every 20 ms: once it says so the whole group is
// killed (SIGKILL) and reaped. Whatever the program left running in its
// group when it exited is killed too. A program that cannot be executed
// says why on its stderr and ends with exit 127. Blocks the calling
// thread; any thread. Throws std::runtime_error when the files cannot be
// opened or fork fails.
ChildEnd RunChild(const ChildLaunch& launch, const std::function<bool()>& stopped);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_CHILD_PROCESS_H_
