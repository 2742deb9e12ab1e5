// Drivers end to end: a correct one passes, one that acknowledges a write it
// never made is caught, and every way of misbehaving is contained -- the
// call in flight is in doubt, the process is restarted, the message says
// what happened, and no driver process outlives the run.
#include <algorithm>
#include <csignal>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

const char kTiny[] = LEDGERSTRESS_SOURCE_DIR "/tests/e2e/drivers/tiny.py";

// A ledger case through the tiny driver, misbehaving as `mode` says.
std::string TinyScenario(const std::string& mode, const std::string& extra = "") {
  return "name = \"tiny\"\n[drivers.tiny]\ncommand = [\"/usr/bin/python3\", \"" + std::string(kTiny) +
         "\"]\ncall_timeout = \"1s\"\nstart_timeout = \"10s\"\nenv = { TINY_MODE = \"" + mode +
         "\", TINY_EVERY = \"40\" }\n[[case]]\nname = \"c\"\ndriver = \"tiny\"\nworkload = \"ledger\"\nworkers = 3\n"
         "duration = \"2s\"\ndonors = 30\nmix = { deposit = 1, pledge_funds = 1 }\nmax_error_rate = 0.3\n"
         "invariants = [\"acknowledged_writes_durable\", \"money_conserved\", \"balances_match_ledger\", \"idempotent\"]\n" +
         extra;
}

std::string ErrorSamples(const nlohmann::json& c) {
  std::string all;
  for (const auto& op : c["operations"]) all += op["error_samples"].dump();
  return all;
}

TEST(Driver, ACorrectDriverPassesAndIsNamedInTheReports) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", TinyScenario("correct")).string(), "--report-dir",
                             (s / "r").string(), "--format", "json,md,junit"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  const auto& c = j["cases"][0];
  EXPECT_EQ(c["driver"], "tiny");
  EXPECT_EQ(c["settings"]["strategy.pledge_funds"], "plain") << "the driver's first strategy is the default";
  for (const auto& i : c["invariants"]) EXPECT_EQ(i["status"], "held") << i.dump();
  EXPECT_TRUE(c["operations"][0]["statements"].is_null()) << "the tiny driver reports no statements";
  EXPECT_NE(c["operations"][0]["statements_missing"].get<std::string>().find("cannot be split between deposit, pledge_funds"),
            std::string::npos)
      << c["operations"][0].dump();
  bool stderr_kept = false;
  for (const auto& e : fs::recursive_directory_iterator(s / "r")) stderr_kept |= e.path().filename() == "w0.stderr";
  EXPECT_TRUE(stderr_kept) << "each worker's stderr is kept under the report dir";
  EXPECT_EQ(DriversOfRun(j["run"]["id"]), 0);
}

