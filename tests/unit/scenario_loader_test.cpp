#include "harness/scenario/scenario_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/load_error.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;

const char kMinimal[] = R"(name = "t"
seed = 7
[[case]]
name = "a"
workers = 4
calls_per_worker = 2
)";

std::string ErrorOf(const std::string& text, const LoadOptions& o = {}) { return testing::LoadError(text, o); }

TEST(ScenarioLoader, ReadsAMinimalScenarioWithDefaults) {
  const Scenario s = ParseScenario(kMinimal, "s.toml");
  ASSERT_EQ(s.cases.size(), 1u);
  const CaseSpec& c = s.cases[0];
  EXPECT_EQ(c.name, "a");
  EXPECT_EQ(c.workers, 4);
  EXPECT_EQ(c.calls_per_worker, 2);
  EXPECT_EQ(c.rounds, 1);
  EXPECT_EQ(c.expect, Expectation::kPass);
  EXPECT_EQ(c.strategies.at("saka_get_or_create_wallet"), "insert_on_conflict");
  EXPECT_TRUE(c.schema_options.at("saka_unique_user"));
  EXPECT_EQ(c.statement_timeout.count(), 30000);
  EXPECT_EQ(s.seed, 7u);
}

TEST(ScenarioLoader, UnknownKeyNamesLineColumnAndSuggestion) {
  const std::string text = "[[case]]\nname = \"a\"\nworker = 4\ncalls_per_worker = 1\n";
  EXPECT_EQ(ErrorOf(text), "s.toml:3:1: unknown key 'worker' (did you mean 'workers'?)");
}

TEST(ScenarioLoader, UnknownTopLevelKeyPointsToWhereCaseKeysGo) {
  EXPECT_THAT(ErrorOf(std::string("workers = 3\n") + kMinimal), HasSubstr("s.toml:1:1: unknown key 'workers'"));
}

TEST(ScenarioLoader, WrongTypeNamesTheValue) {
  const std::string text = "[[case]]\nname = \"a\"\nworkers = \"ten\"\ncalls_per_worker = 1\n";
  EXPECT_EQ(ErrorOf(text), "s.toml:3:11: 'workers' must be an integer, got a string");
}

TEST(ScenarioLoader, OutOfRangeGivesTheRange) {
  const std::string text = "[[case]]\nname = \"a\"\nworkers = 0\ncalls_per_worker = 1\n";
  EXPECT_EQ(ErrorOf(text), "s.toml:3:11: 'workers' must be from 1 to 2000, got 0");
  EXPECT_THAT(ErrorOf("[[case]]\nname = \"a\"\nworkers = 99999999999\ncalls_per_worker = 1\n"),
              HasSubstr("must be from 1 to 2000"));
}

TEST(ScenarioLoader, MissingRequiredKeyPointsAtTheCase) {
  EXPECT_EQ(ErrorOf("[[case]]\nname = \"a\"\ncalls_per_worker = 1\n"),
            "s.toml:1:1: case 'a' is missing required key 'workers'");
  EXPECT_EQ(ErrorOf("[[case]]\nname = \"a\"\nworkers = 1\n"),
            "s.toml:1:1: case 'a' needs 'calls_per_worker' or 'duration'");
}

TEST(ScenarioLoader, DuplicateKeyIsAParseErrorWithPosition) {
  EXPECT_THAT(ErrorOf("[[case]]\nname = \"a\"\nworkers = 1\nworkers = 2\ncalls_per_worker = 1\n"),
              HasSubstr("s.toml:4:"));
}

TEST(ScenarioLoader, DuplicateCaseNameIsRefused) {
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "[[case]]\nname = \"a\"\nworkers = 1\ncalls_per_worker = 1\n"),
              HasSubstr("duplicate case name 'a' (first at s.toml:3:1)"));
}

