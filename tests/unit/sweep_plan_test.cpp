// Planning a sweep: --vary parsing, the grid, which cases run, and bad keys
// or values refused before anything runs.
#include "harness/sweep/sweep_plan.h"

#include <gtest/gtest.h>

#include <fstream>

namespace ledgerstress {
namespace {

// A scenario file of the running test's own: ctest runs the tests of this
// file in parallel processes, which must not rewrite each other's file.
std::string ScenarioFile() {
  const std::string path = ::testing::TempDir() + "/sweep_plan_" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml";
  std::ofstream(path) << R"(name = "plan"
[defaults]
workload = "close"
workers = 2
escrows = 10
donors = 10

[[case]]
name = "keyset"
strategy.close_project_success = "keyset"

[[case]]
name = "set_based"
strategy.close_project_success = "set_based"

[[case]]
name = "batched"
strategy.close_project_success = "batched"
)";
  return path;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepPlan, ParsesVary) {
  const Vary v = ParseVary("release_batch_size=25,100,500");
  EXPECT_EQ(v.key, "release_batch_size");
  EXPECT_EQ(v.values, (std::vector<std::string>{"25", "100", "500"}));
  EXPECT_NE(ErrorOf([] { ParseVary("release_batch_size"); }).find("expected KEY=v1,v2"), std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseVary("=1"); }).find("the key is empty"), std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseVary("workers=1,,2"); }).find("empty value"), std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseVary("workers=1,2,1"); }).find("listed twice"), std::string::npos);
}

TEST(SweepPlan, GridFirstKeySlowestAndOnlyCasesReadingTheKey) {
  const SweepPlan p = PlanSweep(ScenarioFile(), {}, {ParseVary("release_batch_size=10,20"), ParseVary("workers=1,3")}, {});
  ASSERT_EQ(p.points.size(), 4u);
  EXPECT_EQ(p.points[1], (std::vector<std::pair<std::string, std::string>>{{"release_batch_size", "10"}, {"workers", "3"}}));
  EXPECT_EQ(p.points[2][0].second, "20");
  // workers is read by every case, so all three run.
  EXPECT_EQ(p.swept_cases.size(), 3u);
  EXPECT_EQ(p.scenarios[3].cases[0].close.release_batch_size, 20);
  EXPECT_EQ(p.scenarios[3].cases[0].workers, 3);

  const SweepPlan q = PlanSweep(ScenarioFile(), {}, {ParseVary("release_batch_size=10,20")}, {});
  EXPECT_EQ(q.swept_cases, (std::vector<std::string>{"keyset", "batched"}));
  ASSERT_EQ(q.skipped_cases.size(), 1u);
  EXPECT_EQ(q.skipped_cases[0].first, "set_based");
  EXPECT_EQ(q.scenarios[1].cases.size(), 2u);
}

TEST(SweepPlan, CaseFilter) {
  const SweepPlan p = PlanSweep(ScenarioFile(), {}, {ParseVary("release_batch_size=10")}, {"keyset"});
  EXPECT_EQ(p.swept_cases, (std::vector<std::string>{"keyset"}));
  EXPECT_NE(ErrorOf([] { PlanSweep(ScenarioFile(), {}, {ParseVary("release_batch_size=10")}, {"keyst"}); })
                .find("--case 'keyst': no case matches (did you mean 'keyset'?)"),
            std::string::npos);
  // Globs, as for run --case: both batching closes.
  EXPECT_EQ(PlanSweep(ScenarioFile(), {}, {ParseVary("release_batch_size=10")}, {"*set", "b?tched"}).swept_cases,
            (std::vector<std::string>{"keyset", "batched"}));
  EXPECT_EQ(PlanSweep(ScenarioFile(), {}, {ParseVary("release_batch_size=10")}, {"*"}).swept_cases,
            (std::vector<std::string>{"keyset", "batched"}));
  EXPECT_NE(ErrorOf([] { PlanSweep(ScenarioFile(), {}, {ParseVary("release_batch_size=10")}, {"set_based"}); })
                .find("nothing to sweep"),
            std::string::npos);
}

TEST(SweepPlan, BadKeysAndValuesAreRefusedNamingTheVary) {
  const std::string f = ScenarioFile();
  EXPECT_NE(ErrorOf([&] { PlanSweep(f, {}, {ParseVary("release_batchsize=10")}, {}); })
                .find("--vary 'release_batchsize=10': unknown key 'release_batchsize' (did you mean 'release_batch_size'?)"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { PlanSweep(f, {}, {ParseVary("release_batch_size=10,ten")}, {}); })
                .find("--vary 'release_batch_size=ten': 'release_batch_size' must be an integer"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { PlanSweep(f, {}, {ParseVary("release_batch_size=0")}, {}); }).find("--vary 'release_batch_size=0'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { PlanSweep(f, {}, {ParseVary("workers=1"), ParseVary("workers=2")}, {}); }).find("varied twice"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { PlanSweep(f, {}, {}, {}); }).find("at least one --vary"), std::string::npos);
}

}  // namespace
}  // namespace ledgerstress