// The tiny driver's deposit is BEGIN, two SELECTs, UPDATE, INSERT, COMMIT;
// its upsert BEGIN, INSERT, SELECT, COMMIT. It reports neither: with one
// operation in the case, the server's count is that operation's.
TEST(Driver, StatementsADriverDoesNotReportAreCountedByTheServerWhenTheyCanOnlyBeOneOperations) {
  Scratch s;
  std::string ledger = TinyScenario("correct", "thresholds.\"deposit.statements\" = \"<= 6\"\n");
  ledger.replace(ledger.find("mix = { deposit = 1, pledge_funds = 1 }"), 39, "mix = { deposit = 1 }");
  const std::string race = "\n[[case]]\nname = \"race\"\ndriver = \"tiny\"\nworkload = \"race\"\nworkers = 6\n"
                           "calls_per_worker = 1\nrounds = 3\nschema.saka_unique_user = true\n"
                           "thresholds.\"saka_get_or_create_wallet.statements\" = \"<= 4\"\n";
  ForgetServerStatements(s);
  const Result r = RunLs(s, {"run", s.Write("t.toml", ledger + race).string(), "--report-dir", (s / "r").string(),
                             "--format", "json,html"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  const auto& deposit = j["cases"][0]["operations"][0];
  ASSERT_EQ(deposit["statements_source"], "server") << deposit.dump();
  EXPECT_GT(deposit["calls"].get<std::uint64_t>(), 10u);
  EXPECT_EQ(deposit["statements"].get<std::uint64_t>(), 6 * deposit["calls"].get<std::uint64_t>());
  EXPECT_EQ(j["cases"][0]["verdict"], "pass") << "deposit.statements <= 6 holds";
  const auto& upsert = j["cases"][1]["operations"][0];
  ASSERT_EQ(upsert["statements_source"], "server") << upsert.dump();
  EXPECT_EQ(upsert["statements"].get<std::uint64_t>(), 4 * upsert["calls"].get<std::uint64_t>());
  EXPECT_EQ(j["cases"][1]["verdict"], "pass");
  bool marked = false;
  for (const auto& e : fs::directory_iterator(s / "r")) {
    if (e.path().extension() == ".html") marked |= Slurp(e.path()).find("<small>server</small>") != std::string::npos;
  }
  EXPECT_TRUE(marked) << "the HTML says who counted them";

  ledger.replace(ledger.find("\"<= 6\""), 6, "\"< 6\"");
  const Result crossed = RunLs(s, {"run", s.Write("u.toml", ledger).string(), "--report-dir", (s / "u").string(),
                                   "--format", "json"});
  EXPECT_EQ(crossed.exit_code, 1) << "6 statements per call cross < 6: " << crossed.out << crossed.err;
  EXPECT_NE(OnlyReport(s / "u")["cases"][0]["verdict_reason"].get<std::string>().find("deposit.statements"),
            std::string::npos);
}

TEST(Driver, ADriverThatAcknowledgesAWriteItNeverMadeIsCaught) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", TinyScenario("liar", "expect = \"violation\"\n"
                                                                          "violates = [\"acknowledged_writes_durable\"]\n")).string(),
                             "--report-dir", (s / "r").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  EXPECT_EQ(j["cases"][0]["verdict"], "caught");
  EXPECT_NE(r.out.find("acknowledged_writes_durable:"), std::string::npos) << r.out;
}

// Money is conserved and each balance matches its ledger: only the effect
// check (the row under the key belongs to the call's user) sees it.
TEST(Driver, ADepositCreditedToAnotherUsersWalletIsCaughtAsTheWrongEffect) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", TinyScenario("wrong_user", "expect = \"violation\"\n"
                                                                              "violates = [\"acknowledged_writes_durable\"]\n")).string(),
                             "--report-dir", (s / "r").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  const auto& c = j["cases"][0];
  EXPECT_EQ(c["verdict"], "caught") << c["verdict_reason"];
  for (const auto& i : c["invariants"]) {
    if (i["name"] == "acknowledged_writes_durable") {
      EXPECT_GE(i["details"]["wrong_effect"].get<double>(), 1) << i.dump();
      EXPECT_EQ(i["details"]["lost"].get<double>(), 0) << i.dump();
    } else {
      EXPECT_EQ(i["status"], "held") << "no other invariant looks at who got the money: " << i.dump();
    }
  }
}

TEST(Driver, ADriverSayingNoEffectAfterWritingIsCaughtAndHonestNoEffectRepliesPass) {
  Scratch s;
  const Result liar = RunLs(s, {"run", s.Write("t.toml", TinyScenario("effect_liar", "expect = \"violation\"\n"
                                                                                  "violates = [\"acknowledged_writes_durable\"]\n")).string(),
                                "--report-dir", (s / "r").string(), "--format", "json"});
  EXPECT_EQ(liar.exit_code, 0) << liar.out << liar.err;
  const auto j = OnlyReport(s / "r");
  const auto& c = j["cases"][0];
  EXPECT_EQ(c["verdict"], "caught") << c["verdict_reason"];
  for (const auto& i : c["invariants"]) {
    if (i["name"] == "acknowledged_writes_durable") EXPECT_GE(i["details"]["phantom"].get<double>(), 1) << i.dump();
  }

  // duplicate_rate re-sends keys: the correct driver answers the second copy
  // "ok, no effect", counted apart, and the key holds one row.
  const Result honest = RunLs(s, {"run", s.Write("u.toml", TinyScenario("correct", "duplicate_rate = 0.5\n")).string(),
                                  "--report-dir", (s / "u").string(), "--format", "json"});
  EXPECT_EQ(honest.exit_code, 0) << honest.out << honest.err;
  const auto k = OnlyReport(s / "u");
  const auto& h = k["cases"][0];
  EXPECT_EQ(h["verdict"], "pass") << h["verdict_reason"];
  std::uint64_t no_effect = 0;
  for (const auto& op : h["operations"]) no_effect += op["outcomes"].value("no_effect", 0u);
  EXPECT_GT(no_effect, 0u) << h["operations"].dump();
  EXPECT_NE(honest.out.find("no effect"), std::string::npos) << "the stdout table has a column for it: " << honest.out;
}

