// The explorer's pure parts: which schedules exist, their ids, PCT's
// draws and bound, and the loader's refusals of what cannot be explored.
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/engine/explore_plan.h"
#include "harness/engine/explore_schedules.h"
#include "harness/engine/explore_spec.h"
#include "harness/engine/explore_workload.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/replace_once.h"
#include "tests/unit/load_error.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;
using ledgerstress::testing::LoadError;
using ledgerstress::testing::ReplaceOnce;

TEST(ExploreSchedules, CountsTheInterleavingsAsTheMultinomial) {
  EXPECT_EQ(InterleavingCount({4, 4}), 70u);
  EXPECT_EQ(InterleavingCount({5, 5}), 252u);
  EXPECT_EQ(InterleavingCount({4, 4, 4}), 34650u);
  EXPECT_EQ(InterleavingCount({3}), 1u);
  EXPECT_EQ(InterleavingCount({40, 40, 40, 40}), UINT64_MAX);  // does not fit: said so, not wrapped
}

TEST(ExploreSchedules, EveryIdIsADistinctValidInterleavingInLexicographicOrder) {
  const std::vector<int> steps = {3, 2, 2};
  const std::uint64_t n = InterleavingCount(steps);
  std::set<StepOrder> seen;
  StepOrder previous;
  for (std::uint64_t id = 0; id < n; ++id) {
    const StepOrder s = NthInterleaving(steps, id);
    ASSERT_EQ(s.size(), 7u);
    EXPECT_EQ(std::count(s.begin(), s.end(), 0), 3);
    EXPECT_EQ(std::count(s.begin(), s.end(), 2), 2);
    if (id > 0) EXPECT_LT(previous, s) << id;
    previous = s;
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), n);
  EXPECT_EQ(NthInterleaving({2, 2}, 0), (StepOrder{0, 0, 1, 1}));
  EXPECT_EQ(NthInterleaving({2, 2}, 5), (StepOrder{1, 1, 0, 0}));
}

TEST(ExploreSchedules, PctDrawsTheSameScheduleForTheSameSeedAndIdAndVariesOtherwise) {
  const std::vector<int> steps = {6, 6, 6};
  EXPECT_EQ(PctSchedule(steps, 2, 7, 3), PctSchedule(steps, 2, 7, 3));
  std::set<StepOrder> distinct;
  for (std::uint64_t id = 0; id < 50; ++id) {
    const StepOrder s = PctSchedule(steps, 2, 7, id);
    ASSERT_EQ(s.size(), 18u);
    for (int k = 0; k < 3; ++k) EXPECT_EQ(std::count(s.begin(), s.end(), k), 6);
    distinct.insert(s);
  }
  EXPECT_GT(distinct.size(), 10u);
  EXPECT_NE(PctSchedule(steps, 2, 7, 0), PctSchedule(steps, 2, 8, 0));
}

TEST(ExploreSchedules, PctWithDepthOneRunsSessionsOneAfterAnother) {
  // No change point: the highest priority runs to its end, then the next.
  const StepOrder s = PctSchedule({3, 3}, 1, 11, 0);
  EXPECT_EQ(ContextSwitches(s), 1);
}

TEST(ExploreSchedules, StatesPctsBoundAndTheSchedulesFor99Percent) {
  EXPECT_DOUBLE_EQ(PctProbability(2, 18, 2), 1.0 / 36);
  EXPECT_EQ(PctSchedulesFor99(1.0 / 36), 164u);  // 1 - (35/36)^164 >= 0.99 > 1 - (35/36)^163
  EXPECT_EQ(PctSchedulesFor99(1), 1u);
}

TEST(ExploreSchedules, CountsContextSwitchesAndPrintsSessionsFromOne) {
  EXPECT_EQ(ContextSwitches({0, 0, 1, 1, 0}), 2);
  EXPECT_EQ(ScheduleText({0, 0, 1}), "1 1 2");
}

