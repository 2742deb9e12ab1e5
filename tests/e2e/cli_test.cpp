// End-to-end tests of the ledgerstress binary: exit codes, messages,
// reports. Each test runs the real program on the suite's shared cluster,
// on an embedded one of its own, or on an unreachable server. A run that is
// stopped, killed or loses its server: cli_stop_test.cpp.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

const char kSmallRace[] = R"(name = "small"
[defaults]
workers = 20
calls_per_worker = 1
rounds = 3
[[case]]
name = "hardened"
strategy.saka_get_or_create_wallet = "insert_on_conflict"
[[case]]
name = "review"
expect = "violation"
violates = ["one_wallet_per_user"]
strategy.saka_get_or_create_wallet = "select_for_update"
schema.saka_unique_user = false
workers = 50
rounds = 5
)";

TEST(Cli, PassingScenarioExitsZeroWithSummaryAndReport) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("small.toml", kSmallRace);
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("hardened"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CAUGHT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("report: "), std::string::npos) << r.out;
  const auto j = OnlyReport(s / "reports");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["schema"], "ledgerstress.report/1");
  EXPECT_EQ(j["run"]["verdict"], "pass");
  EXPECT_EQ(j["cases"][1]["verdict"], "caught");
  EXPECT_GT(j["cases"][1]["invariants"][0]["violations"].get<int>(), 0);
  EXPECT_FALSE(j["server"]["version"].get<std::string>().empty());
  EXPECT_TRUE(fs::is_empty(s / "tmp")) << "the embedded cluster's directory was left behind";
}

TEST(Cli, KnownBadStrategyExpectedToPassExitsOne) {
  Scratch s;
  const fs::path scenario = s.Write("bad.toml", R"([[case]]
name = "review-code-claimed-safe"
workers = 50
calls_per_worker = 1
rounds = 5
strategy.saka_get_or_create_wallet = "get_or_create"
schema.saka_unique_user = false
)");
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
  EXPECT_NE(r.out.find("FAIL"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("one_wallet_per_user"), std::string::npos) << r.out;
}

TEST(Cli, TypoInScenarioExitsTwoWithFileLineColumn) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("typo.toml", "[[case]]\nname = \"a\"\nworker = 4\ncalls_per_worker = 1\n");
  const Result r = RunLs(s, {"run", scenario.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "ledgerstress: error: " + scenario.string() +
                       ":3:1: unknown key 'worker' (did you mean 'workers'?)\n");
  const Result v = RunLs(s, {"validate", scenario.string()});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find(":3:1: unknown key 'worker'"), std::string::npos) << v.err;
}