struct Misbehaviour {
  const char* mode;
  const char* message;  // in the error samples of the calls it cut short
};
// Shown after the test's name in ctest's listing (gtest prints raw bytes otherwise).
void PrintTo(const Misbehaviour& m, std::ostream* os) { *os << m.mode; }

class DriverMisbehaving : public ::testing::TestWithParam<Misbehaviour> {};

TEST_P(DriverMisbehaving, TheCallIsInDoubtTheDriverRestartedAndNothingIsLeftRunning) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", TinyScenario(GetParam().mode)).string(), "--report-dir",
                             (s / "r").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  const auto& c = j["cases"][0];
  EXPECT_EQ(c["verdict"], "pass") << c["verdict_reason"];
  std::uint64_t in_doubt = 0;
  for (const auto& op : c["operations"]) in_doubt += op["outcomes"].value("in_doubt", 0u);
  EXPECT_GE(in_doubt, 1u) << c["operations"].dump();
  const std::string samples = ErrorSamples(c);
  EXPECT_NE(samples.find(GetParam().message), std::string::npos) << samples;
  EXPECT_NE(samples.find("it will be restarted"), std::string::npos) << samples;
  EXPECT_EQ(DriversOfRun(j["run"]["id"]), 0) << "a driver process outlived the run";
}

INSTANTIATE_TEST_SUITE_P(
    Modes, DriverMisbehaving,
    ::testing::Values(Misbehaviour{"garbage", "wrote a line that is not a protocol message: this is not json"},
                      Misbehaviour{"huge", "wrote a line longer than 1 MiB"},
                      Misbehaviour{"wrong_id", "while call 3 was in flight"},
                      Misbehaviour{"hang", "did not answer within call_timeout (1000 ms) (killed by the harness)"},
                      Misbehaviour{"crash", "closed its stdout (it exited or crashed) (exit 3)"},
                      Misbehaviour{"flood", "its stderr reached 64 MiB, the most a driver may write"}),
    [](const ::testing::TestParamInfo<Misbehaviour>& p) { return std::string(p.param.mode); });

TEST(Driver, ADriverThatCannotGetThroughInitIsAnErrorWithItsStderr) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", TinyScenario("exit_in_init")).string(), "--report-dir",
                             (s / "r").string()});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("did not get through init: closed its stdout (it exited or crashed) (exit 2)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ends: tiny: cannot import settlement.services"), std::string::npos) << r.err;
  std::string slow_init = TinyScenario("slow_init");  // its case's processes never answer init
  slow_init.replace(slow_init.find("start_timeout = \"10s\""), 21, "start_timeout = \"2s\"");
  const Result slow = RunLs(s, {"run", s.Write("slow.toml", slow_init).string(), "--report-dir", (s / "r2").string()});
  EXPECT_EQ(slow.exit_code, 3) << slow.err;
  EXPECT_NE(slow.err.find("did not answer within start_timeout (2000 ms)"), std::string::npos) << slow.err;
  std::string missing = TinyScenario("correct");
  missing.replace(missing.find("/usr/bin/python3"), 16, "./no-such-driver");
  const Result none = RunLs(s, {"run", s.Write("none.toml", missing).string(), "--report-dir", (s / "r3").string()});
  EXPECT_EQ(none.exit_code, 3) << none.err;
  EXPECT_NE(none.err.find("cannot execute the driver's command: No such file or directory"), std::string::npos) << none.err;
  for (const char* dir : {"r", "r2", "r3"}) {
    EXPECT_EQ(DriversOfRun(OnlyReport(s / dir)["run"]["id"]), 0) << "a driver that failed its init was left running";
  }
}

