// The binary finds scenarios by name (harness/scenario/scenario_lookup.h):
// exit 2 with suggestions for an unknown one, $LEDGERSTRESS_SCENARIO_PATH
// first, and a path still meaning that file. This binary runs from its
// build tree, so the source tree's scenarios/ is on its search path.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

// A quick race whose report is named after `name`.
std::string SmallRace(const std::string& name) {
  return "name = \"" + name + R"("
[[case]]
name = "hardened"
workers = 4
calls_per_worker = 1
rounds = 2
strategy.saka_get_or_create_wallet = "insert_on_conflict"
)";
}

// Sets $LEDGERSTRESS_SCENARIO_PATH for one test.
class ScenarioPathVariable {
 public:
  explicit ScenarioPathVariable(const std::string& value) { setenv("LEDGERSTRESS_SCENARIO_PATH", value.c_str(), 1); }
  ~ScenarioPathVariable() { unsetenv("LEDGERSTRESS_SCENARIO_PATH"); }
};

TEST(ScenarioName, AnUnknownNameExitsTwoWithTheNamesItMayHaveMeant) {
  Scratch s;
  const Result typo = RunLs(s, {"run", "walet_race"});
  EXPECT_EQ(typo.exit_code, 2) << typo.err;
  EXPECT_NE(typo.err.find("no scenario named 'walet_race' (did you mean 'wallet_race'?) in " LEDGERSTRESS_SOURCE_DIR
                          "/scenarios"),
            std::string::npos)
      << typo.err;
  const Result sweep = RunLs(s, {"sweep", "close", "--vary", "release_batch_size=10,20"});
  EXPECT_EQ(sweep.exit_code, 2) << sweep.err;
  EXPECT_NE(sweep.err.find("(did you mean 'close_1000', 'close_5000' or 'close_5000_open'?)"), std::string::npos)
      << sweep.err;
}

TEST(ScenarioName, AShippedNameIsFoundFromAnyDirectory) {
  Scratch s;
  const Result r = RunLs(s, {"validate", "ci", "wallet_race"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ci: ok ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wallet_race: ok ("), std::string::npos) << r.out;
}

TEST(ScenarioName, TheVariableComesFirstAndListShowsWhereEachLives) {
  Scratch s;
  s.Write("wallet_race.toml", SmallRace("mine_first"));
  ScenarioPathVariable path(s.path().string());
  const Result r = RunLs(s, {"run", "wallet_race", "--report-dir", (s / "reports").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(OnlyReport(s / "reports")["run"]["scenario"], "mine_first");

  const Result list = RunLs(s, {"list", "scenarios"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const std::size_t mine = list.out.find(s.path().string() + " (LEDGERSTRESS_SCENARIO_PATH):");
  const std::size_t source = list.out.find(LEDGERSTRESS_SOURCE_DIR "/scenarios (source tree):");
  ASSERT_NE(mine, std::string::npos) << list.out;
  ASSERT_NE(source, std::string::npos) << list.out;
  EXPECT_LT(mine, source) << list.out;
  EXPECT_NE(list.out.find("(shadowed by an earlier directory)", source), std::string::npos) << list.out;
}

TEST(ScenarioName, APathStillMeansThatFile) {
  Scratch s;
  const auto file = s.Write("wallet_race.toml", SmallRace("not_the_shipped_one"));
  const Result r = RunLs(s, {"run", file.string(), "--report-dir", (s / "reports").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(OnlyReport(s / "reports")["run"]["scenario"], "not_the_shipped_one");

  const Result missing = RunLs(s, {"run", "scenarios/wallet_race.toml"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("give its name ('wallet_race')"), std::string::npos) << missing.err;
}

// `list case-keys` names the workloads that read each key, from the
// workload table: it printed "?" for the mix keys once the explorer came.
TEST(ListCaseKeys, NamesTheWorkloadsThatReadEachKey) {
  Scratch s;
  const Result list = RunLs(s, {"list", "case-keys"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto line = [&](const std::string& key) {
    const std::size_t at = list.out.find("\n" + key + " ");
    if (at == std::string::npos) return std::string("(no line for " + key + ")");
    const std::string rest = list.out.substr(at + 1);
    return rest.substr(0, rest.find('\n'));
  };
  EXPECT_NE(line("workers").find("race, close, ledger"), std::string::npos) << line("workers");
  EXPECT_NE(line("release_batch_size").find(" close"), std::string::npos) << line("release_batch_size");
  EXPECT_NE(line("sessions").find(" explore"), std::string::npos) << line("sessions");
  EXPECT_NE(line("calls_per_worker").find("race, ledger"), std::string::npos) << line("calls_per_worker");
  EXPECT_NE(line("seed").find("every workload"), std::string::npos) << line("seed");
  EXPECT_EQ(list.out.find('?'), std::string::npos) << list.out;
}

}  // namespace
}  // namespace ledgerstress::e2e
