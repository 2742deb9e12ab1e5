#include "harness/engine/child_process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ledgerstress {
namespace {

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const std::string& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

void Say(int fd, const char* text) { (void)!write(fd, text, strlen(text)); }

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void Exec(char* const* argv, char* const* envp, const char* cwd, int in, int out, int err,
                       pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the harness is already gone
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // the harness blocks SIGINT/SIGTERM in its threads
  signal(SIGPIPE, SIG_DFL);
  dup2(in, 0);
  dup2(out, 1);
  dup2(err, 2);
  if (chdir(cwd) != 0) {
    Say(2, "ledgerstress: cannot enter the command's cwd: ");
    Say(2, cwd);
    Say(2, "\n");
    _exit(127);
  }
  execve(argv[0], argv, envp);
  Say(2, "ledgerstress: cannot execute ");
  Say(2, argv[0]);
  Say(2, ": ");
  Say(2, strerror(errno));  // not strictly async-signal-safe; glibc's is in practice
  Say(2, "\n");
  _exit(127);
}

std::string Describe(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (!WIFSIGNALED(status)) return "ended";
  const char* name = sigabbrev_np(WTERMSIG(status));
  return std::string("killed by SIG") + (name ? name : std::to_string(WTERMSIG(status)).c_str());
}

int OpenOrThrow(const std::string& path, int flags) {
  const int fd = open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  return fd;
}

// Waits for `pid`, killing its group once `stopped` says so.
ChildEnd Wait(pid_t pid, const std::function<bool()>& stopped) {
  ChildEnd end;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (stopped && stopped()) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      end.stopped = true;
      end.how = "killed by the harness";
      return end;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(-pid, SIGKILL);  // anything it started and left behind
  end.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  end.how = Describe(status);
  return end;
}

}  // namespace

ChildEnd RunChild(const ChildLaunch& launch, const std::function<bool()>& stopped) {
  const int in = OpenOrThrow("/dev/null", O_RDONLY);
  int out = -1, err = -1;
  try {
    out = OpenOrThrow(launch.stdout_path, O_WRONLY | O_CREAT | O_APPEND);
    err = OpenOrThrow(launch.stderr_path, O_WRONLY | O_CREAT | O_APPEND);
  } catch (...) {
    for (int fd : {in, out}) if (fd >= 0) close(fd);
    throw;
  }
  std::vector<char*> argv = CStrings(launch.argv), envp = CStrings(launch.env);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) Exec(argv.data(), envp.data(), launch.cwd.c_str(), in, out, err, parent);
  const int fork_errno = errno;
  for (int fd : {in, out, err}) close(fd);
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(fork_errno));
  setpgid(pid, pid);  // also from here, so that the kill never races the child's own setpgid
  return Wait(pid, stopped);
}

}  // namespace ledgerstress
