// [drivers.<name>] concurrency = k: one driver process per k workers, up to
// k calls in flight, answered out of order and matched by id. A correct
// driver passes with every call counted once, a race between calls of one
// process is caught, every way of misbehaving with calls in flight puts
// them all in doubt and restarts the process, and a driver that does not
// say it takes k calls at once is refused before any case runs.
#include <csignal>
#include <map>
#include <ostream>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

const char kPool[] = LEDGERSTRESS_SOURCE_DIR "/tests/e2e/drivers/pool.py";

// A ledger case of `workers` workers through the pool driver with
// concurrency 4, misbehaving as `mode` says.
std::string PoolScenario(const std::string& mode, int workers, const std::string& extra = "") {
  return "name = \"pool\"\n[drivers.pool]\ncommand = [\"/usr/bin/python3\", \"" + std::string(kPool) +
         "\"]\ncall_timeout = \"1s\"\nstart_timeout = \"10s\"\nconcurrency = 4\nenv = { POOL_MODE = \"" + mode +
         "\", POOL_EVERY = \"60\" }\n[[case]]\nname = \"c\"\ndriver = \"pool\"\nworkload = \"ledger\"\nworkers = " +
         std::to_string(workers) + "\nduration = \"2s\"\ndonors = 30\nmix = { deposit = 1, pledge_funds = 1 }\n"
         "max_error_rate = 0.3\ninvariants = [\"acknowledged_writes_durable\", \"money_conserved\", "
         "\"balances_match_ledger\", \"idempotent\"]\n" + extra;
}

std::uint64_t Outcome(const nlohmann::json& c, const std::string& outcome) {
  std::uint64_t n = 0;
  for (const auto& op : c["operations"]) n += op["outcomes"].value(outcome, 0u);
  return n;
}

std::string ErrorSamples(const nlohmann::json& c) {
  std::string all;
  for (const auto& op : c["operations"]) all += op["error_samples"].dump();
  return all;
}

// Each case driver's stderr file under `dir` (not the probe's) by name, with its text.
std::map<std::string, std::string> DriverStderr(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".stderr" || e.path().parent_path().filename().string().rfind("probe-", 0) == 0) continue;
    out[e.path().filename().string()] = Slurp(e.path());
  }
  return out;
}

// "pool: max in flight 4, out of order 12, replies 300" -> {4, 12, 300}.
std::vector<std::uint64_t> PoolFigures(const std::string& text) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("max in flight (\\d+), out of order (\\d+), replies (\\d+)"))) return {};
  return {std::stoull(m[1]), std::stoull(m[2]), std::stoull(m[3])};
}

TEST(DriverConcurrency, ADriverAnsweringOutOfOrderPassesAndEveryCallIsCountedOnceForItsWorker) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", PoolScenario("correct", 6)).string(), "--report-dir",
                             (s / "r").string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  const auto& c = j["cases"][0];
  EXPECT_EQ(c["verdict"], "pass") << c["verdict_reason"];
  for (const auto& i : c["invariants"]) EXPECT_EQ(i["status"], "held") << i.dump();
  std::uint64_t calls = 0;
  for (const auto& op : c["operations"]) calls += op["calls"].get<std::uint64_t>();
  EXPECT_EQ(Outcome(c, "in_doubt"), 0u) << c["operations"].dump();

  // Six workers, four to a process: w0-3 and w4-5, named after their workers.
  const auto files = DriverStderr(s / "r");
  ASSERT_EQ(files.size(), 2u) << "one stderr per process";
  ASSERT_TRUE(files.count("w0-3.stderr") && files.count("w4-5.stderr")) << files.begin()->first;
  EXPECT_NE(files.at("w0-3.stderr").find("pool: workers [0, 1, 2, 3], concurrency 4"), std::string::npos)
      << files.at("w0-3.stderr");
  const auto big = PoolFigures(files.at("w0-3.stderr")), small = PoolFigures(files.at("w4-5.stderr"));
  ASSERT_EQ(big.size(), 3u) << files.at("w0-3.stderr");
  ASSERT_EQ(small.size(), 3u) << files.at("w4-5.stderr");
  EXPECT_EQ(big[0], 4u) << "four workers' calls were in flight in one process at once";
  EXPECT_EQ(small[0], 2u) << "the last process serves the two workers left";
  EXPECT_GT(big[1] + small[1], 0u) << "some replies went out out of order";
  EXPECT_EQ(big[2] + small[2], calls) << "every reply is one call of the report, and every call had one";
  EXPECT_EQ(DriversOfRun(j["run"]["id"]), 0);
}

TEST(DriverConcurrency, ALostUpdateBetweenCallsOfOneProcessIsCaught) {
  Scratch s;
  std::string racy = PoolScenario("correct", 4, "strategy.deposit = \"racy\"\nexpect = \"violation\"\n"
                                                "violates = [\"balances_match_ledger\"]\n");
  racy.replace(racy.find("mix = { deposit = 1, pledge_funds = 1 }"), 39, "mix = { deposit = 1 }");
  racy.replace(racy.find("donors = 30"), 11, "donors = 2");
  const Result r = RunLs(s, {"run", s.Write("t.toml", racy).string(), "--report-dir", (s / "r").string(),
                             "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  EXPECT_EQ(j["cases"][0]["verdict"], "caught") << j["cases"][0]["verdict_reason"];
  EXPECT_EQ(DriverStderr(s / "r").size(), 1u) << "one process ran all four workers: the race was inside it";
}

// The backend killer finds a shared process's sessions by their
// application_name ("<prefix>/w0-3"): its pool's connections break under
// calls in flight, which the driver answers info, and the case still holds.
TEST(DriverConcurrency, TheBackendKillerReachesTheSessionsOfASharedProcess) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", PoolScenario("correct", 4, "backend_kill_every = \"300ms\"\n")).string(),
                             "--report-dir", (s / "r").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  const auto& c = j["cases"][0];
  EXPECT_EQ(c["verdict"], "pass") << c["verdict_reason"];
  EXPECT_GE(c["faults"]["backends_killed"].get<int>(), 2) << c["faults"].dump();
  EXPECT_EQ(DriversOfRun(j["run"]["id"]), 0);
}

