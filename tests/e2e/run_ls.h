#ifndef LEDGERSTRESS_TESTS_E2E_RUN_LS_H_
#define LEDGERSTRESS_TESTS_E2E_RUN_LS_H_

// What the end-to-end tests share: a scratch directory, running the real
// ledgerstress binary in it, and reading what it wrote.

#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ledgerstress::e2e {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string out, err;
};

std::string Slurp(const fs::path& p);

// Which server a run started by RunLs finds when nothing names one.
enum class Server {
  // The cluster the ctest fixture keeps up for the suite
  // ($LEDGERSTRESS_TEST_DB_DIR, see tests/cluster_fixture.sh), as a
  // `db start` cluster; outside ctest, a throwaway one per run, as kOwn.
  kShared,
  // A throwaway embedded cluster per run, under the scratch's tmp/: for the
  // tests of the cluster's own life (start, cleanup, killed postmasters,
  // `db start|stop`).
  kOwn,
};

// A scratch directory, world-traversable so that the `postgres` user can
// reach an embedded cluster inside it when the tests run as root. Removed
// on destruction.
class Scratch {
 public:
  explicit Scratch(Server server = Server::kShared);
  Server server() const { return server_; }
  ~Scratch();
  fs::path operator/(const std::string& name) const { return dir_ / name; }
  const fs::path& path() const { return dir_; }
  fs::path Write(const std::string& name, const std::string& text) const;

 private:
  fs::path dir_;
  Server server_;
};

// Runs the binary with `args`; TMPDIR points into `scratch`, no
// DATABASE_URL/PG* variable is seen, and the only `db start` cluster is the
// shared one when `scratch` asks for it (Server). When `signal_when` is
// non-empty, sends `sig` once stderr contains it. Killed (and the test
// failed) after `timeout_s`.
Result RunLs(const Scratch& scratch, std::vector<std::string> args, const std::string& signal_when = "",
             int sig = SIGINT, int timeout_s = 120);

// Environment variables (name, value) set for one run, after RunLs's own.
using Env = std::vector<std::pair<std::string, std::string>>;

// RunLs with `env` set on top (a DATABASE_URL, PG* variables).
Result RunLsWith(const Scratch& scratch, const Env& env, std::vector<std::string> args);

// Several runs at once (the shards of a sharded run): each started by
// Spawn with RunLs's environment, its stdout and stderr in files of its
// own under `scratch` named after `name`.
class Processes {
 public:
  explicit Processes(const Scratch& scratch) : scratch_(scratch) {}
  ~Processes();  // kills (SIGKILL) and reaps what still runs
  // Starts the binary with `args`; its index.
  int Spawn(const std::string& name, std::vector<std::string> args);
  // What process `i` has written to stderr so far.
  std::string Stderr(int i) const;
  void Kill(int i, int sig = SIGKILL);
  // Waits for every process (killing what runs past `timeout_s`, which
  // fails the test); their results in Spawn's order.
  std::vector<Result> Wait(int timeout_s = 180);

 private:
  struct Child {
    pid_t pid;
    fs::path out, err;
  };
  const Scratch& scratch_;
  std::vector<Child> children_;
};

// The JSON reports in `dir`.
std::vector<fs::path> Reports(const fs::path& dir);
// The JSON report in `dir`, which must hold exactly one (null when not).
nlohmann::json OnlyReport(const fs::path& dir);

// The conninfo `ledgerstress db status` prints for the suite's cluster
// ("" when it prints none).
std::string ClusterConninfo(const Scratch& scratch);
// Empties that cluster's pg_stat_statements, for a test that counts the
// server's statements (an eviction during the count makes it missing).
// Only from a test that runs alone (RUN_SERIAL).
void ForgetServerStatements(const Scratch& scratch);

// Processes whose command line mentions `needle` (a leftover server).
int ProcessesMentioning(const std::string& needle);

// Driver processes a run left behind: those whose environment names the
// run (PGAPPNAME=ledgerstress/<run_id>/...), so that other runs on the
// machine do not count.
int DriversOfRun(const std::string& run_id);

// Once the run's stderr shows `marker`, waits `delay` and kills (SIGKILL)
// every embedded postmaster under `scratch`/tmp. Join the thread.
std::thread KillPostmasterOnceRunning(const Scratch& scratch, const std::string& marker,
                                      std::chrono::milliseconds delay);

}  // namespace ledgerstress::e2e

#endif  // LEDGERSTRESS_TESTS_E2E_RUN_LS_H_