// command = ["python3", ...]: run as written there is no such file; refused
// when the scenario is read (validate too), naming what PATH would give.
TEST(Driver, ACommandWithoutASlashIsRefusedBeforeAnythingRunsWithThePathPathWouldGive) {
  Scratch s(Server::kOwn);  // the check below: no cluster started
  std::string bare = TinyScenario("correct");
  bare.replace(bare.find("\"/usr/bin/python3\""), 18, "\"python3\"");
  const fs::path scenario = s.Write("t.toml", bare);
  const std::string said = scenario.string() + ":3:11: [drivers.tiny] command[0] 'python3' is not looked up on PATH: write \"/";
  for (const std::string cmd : {"run", "validate"}) {
    std::vector<std::string> args = {cmd, scenario.string()};
    if (cmd == "run") args.insert(args.end(), {"--report-dir", (s / "r").string()});
    const Result r = RunLs(s, args);
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.err;
    const auto at = r.err.find(said);
    ASSERT_NE(at, std::string::npos) << cmd << ": " << r.err;
    const std::string path = r.err.substr(at + said.size() - 1, r.err.find('"', at + said.size()) - (at + said.size() - 1));
    EXPECT_EQ(fs::path(path).filename(), "python3") << r.err;
    EXPECT_TRUE(fs::exists(path)) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(s / "r"));
    EXPECT_TRUE(fs::is_empty(s / "tmp")) << "a cluster was started";
  }
  // As written with a '/', the same driver passes validation.
  EXPECT_EQ(RunLs(s, {"validate", s.Write("ok.toml", TinyScenario("correct")).string()}).exit_code, 0);
}

TEST(Driver, AStrategyOrOperationTheDriverDoesNotOfferExitsTwoNamingWhatItOffers) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", TinyScenario("correct", "strategy.pledge_funds = \"hardened\"\n")).string(),
                             "--report-dir", (s / "r").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("t.toml:17:25: strategy 'hardened' for 'pledge_funds' is not offered by driver 'tiny'; "
                       "it offers: deposit ('plain'); pledge_funds ('plain', 'other')"),
            std::string::npos)
      << r.err;
  std::string other = TinyScenario("correct");
  other.replace(other.find("mix = { deposit = 1, pledge_funds = 1 }"), 39, "mix = { transfer_to_pocket = 1 }");
  const Result op = RunLs(s, {"run", s.Write("op.toml", other).string(), "--report-dir", (s / "r2").string()});
  EXPECT_EQ(op.exit_code, 2) << op.err;
  EXPECT_NE(op.err.find("op.toml:14:30: case 'c' calls 'transfer_to_pocket', which driver 'tiny' does not offer"),
            std::string::npos) << op.err;
}

class DriverSignal : public ::testing::TestWithParam<int> {};

TEST_P(DriverSignal, StopsTheRunAndEveryDriverProcess) {
  Scratch s;
  std::string long_case = TinyScenario("correct");
  long_case.replace(long_case.find("duration = \"2s\""), 15, "duration = \"60s\"");
  const Result r = RunLs(s, {"run", s.Write("t.toml", long_case).string(), "--report-dir", (s / "r").string()},
                         "[1/1] c", GetParam(), 60);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(DriversOfRun(OnlyReport(s / "r")["run"]["id"]), 0) << "a driver process outlived the signal";
}

INSTANTIATE_TEST_SUITE_P(Signals, DriverSignal, ::testing::Values(SIGINT, SIGTERM));

TEST(Driver, AKilledPostmasterEndsTheRunWithExitThreeAndNoDriverLeft) {
  Scratch s(Server::kOwn);
  std::string long_case = TinyScenario("correct");
  long_case.replace(long_case.find("duration = \"2s\""), 15, "duration = \"6s\"");
  // The driver's calls fail once the server is gone; the case ends at its
  // duration and its checks cannot connect: an error, and every driver stopped.
  std::thread killer = KillPostmasterOnceRunning(s, "[1/1] c", std::chrono::milliseconds(1000));
  const Result r = RunLs(s, {"run", s.Write("t.toml", long_case).string(), "--report-dir", (s / "r").string(),
                             "--set", "statement_timeout=5s"}, "", SIGINT, 120);
  killer.join();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(DriversOfRun(OnlyReport(s / "r")["run"]["id"]), 0) << "a driver process outlived the server";
}

}  // namespace
}  // namespace ledgerstress::e2e
