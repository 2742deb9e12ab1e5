#include "tests/e2e/run_ls.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

namespace ledgerstress::e2e {

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Scratch::Scratch(Server server) : server_(server) {
  std::string t = (fs::temp_directory_path() / "ls-e2e-XXXXXX").string();
  dir_ = mkdtemp(t.data());
  chmod(dir_.c_str(), 0755);
}

Scratch::~Scratch() { fs::remove_all(dir_); }

fs::path Scratch::Write(const std::string& name, const std::string& text) const {
  std::ofstream(dir_ / name) << text;
  return dir_ / name;
}

namespace {

// Starts the binary with `args` and RunLs's environment (plus `env`), its
// stdout and stderr to `out` and `err`.
pid_t Start(const Scratch& scratch, const Env& env, std::vector<std::string> args, const fs::path& out,
            const fs::path& err) {
  args.insert(args.begin(), LEDGERSTRESS_BIN);
  const fs::path tmp = scratch / "tmp";
  fs::create_directories(tmp);
  chmod(tmp.c_str(), 0755);
  const pid_t pid = fork();
  if (pid == 0) {
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(o, 1);
    dup2(e, 2);
    setenv("TMPDIR", tmp.c_str(), 1);
    const char* shared = std::getenv("LEDGERSTRESS_TEST_DB_DIR");
    const bool use_shared = scratch.server() == Server::kShared && shared && *shared;
    setenv("LEDGERSTRESS_DB_DIR", use_shared ? shared : (scratch / "no-db").c_str(), 1);
    for (const char* v : {"DATABASE_URL", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"}) {
      unsetenv(v);
    }
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int ExitCodeOf(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

Result Run(const Scratch& scratch, const Env& env, std::vector<std::string> args, const std::string& signal_when,
           int sig, int timeout_s) {
  const fs::path out = scratch / "stdout.txt", err = scratch / "stderr.txt";
  const pid_t pid = Start(scratch, env, std::move(args), out, err);
  Result r;
  bool signalled = signal_when.empty();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    if (!signalled && Slurp(err).find(signal_when) != std::string::npos) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      kill(pid, sig);
      signalled = true;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "ledgerstress did not finish within " << timeout_s << "s";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  r.exit_code = ExitCodeOf(status);
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

}  // namespace

Result RunLs(const Scratch& scratch, std::vector<std::string> args, const std::string& signal_when, int sig,
             int timeout_s) {
  return Run(scratch, {}, std::move(args), signal_when, sig, timeout_s);
}

Result RunLsWith(const Scratch& scratch, const Env& env, std::vector<std::string> args) {
  return Run(scratch, env, std::move(args), "", SIGINT, 120);
}

Processes::~Processes() {
  for (const Child& c : children_) {
    if (c.pid > 0 && kill(c.pid, SIGKILL) == 0) waitpid(c.pid, nullptr, 0);
  }
}

int Processes::Spawn(const std::string& name, std::vector<std::string> args) {
  const fs::path out = scratch_ / (name + ".stdout"), err = scratch_ / (name + ".stderr");
  children_.push_back(Child{Start(scratch_, {}, std::move(args), out, err), out, err});
  return static_cast<int>(children_.size()) - 1;
}

std::string Processes::Stderr(int i) const { return Slurp(children_.at(static_cast<std::size_t>(i)).err); }

void Processes::Kill(int i, int sig) { kill(children_.at(static_cast<std::size_t>(i)).pid, sig); }

std::vector<Result> Processes::Wait(int timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  std::vector<Result> results(children_.size());
  for (std::size_t i = 0; i < children_.size(); ++i) {
    int status = 0;
    while (waitpid(children_[i].pid, &status, WNOHANG) != children_[i].pid) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(children_[i].pid, SIGKILL);
        waitpid(children_[i].pid, &status, 0);
        ADD_FAILURE() << "process " << i << " did not finish within " << timeout_s << "s";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    children_[i].pid = -1;
    results[i] = Result{ExitCodeOf(status), Slurp(children_[i].out), Slurp(children_[i].err)};
  }
  return results;
}

std::vector<fs::path> Reports(const fs::path& dir) {
  std::vector<fs::path> v;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") v.push_back(e.path());
  }
  return v;
}

namespace {

// Processes whose /proc/<pid>/<file> (NUL-separated) contains `needle`.
int ProcessesWhose(const char* file, const std::string& needle) {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string text = Slurp(e.path() / file);
    std::replace(text.begin(), text.end(), '\0', '\n');
    if (text.find(needle) != std::string::npos) ++n;
  }
  return n;
}

}  // namespace

std::string ClusterConninfo(const Scratch& scratch) {
  const Result status = RunLs(scratch, {"db", "status"});
  const std::size_t at = status.out.find("host=");
  if (at == std::string::npos) return "";
  const std::string rest = status.out.substr(at);
  return rest.substr(0, rest.find('\n'));
}

void ForgetServerStatements(const Scratch& scratch) {
  const std::string conninfo = ClusterConninfo(scratch);
  ASSERT_NE(conninfo, "") << "ledgerstress db status names no cluster";
  pqxx::connection c(conninfo);
  pqxx::nontransaction(c).exec("SELECT pg_stat_statements_reset()");
}

int ProcessesMentioning(const std::string& needle) { return ProcessesWhose("cmdline", needle); }

nlohmann::json OnlyReport(const fs::path& dir) {
  const auto reports = Reports(dir);
  EXPECT_EQ(reports.size(), 1u) << "expected exactly one report in " << dir;
  return reports.size() == 1 ? nlohmann::json::parse(Slurp(reports[0])) : nlohmann::json();
}

int DriversOfRun(const std::string& run_id) {
  return ProcessesWhose("environ", "PGAPPNAME=ledgerstress/" + run_id + "/");
}

std::thread KillPostmasterOnceRunning(const Scratch& scratch, const std::string& marker,
                                      std::chrono::milliseconds delay) {
  return std::thread([&scratch, marker, delay] {
    for (int i = 0; i < 600; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (Slurp(scratch / "stderr.txt").find(marker) == std::string::npos) continue;
      std::this_thread::sleep_for(delay);
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(scratch / "tmp", ec)) {
        std::ifstream pidfile(e.path() / "data" / "postmaster.pid");
        long pid = 0;
        if (pidfile >> pid && pid > 1) kill(static_cast<pid_t>(pid), SIGKILL);
      }
      return;
    }
  });
}

}  // namespace ledgerstress::e2e