TEST(ScenarioLoader, CallsAndDurationInOneTableExcludeEachOther) {
  EXPECT_THAT(ErrorOf("[[case]]\nname = \"a\"\nworkers = 1\ncalls_per_worker = 1\nduration = \"1s\"\n"),
              HasSubstr("s.toml:5:12: 'calls_per_worker' and 'duration' exclude each other"));
}

TEST(ScenarioLoader, CaseDurationReplacesDefaultCalls) {
  const Scenario s = ParseScenario(
      "[defaults]\nworkers = 2\ncalls_per_worker = 5\n[[case]]\nname = \"a\"\nduration = \"2s\"\n", "s.toml");
  EXPECT_EQ(s.cases[0].calls_per_worker, 0);
  EXPECT_EQ(s.cases[0].duration.count(), 2000);
  EXPECT_EQ(s.cases[0].workers, 2);
}

TEST(ScenarioLoader, UnknownStrategyListsTheKnownOnes) {
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "strategy.saka_get_or_create_wallet = \"get_or_creat\"\n"),
              HasSubstr("s.toml:7:38: unknown strategy 'get_or_creat' for 'saka_get_or_create_wallet' "
                        "(did you mean 'get_or_create'?)"));
}

TEST(ScenarioLoader, InsertOnConflictWithoutUniqueConstraintIsRefused) {
  EXPECT_THAT(ErrorOf(std::string(kMinimal) +
                      "strategy.saka_get_or_create_wallet = \"insert_on_conflict\"\nschema.saka_unique_user = false\n"),
              HasSubstr("needs schema.saka_unique_user = true"));
}

TEST(ScenarioLoader, UnknownInvariantAndBadExpectAreRefused) {
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "invariants = [\"one_wallet_per_usr\"]\n"),
              HasSubstr("unknown invariant 'one_wallet_per_usr' (did you mean 'one_wallet_per_user'?)"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "expect = \"violated\"\n"),
              HasSubstr("'expect' must be \"pass\" or \"violation\""));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "violates = [\"one_wallet_per_user\"]\n"),
              HasSubstr("'violates' needs expect = \"violation\""));
}

TEST(ScenarioLoader, MalformedTomlAndEmptyFilesGiveAPosition) {
  EXPECT_THAT(ErrorOf("[[case]\nname = 1\n"), HasSubstr("s.toml:1:"));
  EXPECT_EQ(ErrorOf(""), "s.toml: no [[case]] tables: a scenario needs at least one case");
  EXPECT_THAT(ErrorOf(std::string("\xff\xfe\x00garbage", 10)), HasSubstr("s.toml:1:"));
}

TEST(ScenarioLoader, SetOverridesEveryCaseAndIsTyped) {
  LoadOptions o;
  o.overrides = {"workers=9", "duration=15s", "strategy.saka_get_or_create_wallet=get_or_create"};
  const Scenario s = ParseScenario(kMinimal, "s.toml", o);
  EXPECT_EQ(s.cases[0].workers, 9);
  EXPECT_EQ(s.cases[0].duration.count(), 15000);
  EXPECT_EQ(s.cases[0].calls_per_worker, 0);
  EXPECT_EQ(s.cases[0].strategies.at("saka_get_or_create_wallet"), "get_or_create");
}

TEST(ScenarioLoader, SetWithUnknownKeyOrBadValueIsRefused) {
  LoadOptions o;
  o.overrides = {"threads=3"};
  EXPECT_EQ(ErrorOf(kMinimal, o), "--set 'threads=3': unknown key 'threads'");
  o.overrides = {"workrs=3"};
  EXPECT_THAT(ErrorOf(kMinimal, o), HasSubstr("(did you mean 'workers'?)"));
  o.overrides = {"workers=many"};
  EXPECT_EQ(ErrorOf(kMinimal, o), "--set 'workers=many': 'workers' must be an integer, got a string");
  o.overrides = {"strategy=x"};
  EXPECT_THAT(ErrorOf(kMinimal, o), HasSubstr("is a table"));
}

