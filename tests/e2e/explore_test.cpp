// The explorer end to end: the shipped explore_bank scenario's verdicts,
// its counterexample (the same order whatever the seed, replayed alone by
// --schedule), and the exported spec replayed by PostgreSQL's own
// isolation tester showing the same anomaly.
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

const std::string kBank = std::string(LEDGERSTRESS_SOURCE_DIR) + "/scenarios/explore_bank.toml";
const char kIsolationTester[] = "/usr/lib/postgresql/15/lib/pgxs/src/test/isolation/isolationtester";

nlohmann::json CaseNamed(const nlohmann::json& report, const std::string& name) {
  for (const auto& c : report["cases"]) {
    if (c["name"] == name) return c;
  }
  return nullptr;
}

std::vector<fs::path> SpecsIn(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".spec") out.push_back(e.path());
  }
  return out;
}

// Runs `cmd` through the shell; its stdout.
std::string Shell(const std::string& cmd, int* rc) {
  std::string out;
  if (std::FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    *rc = pclose(p);
  }
  return out;
}

TEST(Explore, TheBankCatchesTheLostUpdateWithItsOrderAndHoldsTheHardenedTransfer) {
  Scratch s;
  const Result r = RunLs(s, {"run", kBank, "--report-dir", (s / "reports").string(), "--format", "json,junit,md"}, "",
                         SIGINT, 240);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.err.find("lost_update: 2 sessions, 10 steps: 252 interleavings, every one runs"), std::string::npos) << r.err;
  const auto j = OnlyReport(s / "reports");
  const auto lost = CaseNamed(j, "lost_update");
  EXPECT_EQ(lost["verdict"], "caught");
  EXPECT_EQ(lost["explore"]["schedules_run"], 252);
  EXPECT_EQ(lost["explore"]["counterexample"]["schedule"], 5);
  EXPECT_EQ(lost["explore"]["counterexample"]["order"], "1 1 1 1 2 2 2 2 2 1");
  EXPECT_EQ(lost["explore"]["counterexample"]["context_switches"], 2);
  const auto& steps = lost["explore"]["counterexample"]["steps"];
  bool blocked = false, unblocked = false;
  for (const auto& st : steps) {
    blocked = blocked || st["result"] == "blocked";
    unblocked = unblocked || st["result"].get<std::string>().rfind("unblocked: ", 0) == 0;
  }
  EXPECT_TRUE(blocked && unblocked) << steps.dump(1);
  EXPECT_EQ(CaseNamed(j, "for_update")["verdict"], "pass");
  EXPECT_EQ(CaseNamed(j, "for_update")["explore"]["schedules_violating"], 0);
  EXPECT_EQ(CaseNamed(j, "for_update")["explore"]["counterexample"], nullptr);
  const auto rr = CaseNamed(j, "repeatable_read");
  EXPECT_EQ(rr["verdict"], "caught");
  EXPECT_GT(rr["explore"]["errors"]["40001"].get<int>(), 0);
  EXPECT_EQ(rr["explore"]["schedules_violating"], 0);  // nothing lost: the server refused
  EXPECT_EQ(CaseNamed(j, "duplicate_wallet")["verdict"], "caught");
  EXPECT_EQ(CaseNamed(j, "unique_wallet")["verdict"], "pass");
  EXPECT_EQ(SpecsIn(s / "reports").size(), 3u);  // the three caught cases
  std::string junit;
  for (const auto& e : fs::directory_iterator(s / "reports")) {
    if (e.path().string().find(".junit.xml") != std::string::npos) junit = Slurp(e.path());
  }
  EXPECT_NE(junit.find("counterexample: schedule 5"), std::string::npos);
}

