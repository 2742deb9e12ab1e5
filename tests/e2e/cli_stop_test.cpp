// End-to-end tests of a run that does not end by itself: stopped by a
// signal (in each phase of a case), killed outright, or losing its server.
// Each runs the real program on an embedded cluster of its own, since what
// becomes of that cluster (and of every process the run started) is what
// they check.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

// A race that runs for a minute unless it is stopped.
const char kLongRace[] = R"([[case]]
name = "long"
workers = 4
duration = "60s"
strategy.saka_get_or_create_wallet = "insert_on_conflict"
)";

class CliSignal : public ::testing::TestWithParam<int> {};

TEST_P(CliSignal, StopsWith130PartialReportAndNothingLeftBehind) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("long.toml", std::string(kLongRace) + R"([[case]]
name = "never-reached"
workers = 4
calls_per_worker = 1
)");
  const auto t0 = std::chrono::steady_clock::now();
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()}, "[1/2] long",
                       GetParam(), 60);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_LT(seconds, 30) << "the run did not stop promptly";
  EXPECT_TRUE(fs::is_empty(s / "tmp")) << "the embedded cluster's directory was left behind";
  EXPECT_EQ(ProcessesMentioning((s / "tmp").string()), 0) << "a server process was left running";
  const auto j = OnlyReport(s / "reports");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["run"]["verdict"], "interrupted");
  EXPECT_EQ(j["run"]["interrupted"], true);
  EXPECT_EQ(j["cases"][0]["verdict"], "interrupted");
  EXPECT_GT(j["cases"][0]["operations"][0]["calls"].get<int>(), 0) << "the partial figures were lost";
  EXPECT_EQ(j["cases"][1]["verdict"], "skipped");
}

INSTANTIATE_TEST_SUITE_P(Signals, CliSignal, ::testing::Values(SIGINT, SIGTERM),
                         [](const ::testing::TestParamInfo<int>& i) {
                           return i.param == SIGINT ? std::string("SIGINT") : std::string("SIGTERM");
                         });

TEST(Cli, AServerThatDiesMidRunGivesExitThreeAPartialReportAndNoLeftovers) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("long.toml", kLongRace);
  // Kill the embedded postmaster (SIGKILL) once the case has printed its
  // first progress line (after 5 s).
  const std::string progress = "[1/1] long  round 1/1  calls ";
  std::thread killer = KillPostmasterOnceRunning(s, progress, std::chrono::milliseconds(700));
  // Each worker tries to reconnect for 8 s: past the next progress line (at 10 s).
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string(), "--reconnect-for", "8"},
                         "", SIGINT, 90);
  killer.join();
  EXPECT_EQ(r.exit_code, 3) << r.err;
  // The line before the kill says nothing of reconnecting; those after it do.
  const std::size_t first = r.err.find(progress);
  ASSERT_NE(first, std::string::npos) << r.err;
  const std::string before = r.err.substr(first, r.err.find('\n', first) - first);
  EXPECT_EQ(before.find("reconnecting"), std::string::npos) << before;
  EXPECT_NE(r.err.find("  4 worker(s) reconnecting to the server (each gives up after 8 s)", first),
            std::string::npos)
      << "the progress line must say why the calls stopped: " << r.err;
  const std::string last = r.err.substr(r.err.rfind("ledgerstress: error:"));
  EXPECT_EQ(std::count(last.begin(), last.end(), '\n'), 1) << last;
  EXPECT_NE(last.find("(no connection for 8 s: --reconnect-for)"), std::string::npos) << last;
  const auto j = OnlyReport(s / "reports");  // a partial report must still be written
  EXPECT_EQ(j["run"]["verdict"], "error");
  EXPECT_TRUE(fs::is_empty(s / "tmp")) << "the dead cluster's directory was left behind";
  EXPECT_EQ(ProcessesMentioning((s / "tmp").string()), 0);
}