TEST(ScenarioLoader, SetAppliesToTheCasesThatReadTheKeyAndIsRefusedWhenNoneDoes) {
  const std::string mixed = std::string(kMinimal) + "[[case]]\nname = \"c\"\nworkload = \"close\"\nescrows = 10\n";
  LoadOptions o;
  o.overrides = {"release_batch_size=7"};
  const Scenario s = ParseScenario(mixed, "s.toml", o);
  EXPECT_EQ(s.cases[1].close.release_batch_size, 7) << "the close case reads it";
  EXPECT_EQ(ParseScenario(mixed, "s.toml").cases[1].close.release_batch_size, 100);
  EXPECT_EQ(ErrorOf(kMinimal, o),
            "--set 'release_batch_size=7': no case of this scenario reads 'release_batch_size': it needs workload = \"close\"");
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "release_batch_size = 7\n"), HasSubstr("needs workload = \"close\""))
      << "in the file itself the key is still refused where it does not apply";
}

TEST(ScenarioLoader, CaseSeedsDeriveFromTheScenarioSeed) {
  LoadOptions o;
  o.seed = 99;
  const Scenario a = ParseScenario(kMinimal, "s.toml", o);
  const Scenario b = ParseScenario(kMinimal, "s.toml", o);
  o.seed = 100;
  const Scenario c = ParseScenario(kMinimal, "s.toml", o);
  EXPECT_EQ(a.seed, 99u);
  EXPECT_EQ(a.cases[0].seed, b.cases[0].seed);
  EXPECT_NE(a.cases[0].seed, c.cases[0].seed);
}

TEST(ScenarioLoader, ThresholdsAreParsedAndTheirMetricsChecked) {
  const Scenario s = ParseScenario(std::string(kMinimal) +
                                       "thresholds.\"saka_get_or_create_wallet.latency.p99\" = \"< 50ms\"\n",
                                   "s.toml");
  ASSERT_EQ(s.cases[0].thresholds.size(), 1u);
  EXPECT_DOUBLE_EQ(s.cases[0].thresholds[0].limit, 50);
  // A misspelled metric is a scenario error, never a silent pass.
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "thresholds.\"saka_get_or_create_wallet.latency.p98\" = \"< 5ms\"\n"),
              HasSubstr("s.toml:7:54: threshold on unknown metric 'saka_get_or_create_wallet.latency.p98' "
                        "(did you mean 'saka_get_or_create_wallet.latency.p"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "thresholds.\"pledge_funds.latency.p99\" = \"< 5ms\"\n"),
              HasSubstr("this case does not produce it"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "thresholds.\"saka_get_or_create_wallet.latency.p99\" = \"< 5\"\n"),
              HasSubstr("is a time"));
  LoadOptions o;
  o.overrides = {"thresholds.saka_get_or_create_wallet.error_rate=< 1%"};
  EXPECT_EQ(ParseScenario(kMinimal, "s.toml", o).cases[0].thresholds.size(), 1u);
}

TEST(ScenarioLoader, MissingFileNamesIt) {
  try {
    LoadScenarioFile("/nonexistent/x.toml");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/x.toml: cannot read"));
  }
}

TEST(ScenarioLoader, ServerCrashesAreLedgerOnlyAlonePerCaseAndAtLeastASecondApart) {
  const std::string ledger = "[[case]]\nname = \"l\"\nworkload = \"ledger\"\nworkers = 2\nduration = \"3s\"\n";
  const Scenario s = ParseScenario(ledger + "server_crash_every = \"1500ms\"\n", "s.toml");
  EXPECT_EQ(s.cases[0].ledger.server_crash_every.count(), 1500);
  EXPECT_EQ(s.CrashWhere(), "s.toml:6:22");
  EXPECT_EQ(ParseScenario(ledger, "s.toml").CrashWhere(), "");
  EXPECT_THAT(ErrorOf(ledger + "server_crash_every = \"200ms\"\n"),
              HasSubstr("s.toml:6:22: 'server_crash_every' must be 0 (off) or at least 1s"));
  EXPECT_THAT(ErrorOf(ledger + "server_crash_every = \"2s\"\nbackend_kill_every = \"1s\"\n"),
              HasSubstr("'server_crash_every' cannot be combined with deadlock_injection or backend_kill_every"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "server_crash_every = \"2s\"\n"),
              HasSubstr("s.toml:7:22: 'server_crash_every' needs workload = \"ledger\""));
}