const char kScenario[] = R"toml(name = "x"
[schema]
sql = "CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)"
fixture = "INSERT INTO t VALUES (1, 0)"
[[operation]]
name = "bump"
params.n = { int = [1, 5] }
statements = [
  { sql = "SELECT v AS old FROM t WHERE id = 1", gset = true },
  "UPDATE t SET v = :old + :n WHERE id = 1",
]
[[operation]]
name = "auto"
transaction = false
statements = ["UPDATE t SET v = v + 1"]
[[case]]
name = "c"
workload = "explore"
sessions = [["bump"], [{ op = "bump", n = 3 }, "bump"]]
)toml";

TEST(ExploreLoader, ReadsSessionsWithDrawnAndFixedParamsAndPlansTheirSteps) {
  const Scenario s = ParseScenario(kScenario, "s.toml", {});
  const CaseSpec& c = s.cases.at(0);
  ASSERT_EQ(c.explore.sessions.size(), 2u);
  EXPECT_EQ(c.workers, 2);
  EXPECT_EQ(c.explore.sessions[1][0].fixed.at("n"), "3");
  const std::vector<ExploreSessionPlan> plan = PlanExplore(c);
  EXPECT_EQ(StepCounts(plan), (std::vector<int>{4, 8}));  // BEGIN, 2 statements, COMMIT per call
  EXPECT_EQ(plan[1].calls[0].params.at(0), "3");
  EXPECT_EQ(PlanExplore(c)[0].calls[0].params, plan[0].calls[0].params);  // drawn from the case seed
  const ExploreChoice choice = ChooseSchedules(c);
  EXPECT_EQ(choice.mode, "every interleaving");
  EXPECT_EQ(choice.ids.size(), 495u);
  EXPECT_EQ(ExploreAnnouncement(c), "2 sessions, 12 steps: 495 interleavings, every one runs");
}

TEST(ExploreLoader, SwitchesToPctBeyondMaxSchedulesAndStatesTheBound) {
  Scenario s = ParseScenario(ReplaceOnce(kScenario, "workload = \"explore\"", "workload = \"explore\"\nmax_schedules = 100"),
                             "s.toml", {});
  const ExploreChoice choice = ChooseSchedules(s.cases.at(0));
  EXPECT_EQ(choice.mode, "pct");
  EXPECT_EQ(choice.ids.size(), 100u);  // 99% needs more (1/24 each: 109), capped at max_schedules
  EXPECT_THAT(choice.guarantee, HasSubstr("probability >= 1/24; 100 schedules give 98.6% (109 give 99%"));
}

TEST(ExploreLoader, RefusesWhatCannotBeExploredAtItsPosition) {
  EXPECT_THAT(LoadError(ReplaceOnce(kScenario, "[[\"bump\"], [{", "[[\"bumb\"], [{")),
              HasSubstr("s.toml:19:14: no operation 'bumb' (did you mean 'bump'?)"));
  EXPECT_THAT(LoadError(ReplaceOnce(kScenario, "[[\"bump\"], [{", "[[\"auto\"], [{")),
              HasSubstr("s.toml:19:14: operation 'auto' has transaction = false"));
  EXPECT_THAT(LoadError(ReplaceOnce(kScenario, "sessions = [[\"bump\"],", "sessions = [[\"bump\"], [\"bump\"], [\"bump\"], [\"bump\"], [\"bump\"],")),
              HasSubstr("s.toml:19:12: 'sessions' has 6 session(s): the explorer interleaves 2 to 4"));
  EXPECT_THAT(LoadError(ReplaceOnce(kScenario, "n = 3", "m = 3")),
              HasSubstr("s.toml:19:24: operation 'bump' has no param 'm' (did you mean 'n'?) (its params: 'n')"));
  EXPECT_THAT(LoadError(ReplaceOnce(kScenario, "workload = \"explore\"", "workload = \"explore\"\nworkers = 4")),
              HasSubstr("s.toml:19:11: 'workers' needs workload = \"race\" or \"close\" or \"ledger\""));
  EXPECT_THAT(LoadError(ReplaceOnce(kScenario, "workload = \"explore\"", "workload = \"explore\"\nmix.bump = 1")),
              HasSubstr("'mix' needs workload ="));
  EXPECT_THAT(LoadError(ReplaceOnce(kScenario, "sessions = [[\"bump\"], [{ op = \"bump\", n = 3 }, \"bump\"]]", "")),
              HasSubstr("'sessions'"));
}