TEST(Explore, AnotherSeedFindsTheSameMinimalOrderAndScheduleReplaysItAlone) {
  Scratch s;
  const Result r = RunLs(s, {"run", kBank, "--case", "lost_update", "--seed", "99", "--report-dir",
                             (s / "a").string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto all = CaseNamed(OnlyReport(s / "a"), "lost_update");
  EXPECT_EQ(all["explore"]["counterexample"]["schedule"], 5);
  // The command run prints on stdout (a CI log), run as printed.
  const std::string printed = "lost_update: counterexample, schedule 5 (1 1 1 1 2 2 2 2 2 1); replay it alone: ledgerstress ";
  const std::size_t at = r.out.find(printed);
  ASSERT_NE(at, std::string::npos) << r.out;
  std::string command = r.out.substr(at + printed.size());
  command = command.substr(0, command.find('\n'));
  EXPECT_EQ(command, "run " + kBank + " --case lost_update --seed 99 --schedule 5");
  std::vector<std::string> args;
  for (std::size_t from = 0; from <= command.size();) {
    const std::size_t space = std::min(command.find(' ', from), command.size());
    args.push_back(command.substr(from, space - from));
    from = space + 1;
  }
  args.insert(args.end(), {"--report-dir", (s / "b").string(), "--format", "json"});
  const Result one = RunLs(s, args);
  ASSERT_EQ(one.exit_code, 0) << one.err << one.out;
  const auto replay = CaseNamed(OnlyReport(s / "b"), "lost_update");
  EXPECT_EQ(replay["verdict"], "caught");
  EXPECT_EQ(replay["explore"]["mode"], "one schedule");
  EXPECT_EQ(replay["explore"]["schedules_run"], 1);
  EXPECT_EQ(replay["explore"]["counterexample"]["steps"], all["explore"]["counterexample"]["steps"]);
  const Result none = RunLs(s, {"run", kBank, "--case", "lost_update", "--schedule", "252", "--report-dir",
                                (s / "c").string(), "--format", "json"});
  EXPECT_EQ(none.exit_code, 2) << none.err;  // refused before a server is started
  EXPECT_NE(none.err.find("schedule=252': schedule 252 does not exist: case 'lost_update' has 252 interleavings"),
            std::string::npos)
      << none.err;
}

TEST(Explore, PostgresIsolationTesterReplaysTheExportedSpecAndShowsTheAnomaly) {
  if (!fs::exists(kIsolationTester)) GTEST_SKIP() << kIsolationTester << " missing (postgresql-client-15)";
  Scratch s;
  const Result r = RunLs(s, {"run", kBank, "--case", "lost_update", "--report-dir", (s / "reports").string(),
                             "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const std::vector<fs::path> specs = SpecsIn(s / "reports");
  ASSERT_EQ(specs.size(), 1u);
  const std::string conninfo = ClusterConninfo(s);
  ASSERT_NE(conninfo, "") << "ledgerstress db status names no cluster";
  int rc = -1;
  const std::string out = Shell(std::string(kIsolationTester) + " '" + conninfo + "' < " + specs[0].string() + " 2>&1", &rc);
  EXPECT_EQ(rc, 0) << out;
  // The blocked UPDATE, released by the COMMIT, then the invariant's rows.
  EXPECT_NE(out.find("<waiting ...>"), std::string::npos) << out;
  const std::size_t check = out.find("step check_1:");  // total_conserved, the first broken
  ASSERT_NE(check, std::string::npos) << out;
  EXPECT_NE(out.find("300.00|290.00", check), std::string::npos) << out;
}

TEST(Explore, ACaseNamingAnUnknownOperationExitsTwoWithItsPosition) {
  Scratch s;
  const fs::path bad = s.Write("bad.toml", R"toml(name = "bad"
[schema]
sql = "CREATE TABLE t (id int)"
[[operation]]
name = "touch"
statements = ["UPDATE t SET id = id"]
[[case]]
name = "c"
workload = "explore"
sessions = [["touch"], ["tuoch"]]
)toml");
  const Result r = RunLs(s, {"run", bad.string(), "--report-dir", (s / "reports").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(bad.string() + ":10:25: no operation 'tuoch' (did you mean 'touch'?)"), std::string::npos) << r.err;
}

// Each schedule's sessions are as fresh as new ones: a call that moves its
// session's search_path away for good (set_config, not local) made every
// later schedule's calls fail (138 of 140), which no schedule replayed
// alone would show.
TEST(Explore, WhatACallLeavesInItsSessionDoesNotReachTheNextSchedule) {
  Scratch s;
  const fs::path leak = s.Write("leak.toml", R"toml(name = "leak"
[schema]
sql = "CREATE TABLE t (id bigint PRIMARY KEY)"
[[operation]]
name = "wander"
statements = ["SELECT count(*) FROM t", "SELECT set_config('search_path', 'pg_catalog', false)"]
[[case]]
name = "session_setting"
workload = "explore"
sessions = [["wander"], ["wander"]]
)toml");
  const Result r = RunLs(s, {"run", leak.string(), "--report-dir", (s / "reports").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto c = CaseNamed(OnlyReport(s / "reports"), "session_setting");
  EXPECT_EQ(c["explore"]["schedules_run"], 70) << c.dump();
  EXPECT_EQ(c["verdict"], "pass") << c["verdict_reason"];
}

}  // namespace
}  // namespace ledgerstress::e2e