// The key table says which workloads read a fault's keys, and the loader
// refuses them elsewhere with that table's words (kMinimal is a race case).
TEST(ScenarioLoader, FaultKeysAreLedgerOnlyAsTheirRowsSay) {
  for (const char* key : {"backend_kill_every = \"1s\"", "deadlock_injection = true", "deadlock_every = \"1s\""}) {
    const std::string name = std::string(key).substr(0, std::string(key).find(' '));
    EXPECT_THAT(ErrorOf(std::string(kMinimal) + key + "\n"), HasSubstr("'" + name + "' needs workload = \"ledger\""))
        << key;
  }
  const std::string ledger = "[[case]]\nname = \"l\"\nworkload = \"ledger\"\nworkers = 2\nduration = \"3s\"\n";
  EXPECT_EQ(ParseScenario(ledger + "backend_kill_every = \"1s\"\n", "s.toml").cases[0].ledger.backend_kill_every.count(), 1000);
  // --set is for the cases that read the key: the race case of a mixed
  // scenario keeps its default and gets no fault.
  LoadOptions o;
  o.overrides = {"backend_kill_every=1s", "deadlock_injection=true", "lost_reply_every=1s"};
  const Scenario mixed = ParseScenario(std::string(kMinimal) + ledger + "mix = { pledge_funds = 1 }\n", "s.toml", o);
  ASSERT_EQ(mixed.cases.size(), 2u);
  EXPECT_EQ(mixed.cases[0].ledger.backend_kill_every.count(), 0);
  EXPECT_FALSE(mixed.cases[0].ledger.deadlock_injection);
  EXPECT_EQ(mixed.cases[0].ledger.lost_reply_every.count(), 0);
  EXPECT_EQ(mixed.cases[1].ledger.backend_kill_every.count(), 1000);
  EXPECT_TRUE(mixed.cases[1].ledger.deadlock_injection);
}

TEST(ScenarioLoader, ShippedScenariosAreValid) {
  const Scenario race = LoadScenarioFile(LEDGERSTRESS_SOURCE_DIR "/scenarios/wallet_race.toml");
  EXPECT_EQ(race.cases.size(), 5u);
  EXPECT_EQ(race.MaxWorkers(), 100);
  const Scenario close = LoadScenarioFile(LEDGERSTRESS_SOURCE_DIR "/scenarios/close_5000.toml");
  EXPECT_EQ(close.cases[1].strategies.at("close_project_success"), "batched");
  EXPECT_EQ(close.cases[1].expect, Expectation::kViolation);
  LoadScenarioFile(LEDGERSTRESS_SOURCE_DIR "/scenarios/close_1000.toml");
  const Scenario crash = LoadScenarioFile(LEDGERSTRESS_SOURCE_DIR "/scenarios/crash.toml");
  EXPECT_FALSE(crash.CrashWhere().empty());
  EXPECT_EQ(crash.cases[0].session.at(0).second, "off");
  const Scenario open = LoadScenarioFile(LEDGERSTRESS_SOURCE_DIR "/scenarios/close_5000_open.toml");
  for (const CaseSpec& c : open.cases) {
    EXPECT_DOUBLE_EQ(c.arrival_rate_per_s, 300) << c.name;
    EXPECT_TRUE(c.arrival_poisson) << c.name;
  }
}

const char kClose[] = R"([[case]]
name = "c"
workload = "close"
escrows = 200
)";