TEST(Cli, CtrlCDuringALongCloseStopsItPromptly) {
  Scratch s(Server::kOwn);
  // per_escrow over 20,000 escrows takes tens of seconds if left alone.
  const fs::path scenario = s.Write("close.toml", R"([[case]]
name = "slow-close"
workload = "close"
escrows = 20000
donors = 200
strategy.close_project_success = "per_escrow"
)");
  const auto t0 = std::chrono::steady_clock::now();
  // The plain progress line (every 5 s off a TTY) shows the close running.
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()},
                         "slow-close  round 1/1", SIGINT, 120);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_LT(seconds, 14) << "the in-flight close was not cancelled";
  EXPECT_TRUE(fs::is_empty(s / "tmp"));
  const auto j = OnlyReport(s / "reports");
  ASSERT_TRUE(j.is_object());
  ASSERT_FALSE(j["cases"][0]["close"].is_null()) << "the close never started";
  const auto& call = j["cases"][0]["close"]["calls"][0];
  EXPECT_LT(call["released"].get<int>(), 20000) << "the close ran to its end instead of being cancelled";
  EXPECT_NE(call["error"].get<std::string>().find("interrupted"), std::string::npos) << call.dump();
}

struct Phase {
  const char* name;
  const char* scenario;
};
// Shown after the test's name in ctest's listing (gtest prints raw bytes otherwise).
void PrintTo(const Phase& p, std::ostream* os) { *os << p.name; }

// A case that spends its time in one phase: building a large fixture, or in
// an invariant check (a scenario-defined query that sleeps once the case
// has users; on the empty tables it is validated against, it returns at once).
const Phase kPhases[] = {
    {"setup", R"(name = "slow_setup"
[[case]]
name = "slow"
workload = "close"
workers = 0
projects = 3
escrows = 1000000
)"},
    {"checks", R"(name = "slow_checks"
[[sql_invariant]]
name = "slow"
query = "SELECT u.id FROM app_user u, LATERAL (SELECT pg_sleep(60) WHERE u.id IS NOT NULL) s"
message = "slept"
[[case]]
name = "slow"
workers = 4
calls_per_worker = 1
strategy.saka_get_or_create_wallet = "insert_on_conflict"
)"},
};

class CliSignalInPhase : public ::testing::TestWithParam<Phase> {};

TEST_P(CliSignalInPhase, StopsPromptlyWith130AndAPartialReport) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("phase.toml", GetParam().scenario);
  const auto t0 = std::chrono::steady_clock::now();
  const Result r =
      RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()}, "[1/1] slow", SIGTERM, 60);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_LT(seconds, 15) << "the " << GetParam().name << " phase was not cut short";
  EXPECT_TRUE(fs::is_empty(s / "tmp")) << "the embedded cluster's directory was left behind";
  EXPECT_EQ(ProcessesMentioning((s / "tmp").string()), 0) << "a server process was left running";
  const auto j = OnlyReport(s / "reports");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["run"]["verdict"], "interrupted");
  EXPECT_EQ(j["cases"][0]["verdict"], "interrupted") << j["cases"][0]["verdict_reason"];
}

INSTANTIATE_TEST_SUITE_P(Phases, CliSignalInPhase, ::testing::ValuesIn(kPhases),
                         [](const ::testing::TestParamInfo<Phase>& p) { return std::string(p.param.name); });

TEST(Cli, AClusterLeftByAKilledRunIsRemovedByTheNextRun) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("long.toml", kLongRace);
  // SIGKILL: no handler runs, the embedded cluster is left behind.
  const Result killed = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()}, "[1/1] long",
                              SIGKILL, 60);
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
  ASSERT_FALSE(fs::is_empty(s / "tmp")) << "nothing was left to clean up";
  ASSERT_GT(ProcessesMentioning((s / "tmp").string()), 0) << "the orphaned server is not running";
  const fs::path small = s.Write("small.toml", R"([[case]]
name = "small"
workers = 4
calls_per_worker = 1
strategy.saka_get_or_create_wallet = "insert_on_conflict"
)");
  const Result next = RunLs(s, {"run", small.string(), "--report-dir", (s / "reports2").string()});
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_NE(next.err.find("a cluster left by a run that was killed"), std::string::npos) << next.err;
  EXPECT_TRUE(fs::is_empty(s / "tmp")) << "the orphaned cluster's directory is still there";
  EXPECT_EQ(ProcessesMentioning((s / "tmp").string()), 0) << "the orphaned server is still running";
}

}  // namespace
}  // namespace ledgerstress::e2e