TEST(Cli, UsageErrorsExitTwo) {
  Scratch s(Server::kOwn);
  EXPECT_EQ(RunLs(s, {"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunLs(s, {"run"}).exit_code, 2);
  EXPECT_EQ(RunLs(s, {"run", "x.toml", "--no-such-flag"}).exit_code, 2);
  const Result never = RunLs(s, {"run", "x.toml", "--reconnect-for", "0"});
  EXPECT_EQ(never.exit_code, 2);
  EXPECT_NE(never.err.find("--reconnect-for 0: from 1 to 3600 seconds"), std::string::npos) << never.err;
  const Result help = RunLs(s, {"run", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("examples:"), std::string::npos);
}

TEST(Cli, UnreachableServerExitsThreeWithOneLineAndNoPassword) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("small.toml", kSmallRace);
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string(), "--dsn",
                           "host=127.0.0.1 port=1 user=ls password=sekret-pw connect_timeout=3"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("cannot connect"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("sekret"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("sekret"), std::string::npos) << r.out;
  const auto reports = Reports(s / "reports");
  ASSERT_EQ(reports.size(), 1u) << "a failed run still writes its report";
  const std::string report = Slurp(reports[0]);
  EXPECT_EQ(report.find("sekret"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(report)["run"]["verdict"], "error");
}

TEST(Cli, CompareExitsZeroOnItselfOneOnARegressionTwoOnAForeignReport) {
  Scratch s;
  const fs::path scenario = s.Write("small.toml", kSmallRace);
  ASSERT_EQ(RunLs(s, {"run", scenario.string(), "--report-dir", (s / "r").string(), "--format", "json"}).exit_code, 0);
  const fs::path base = Reports(s / "r").at(0);
  auto j = nlohmann::json::parse(Slurp(base));
  for (auto& c : j["cases"]) {
    for (auto& op : c["operations"]) op["latency"]["p99_ms"] = op["latency"]["p99_ms"].get<double>() * 1.5 + 1;
  }
  const fs::path slow = s.Write("slow.json", j.dump());
  j["schema"] = "ledgerstress.report/0";
  const fs::path foreign = s.Write("foreign.json", j.dump());

  const Result self = RunLs(s, {"compare", base.string(), base.string(), "--fail-on", "*.latency.p99:+10%"});
  EXPECT_EQ(self.exit_code, 0) << self.out << self.err;
  EXPECT_NE(self.out.find("warning: fewer than 5 repetitions"), std::string::npos) << self.out;
  const Result worse = RunLs(s, {"compare", base.string(), slow.string(), "--fail-on", "*.latency.p99:+10%"});
  EXPECT_EQ(worse.exit_code, 1) << worse.out << worse.err;
  EXPECT_NE(worse.out.find("REGRESSION"), std::string::npos);
  // A pattern that matches no metric would pass whatever changed: refused.
  const Result nothing = RunLs(s, {"compare", base.string(), slow.string(), "--fail-on", "latency:+10%"});
  EXPECT_EQ(nothing.exit_code, 2) << nothing.out << nothing.err;
  EXPECT_NE(nothing.err.find("--fail-on 'latency': matches no metric of either report"), std::string::npos)
      << nothing.err;
  EXPECT_NE(nothing.err.find("'*latency*'"), std::string::npos) << nothing.err;
  const Result help = RunLs(s, {"compare", "--help"});
  EXPECT_NE(help.out.find("(=0.05)"), std::string::npos) << help.out;
  const Result bad = RunLs(s, {"compare", base.string(), foreign.string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("report schema 'ledgerstress.report/0' is not ledgerstress.report/1"), std::string::npos)
      << bad.err;
}

// A case asking for a figure this server cannot give (here: sampling turned
// off) gets no verdict: exit 3, "cannot run" on stdout with how to fix it,
// the other cases still run and the report is written.
TEST(Cli, AThresholdOnAFigureNotMeasuredIsACannotRunErrorNotAVerdict) {
  Scratch s;
  const fs::path scenario = s.Write("unmeasured.toml", R"(name = "unmeasured"
[defaults]
workload = "close"
escrows = 20
donors = 20
workers = 1
[[case]]
name = "blind"
monitor_interval = "0ms"
thresholds."server.max_escrow_rows_locked" = "<= 100"
[[case]]
name = "seeing"
thresholds."close_project_success.calls" = ">= 1"
)");
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "r").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("cannot run: case 'blind': "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("threshold on server.max_escrow_rows_locked: not measured"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lock_footprint: escrow rows locked not measured"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("set monitor_interval above 0"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(Slurp(Reports(s / "r").at(0)));
  EXPECT_EQ(j["run"]["verdict"], "error");
  EXPECT_EQ(j["cases"][0]["verdict"], "error");
  EXPECT_EQ(j["cases"][1]["verdict"], "pass") << "the other case still ran";
}

// session.<setting> reaches the workers' sessions; one the server refuses is
// a scenario error before any case runs.
TEST(Cli, SessionSettingsApplyAndOneTheServerRefusesExitsTwoWithItsPosition) {
  Scratch s;
  const fs::path good = s.Write("async.toml", std::string(kSmallRace).substr(0, std::string(kSmallRace).find("[[case]]")) +
                                                  "session.synchronous_commit = \"off\"\n[[case]]\nname = \"a\"\n");
  const Result ok = RunLs(s, {"run", good.string(), "--report-dir", (s / "r").string(), "--format", "json"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  const auto j = nlohmann::json::parse(Slurp(Reports(s / "r").at(0)));
  EXPECT_EQ(j["cases"][0]["settings"]["session.synchronous_commit"], "off") << j["cases"][0]["settings"].dump();
  const fs::path bad = s.Write("bad.toml", "[[case]]\nname = \"a\"\nworkers = 2\ncalls_per_worker = 1\n"
                                           "session.no_such_setting = \"1\"\n");
  const Result refused = RunLs(s, {"run", bad.string(), "--report-dir", (s / "r2").string()});
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("bad.toml:5:27: session.no_such_setting = '1': the server refuses it"), std::string::npos)
      << refused.err;
}

struct BadScenario {
  const char* kind;
  std::string text;
  const char* expected;  // in stderr, after "<file>"
};

// Every kind of bad scenario: exit 2, one line naming the file (and the line
// and column where there is one), never an uncaught exception.
TEST(Cli, BadScenariosExitTwoNamingTheFile) {
  const std::string ok_case = "[[case]]\nname = \"a\"\nworkers = 2\ncalls_per_worker = 1\n";
  const std::vector<BadScenario> table = {
      {"malformed TOML", "[[case]\nname = 1\n", ":1:"},
      {"unknown key", "[[case]]\nname = \"a\"\nthreds = 2\n", ":3:1: unknown key 'threds'"},
      {"wrong type", "[[case]]\nname = \"a\"\nworkers = \"two\"\ncalls_per_worker = 1\n", ":3:11: 'workers' must be an integer"},
      {"negative number", "[[case]]\nname = \"a\"\nworkers = -4\ncalls_per_worker = 1\n", ":3:11: 'workers' must be from 1"},
      {"huge number", "[[case]]\nname = \"a\"\nworkers = 2\ncalls_per_worker = 99999999999999\n",
       ":4:20: 'calls_per_worker' must be from 1"},
      {"unknown strategy", ok_case + "strategy.saka_get_or_create_wallet = \"magic\"\n", "unknown strategy 'magic'"},
      {"duplicate key", "[[case]]\nname = \"a\"\nname = \"b\"\n", ":3:"},
      {"empty file", "", ": no [[case]] tables"},
      {"binary garbage", std::string("\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10), ":1:"},
      {"invalid UTF-8", "name = \"\xc3\x28\"\n[[case]]\n", ":1:"},
      {"threshold on unknown metric", ok_case + "thresholds.\"saka_get_or_create_wallet.latency.p98\" = \"< 5ms\"\n",
       "threshold on unknown metric"},
      {"missing key", "[[case]]\nname = \"a\"\ncalls_per_worker = 1\n", ":1:1: case 'a' is missing required key 'workers'"},
      {"bad duration", "[[case]]\nname = \"a\"\nworkers = 1\nduration = \"soon\"\n", "'duration' must be a duration"},
      {"sql_invariant without a query", "[[sql_invariant]]\nname = \"x\"\nmessage = \"m\"\n" + ok_case,
       ":1:1: [[sql_invariant]] needs 'query'"},
      {"sql_invariant named like a built-in",
       "[[sql_invariant]]\nname = \"money_conserved\"\nquery = \"SELECT 1\"\nmessage = \"m\"\n" + ok_case,
       ":2:8: 'money_conserved' is a built-in invariant"},
  };
  Scratch s(Server::kOwn);
  for (const BadScenario& b : table) {
    const fs::path file = s.Write("bad.toml", b.text);
    const Result r = RunLs(s, {"run", file.string()});
    EXPECT_EQ(r.exit_code, 2) << b.kind << ": " << r.err;
    EXPECT_EQ(r.err.rfind("ledgerstress: error: " + file.string(), 0), 0u) << b.kind << ": " << r.err;
    EXPECT_NE(r.err.find(b.expected), std::string::npos) << b.kind << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << b.kind << ": " << r.err;
    EXPECT_EQ(r.err.find("std::"), std::string::npos) << b.kind << ": " << r.err;
    EXPECT_EQ(r.err.find("terminate"), std::string::npos) << b.kind << ": " << r.err;
  }
}

}  // namespace

}  // namespace ledgerstress::e2e