TEST(ScenarioLoader, CloseWorkloadDefaultsToBackgroundPledgesAndDeposits) {
  const Scenario s = ParseScenario(std::string(kClose) + "workers = 2\n", "s.toml");
  const CaseSpec& c = s.cases[0];
  EXPECT_EQ(c.workload, Workload::kClose);
  EXPECT_EQ(c.mix.size(), 2u);
  EXPECT_EQ(c.strategies.at("close_project_success"), "keyset");
  EXPECT_EQ(c.close.release_batch_size, 100);
  EXPECT_EQ(c.commission_rate_ppm, 50000);
  EXPECT_TRUE(ParseScenario(kClose, "s.toml").cases[0].mix.empty()) << "no workers, no background mix";
}

// A schedule key given to a workload that runs none says what it runs
// instead: the explorer's said the close's reason before.
TEST(ScenarioLoader, AScheduleKeyOnTheExplorerSaysWhatItRunsInstead) {
  const std::string explore = "[[operation]]\nname = \"op\"\nstatements = [\"SELECT 1\"]\n"
                              "[[case]]\nname = \"c\"\nworkload = \"explore\"\nsessions = [[\"op\"], [\"op\"]]\n";
  const std::string e = ErrorOf(explore + "duration = \"1s\"\n");
  EXPECT_THAT(e, HasSubstr("'duration' does not apply to workload = \"explore\": it runs orders of its sessions"));
  EXPECT_THAT(e, Not(HasSubstr("close")));
  EXPECT_THAT(ErrorOf(explore + "workers = 2\n"), HasSubstr("'workers' needs workload = \"race\" or \"close\""));
}

// An operation's key given in a case says where it belongs (a new user
// wrote isolation in a case and got only "unknown key").
TEST(ScenarioLoader, AnOperationKeyInACaseSaysItBelongsToTheOperation) {
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "isolation = \"serializable\"\n"),
              HasSubstr("unknown key 'isolation' (a key of [[operation]], not of a case)"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "workerz = 3\n"), Not(HasSubstr("[[operation]]")));
}

TEST(ScenarioLoader, CloseWorkloadKeysAreCheckedWhereTheyApply) {
  EXPECT_THAT(ErrorOf(std::string(kClose) + "calls_per_worker = 3\n"),
              HasSubstr("'calls_per_worker' does not apply to workload = \"close\""));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "escrows = 3\n"), HasSubstr("'escrows' needs workload = \"close\""));
  EXPECT_THAT(ErrorOf(std::string(kClose) + "commission_rate = 0.0000001\n"),
              HasSubstr("at most 6 decimals"));
  EXPECT_THAT(ErrorOf(std::string(kClose) + "commission_rate = 0.6\nfee_rate = 0.5\n"),
              HasSubstr("must not exceed 1"));
  EXPECT_THAT(ErrorOf(std::string(kClose) + "mix.saka_get_or_create_wallet = 1\n"),
              HasSubstr("the mix is for background workers"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "mix.pledge_funds = 1\n"), HasSubstr("does not run in a race"));
  EXPECT_THAT(ErrorOf(std::string(kClose) + "workload = \"closing\"\n"), HasSubstr("cannot redefine"));
  EXPECT_THAT(ErrorOf("[[case]]\nname = \"c\"\nworkload = \"closing\"\n"),
              HasSubstr("'workload' must be \"race\", \"close\", \"ledger\" or \"explore\""));
}

}  // namespace
}  // namespace ledgerstress