TEST(DriverConcurrency, AnInterruptStopsEverySharedProcessWithCallsInFlight) {
  Scratch s;
  std::string long_case = PoolScenario("correct", 6);
  long_case.replace(long_case.find("duration = \"2s\""), 15, "duration = \"60s\"");
  const Result r = RunLs(s, {"run", s.Write("t.toml", long_case).string(), "--report-dir", (s / "r").string()},
                         "[1/1] c", SIGINT, 60);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(DriversOfRun(OnlyReport(s / "r")["run"]["id"]), 0) << "a driver process outlived the signal";
}

struct Misbehaviour {
  const char* mode;
  const char* message;  // in the error samples of the calls it cut short
  std::uint64_t in_doubt;  // at least
};

// How ctest names the parameter ("crash"), instead of its bytes.
void PrintTo(const Misbehaviour& m, std::ostream* os) { *os << m.mode; }

class DriverConcurrencyMisbehaving : public ::testing::TestWithParam<Misbehaviour> {};

TEST_P(DriverConcurrencyMisbehaving, EveryCallInFlightIsInDoubtAndTheProcessIsRestarted) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", PoolScenario(GetParam().mode, 4)).string(), "--report-dir",
                             (s / "r").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  const auto& c = j["cases"][0];
  EXPECT_EQ(c["verdict"], "pass") << c["verdict_reason"];
  EXPECT_GE(Outcome(c, "in_doubt"), GetParam().in_doubt) << c["operations"].dump();
  const std::string samples = ErrorSamples(c);
  EXPECT_NE(samples.find("driver 'pool' (workers 0-3) "), std::string::npos) << samples;
  EXPECT_NE(samples.find(GetParam().message), std::string::npos) << samples;
  EXPECT_NE(samples.find("; every call in flight is in doubt; it will be restarted"), std::string::npos) << samples;
  const auto files = DriverStderr(s / "r");
  ASSERT_EQ(files.count("w0-3.stderr"), 1u);
  const std::string& text = files.at("w0-3.stderr");
  std::size_t starts = 0;
  for (auto at = text.find("pool: workers [0, 1, 2, 3]"); at != std::string::npos; at = text.find("pool: workers", at + 1)) ++starts;
  EXPECT_GE(starts, 2u) << "the process was restarted: " << text;
  EXPECT_EQ(DriversOfRun(j["run"]["id"]), 0) << "a driver process outlived the run";
}

INSTANTIATE_TEST_SUITE_P(
    Modes, DriverConcurrencyMisbehaving,
    ::testing::Values(Misbehaviour{"unknown_id", ", which it was not asked (", 2},
                      Misbehaviour{"duplicate", " twice (", 1},
                      Misbehaviour{"crash", "closed its stdout (it exited or crashed) (exit 3)", 2},
                      Misbehaviour{"hang", "within call_timeout (1000 ms) (killed by the harness)", 1}),
    [](const ::testing::TestParamInfo<Misbehaviour>& p) { return std::string(p.param.mode); });

TEST(DriverConcurrency, ADriverThatDoesNotSayItTakesTheCallsAtOnceIsRefusedAtTheKey) {
  Scratch s;
  const fs::path scenario = s.Write("t.toml", PoolScenario("no_concurrency", 4));
  const std::string said = scenario.string() + ":6:15: [drivers.pool] concurrency = 4 sends up to 4 calls at once, "
                           "and driver 'pool' answered init with \"concurrency\": 1 (none given means 1)";
  for (const std::string cmd : {"run", "validate"}) {
    std::vector<std::string> args = {cmd, scenario.string()};
    if (cmd == "run") args.insert(args.end(), {"--report-dir", (s / "r").string()});
    const Result r = RunLs(s, args);
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.err;
    EXPECT_NE(r.err.find(said), std::string::npos) << cmd << ": " << r.err;
  }
  EXPECT_EQ(RunLs(s, {"validate", s.Write("ok.toml", PoolScenario("correct", 4)).string()}).exit_code, 0)
      << "a driver saying \"concurrency\": 4 passes the probe";
  const Result injected = RunLs(s, {"validate", s.Write("d.toml", PoolScenario("correct", 4,
                                                                              "deadlock_injection = true\n")).string()});
  EXPECT_EQ(injected.exit_code, 2) << injected.err;
  EXPECT_NE(injected.err.find("d.toml:18:22: deadlock_injection cannot run through a process shared by several workers"),
            std::string::npos) << injected.err;
}

// Past the probe, a case's process that takes fewer calls than asked
// cannot get through init: the case is an error, for all its workers.
TEST(DriverConcurrency, ACaseProcessOfferingFewerCallsThanAskedIsACaseError) {
  Scratch s;
  const Result r = RunLs(s, {"run", s.Write("t.toml", PoolScenario("probe_only", 6)).string(), "--report-dir",
                             (s / "r").string()});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("driver 'pool' (workers 0-3) did not get through init: [drivers.pool] concurrency = 4 sends up "
                       "to 4 calls at once"),
            std::string::npos) << r.err;
  EXPECT_EQ(DriversOfRun(OnlyReport(s / "r")["run"]["id"]), 0) << "a driver that failed its init was left running";
}

}  // namespace
}  // namespace ledgerstress::e2e
