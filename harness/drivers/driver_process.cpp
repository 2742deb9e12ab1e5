#include "harness/drivers/driver_process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/resource.h>
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

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void Exec(const char* file, char* const* argv, char* const* envp, const char* cwd, int in, int out,
                       int err, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the harness is already gone
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // the harness blocks SIGINT/SIGTERM in its threads
  signal(SIGPIPE, SIG_DFL);
  const struct rlimit fsize = {DriverProcess::kMaxFileBytes, DriverProcess::kMaxFileBytes};
  setrlimit(RLIMIT_FSIZE, &fsize);
  dup2(in, 0);
  dup2(out, 1);
  dup2(err, 2);
  if (chdir(cwd) != 0) {
    static const char msg[] = "ledgerstress: cannot enter the driver's cwd\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(127);
  }
  execve(file, argv, envp);
  static const char msg[] = "ledgerstress: cannot execute the driver's command: ";
  (void)!write(2, msg, sizeof msg - 1);
  const char* why = strerror(errno);  // not strictly async-signal-safe; glibc's is in practice
  (void)!write(2, why, strlen(why));
  (void)!write(2, "\n", 1);
  _exit(127);
}

std::string Describe(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (!WIFSIGNALED(status)) return "ended";
  const int sig = WTERMSIG(status);
  if (sig == SIGXFSZ) return "killed by SIGXFSZ (a file it wrote, stderr included, passed 64 MiB)";
  const char* name = sigabbrev_np(sig);
  return std::string("killed by SIG") + (name ? name : std::to_string(sig).c_str());
}

}  // namespace

DriverProcess::DriverProcess(const Launch& launch) {
  // Writing to a driver that died must be an error (EPIPE), not the harness's death.
  static const bool ignored = (signal(SIGPIPE, SIG_IGN), true);
  (void)ignored;
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  const int err = open(launch.stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (err < 0) {
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    throw std::runtime_error("cannot open " + launch.stderr_path + ": " + std::strerror(errno));
  }
  std::vector<char*> argv = CStrings(launch.argv), envp = CStrings(launch.env);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) Exec(argv[0], argv.data(), envp.data(), launch.cwd.c_str(), in[0], out[1], err, parent);
  const int fork_errno = errno;
  close(in[0]);
  close(out[1]);
  close(err);
  to_child_ = in[1];
  from_child_ = out[0];
  if (pid_ < 0) {
    close(to_child_);
    close(from_child_);
    to_child_ = from_child_ = -1;
    throw std::runtime_error(std::string("fork: ") + std::strerror(fork_errno));
  }
  setpgid(pid_, pid_);  // also from here, so that Kill() never races the child's own setpgid
}

DriverProcess::~DriverProcess() { Kill(); }

bool DriverProcess::WriteLine(const std::string& line) {
  const std::string data = line + "\n";
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(to_child_, data.data() + done, data.size() - done);  // EPIPE: SIGPIPE is ignored
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

DriverProcess::Read DriverProcess::ReadLine(std::chrono::steady_clock::time_point deadline,
                                            const std::function<bool()>& stopped, std::string* line) {
  for (;;) {
    const auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      *line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line->size() > kMaxLineBytes ? Read::kTooLong : Read::kLine;
    }
    if (buffer_.size() > kMaxLineBytes) return Read::kTooLong;
    if (stopped && stopped()) return Read::kStopped;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return Read::kTimeout;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    pollfd p{from_child_, POLLIN, 0};
    const int r = poll(&p, 1, static_cast<int>(std::min<long long>(left + 1, 50)));
    if (r < 0 && errno != EINTR) return Read::kEof;
    if (r <= 0) continue;
    char chunk[65536];
    const ssize_t n = read(from_child_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Read::kEof;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

void DriverProcess::Signal() const {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
}

void DriverProcess::Finish(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return;
  if (to_child_ >= 0) close(to_child_);
  to_child_ = -1;
  int status = 0;
  const auto until = std::chrono::steady_clock::now() + grace;
  pid_t done = waitpid(pid_, &status, WNOHANG);
  while (done == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    done = waitpid(pid_, &status, WNOHANG);
  }
  if (done == 0) {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    ended_ = "killed by the harness";
  } else {
    kill(-pid_, SIGKILL);  // anything it started and left behind
    ended_ = done < 0 ? "ended" : Describe(status);
  }
  if (from_child_ >= 0) close(from_child_);
  from_child_ = -1;
  pid_ = -1;
}

std::string TailOfFile(const std::string& path, int lines) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "";
  const std::streamoff size = in.tellg();
  in.seekg(size > 4096 ? size - 4096 : 0);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> kept;
  std::size_t end = text.size();
  while (end > 0 && static_cast<int>(kept.size()) < lines) {
    const std::size_t nl = text.rfind('\n', end - 1);
    const std::size_t begin = nl == std::string::npos ? 0 : nl + 1;
    if (end > begin) kept.insert(kept.begin(), text.substr(begin, end - begin));
    if (nl == std::string::npos) break;
    end = nl;
  }
  std::string out;
  for (const std::string& l : kept) out += (out.empty() ? "" : " | ") + l;
  return out;
}

}  // namespace ledgerstress