namespace ledgerstress {
namespace {

TEST(ScenarioLoader, RetryAndFaultKeysAreValidated) {
  const std::string ledger = "[[case]]\nname = \"l\"\nworkload = \"ledger\"\nworkers = 2\nduration = \"1s\"\n";
  const Scenario s = ParseScenario(ledger + "retry = \"per_transaction\"\ndeadlock_injection = true\n", "s.toml");
  EXPECT_EQ(s.cases[0].retry, settlement::RetryStrategy::kPerTransaction);
  EXPECT_TRUE(s.cases[0].ledger.deadlock_injection);
  EXPECT_EQ(s.cases[0].mix.count("pledge_funds"), 1u);
  std::string error;
  try {
    ParseScenario(ledger + "retry = \"per_transation\"\n", "s.toml");
  } catch (const ScenarioError& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("(did you mean 'per_transaction'?)"), std::string::npos) << error;
  try {
    ParseScenario(ledger + "mix = { deposit = 1 }\ndeadlock_injection = true\n", "s.toml");
    error.clear();
  } catch (const ScenarioError& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("injects into pledge_funds"), std::string::npos) << error;
  const Scenario v = ParseScenario(ledger + "expect = \"violation\"\nviolates = [\"retry_discipline\"]\nretry = \"in_transaction\"\n",
                                   "s.toml");
  EXPECT_EQ(v.cases[0].violates, std::vector<std::string>{"retry_discipline"});
}

TEST(ScenarioLoader, DuplicatesLostRepliesAndPledgesIntoTheClosingProjectAreValidated) {
  const std::string ledger = "[[case]]\nname = \"l\"\nworkload = \"ledger\"\nworkers = 2\nduration = \"1s\"\n";
  const Scenario s = ParseScenario(ledger + "duplicate_rate = 0.25\nlost_reply_every = \"150ms\"\n", "s.toml");
  EXPECT_DOUBLE_EQ(s.cases[0].ledger.duplicate_rate, 0.25);
  EXPECT_EQ(s.cases[0].ledger.lost_reply_every.count(), 150);
  EXPECT_EQ(ErrorOf(ledger + "duplicate_rate = 1.5\n"), "s.toml:6:18: 'duplicate_rate' must be from 0 to 1, got 1.5");
  EXPECT_THAT(ErrorOf(ledger + "lost_reply_every = \"5ms\"\n"), HasSubstr("'lost_reply_every' must be 0 (off) or at least 10ms"));
  const std::string close = "[[case]]\nname = \"c\"\nworkload = \"close\"\nescrows = 10\n";
  EXPECT_DOUBLE_EQ(ParseScenario(close + "pledges_into_closing = 0.3\n", "s.toml").cases[0].close.pledges_into_closing, 0.3);
  // Each key belongs to the workload that reads it.
  EXPECT_THAT(ErrorOf(close + "duplicate_rate = 0.1\n"), HasSubstr("'duplicate_rate'"));
  EXPECT_THAT(ErrorOf(ledger + "pledges_into_closing = 0.1\n"), HasSubstr("'pledges_into_closing'"));
  EXPECT_THAT(ErrorOf(close + "lost_reply_every = \"1s\"\n"), HasSubstr("'lost_reply_every'"));
}

TEST(ScenarioLoader, SessionSettingsAreReadInOrderAsText) {
  const Scenario s = ParseScenario(std::string(kMinimal) + "session.synchronous_commit = \"off\"\n"
                                   "session.work_mem = 4096\nsession.jit = false\n", "s.toml");
  const auto& session = s.cases[0].session;
  ASSERT_EQ(session.size(), 3u);
  EXPECT_EQ(session[0], (std::pair<std::string, std::string>{"jit", "off"}));  // sub-keys in key order
  EXPECT_EQ(session[1], (std::pair<std::string, std::string>{"synchronous_commit", "off"}));
  EXPECT_EQ(session[2], (std::pair<std::string, std::string>{"work_mem", "4096"}));
  EXPECT_THAT(s.cases[0].session_where[1], HasSubstr("s.toml:"));
}

TEST(ScenarioLoader, SessionSettingsTheHarnessOwnsOrThatAreNoNameAreRefused) {
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "session.search_path = \"x\"\n"),
              HasSubstr("'session.search_path': the harness sets search_path itself"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "session.lock_timeout = \"1s\"\n"),
              HasSubstr("use the case key 'lock_timeout'"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "session.\"work_mem; DROP TABLE x\" = \"1\"\n"),
              HasSubstr("is not a setting name"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "session.work_mem = 1.5\n"),
              HasSubstr("must be a string, an integer or a boolean"));
}

}  // namespace
}  // namespace ledgerstress
