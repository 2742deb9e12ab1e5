#ifndef LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_PROCESS_H_
#define LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_PROCESS_H_

#include <chrono>
#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ledgerstress {

// One driver process: its stdin and stdout are pipes the harness holds,
// its stderr goes to a file. It runs in a process group of its own (so that
// Kill() reaches anything it started), dies with the thread that started it
// (PR_SET_PDEATHSIG: also when ledgerstress itself is killed outright), and
// may not write a file larger than kMaxFileBytes (RLIMIT_FSIZE: a driver
// flooding its stderr is stopped by SIGXFSZ rather than filling the disk).
// One thread at a time, with two exceptions: a second thread may
// WriteLine while one ReadLines (they use separate pipes), and Signal().
class DriverProcess {
 public:
  static constexpr long kMaxFileBytes = 64L << 20;
  static constexpr std::size_t kMaxLineBytes = 1 << 20;

  struct Launch {
    std::vector<std::string> argv;
    std::string cwd;
    std::vector<std::string> env;  // "NAME=value", the whole environment
    std::string stderr_path;       // appended to
  };

  // Starts the process. Throws std::runtime_error when it cannot be started
  // (exec failures are reported by the child on its stderr and as exit 127).
  explicit DriverProcess(const Launch& launch);
  ~DriverProcess();  // Kill()
  DriverProcess(const DriverProcess&) = delete;
  DriverProcess& operator=(const DriverProcess&) = delete;

  // Writes `line` and a newline; false when the process no longer reads.
  bool WriteLine(const std::string& line);

  enum class Read { kLine, kTimeout, kEof, kTooLong, kStopped };
  // Reads one line (without its newline) into *line, waiting until
  // `deadline`; `stopped` is polled every 50 ms and ends the wait.
  Read ReadLine(std::chrono::steady_clock::time_point deadline, const std::function<bool()>& stopped,
                std::string* line);

  // Waits up to `grace` for the process to exit by itself, then kills its
  // group (SIGKILL) and reaps it. Idempotent.
  void Finish(std::chrono::milliseconds grace);
  void Kill() { Finish(std::chrono::milliseconds(0)); }
  // SIGKILL to the process's group, without reaping it or closing the
  // pipes: a thread reading ReadLine sees EOF. The one call that may come
  // from another thread than the one using the process, and only while
  // Finish() has not started (the pid is not reaped, so not reused).
  void Signal() const;
  // After Finish(): how it ended ("exit 0", "exit 3", "killed by SIGSEGV",
  // "killed by SIGXFSZ (a file, stderr included, passed 64 MiB)", "killed by
  // the harness").
  const std::string& how_it_ended() const { return ended_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string buffer_;  // read but not yet returned
  std::string ended_;
};

// The last `lines` non-empty lines of the file at `path` (from its last
// 4 KiB), joined with " | " so that they fit in one message line.
std::string TailOfFile(const std::string& path, int lines);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_PROCESS_H_