TEST(ExploreLoader, RefusesAFixedKeyAndAFixtureGenerator) {
  const std::string keyed = ReplaceOnce(ReplaceOnce(kScenario, "params.n = { int = [1, 5] }", "params.n = { int = [1, 5] }\nparams.k = { unique = true }"),
                                        "WHERE id = 1\",\n]", "WHERE id = 1 AND :k <> ''\",\n]");
  EXPECT_THAT(LoadError(ReplaceOnce(keyed, "n = 3", "k = \"x\"")),
              HasSubstr("param 'k' of operation 'bump' is the call's key ({ unique = true })"));
  const std::string builtin = "[[operation]]\nname = \"w\"\nparams.u = { fixture = \"donor\" }\n"
                              "statements = [\"SELECT :u\"]\n[[case]]\nname = \"c\"\nworkload = \"explore\"\n"
                              "sessions = [[\"w\"], [\"w\"]]\n";
  EXPECT_THAT(LoadError(builtin), HasSubstr("{ fixture = \"donor\" } draws from the race, close and ledger"));
}

TEST(ExploreSpec, CarriesTheSessionSettingsTheBuiltInFixtureAndNumberedChecks) {
  const std::string text = "[[operation]]\nname = \"w\"\nparams.u = { int = [1, 10] }\n"
                           "statements = [\"INSERT INTO saka_wallet (user_id) VALUES (:u)\"]\n"
                           "[[sql_invariant]]\nname = \"no-dupes\"\nquery = \"SELECT 1 WHERE false\"\nmessage = \"m\"\n"
                           "[[case]]\nname = \"c\"\nworkload = \"explore\"\nlock_timeout = \"2s\"\n"
                           "session.synchronous_commit = \"off\"\nsessions = [[\"w\"], [\"w\"]]\n";
  const CaseSpec c = ParseScenario(text, "s.toml", {}).cases.at(0);
  ScheduleRun run;
  run.sql = {{"BEGIN", "INSERT INTO saka_wallet (user_id) VALUES ('3')", "COMMIT"}, {"BEGIN", "x", "COMMIT"}};
  run.sent = {{0, 0}, {1, 0}, {0, 1}, {0, 2}};
  const std::string spec = IsolationSpec(c, 4, run, {"no-dupes"});
  EXPECT_THAT(spec, HasSubstr("INSERT INTO app_user (email) SELECT 'user' || g"));
  EXPECT_THAT(spec, HasSubstr("SET lock_timeout = '2000ms'; SET statement_timeout = '30000ms'; SET synchronous_commit = 'off';"));
  EXPECT_THAT(spec, HasSubstr("# no-dupes\nstep check_1 { SELECT 1 WHERE false; }"));
  EXPECT_THAT(spec, HasSubstr("permutation s1_1 s2_1 s1_2 s1_3 check_1\n"));
  EXPECT_EQ(spec.find("step s2_2"), std::string::npos);  // a step not sent is not declared (the tester refuses unused steps)
}

TEST(ExploreLoader, RefusesADriverCase) {
  const std::string text = ReplaceOnce(ReplaceOnce(kScenario, "[[case]]", "[drivers.py]\ncommand = [\"/bin/true\"]\n[[case]]"),
                                       "workload = \"explore\"", "workload = \"explore\"\ndriver = \"py\"");
  EXPECT_THAT(LoadError(text), HasSubstr("workload = \"explore\" runs [[operation]] statements one by one"));
}

}  // namespace
}  // namespace ledgerstress
