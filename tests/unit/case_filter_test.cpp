// --case PATTERN (run and sweep): globs, ':'-separated lists, the cases kept
// and the error for a pattern that matches no case.
#include "harness/scenario/case_filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"

namespace ledgerstress {
namespace {

using ::testing::ElementsAre;

const char kCloses[] = R"(name = "closes"
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
name = "keyset/two_closers"
strategy.close_project_success = "keyset"
[[case]]
name = "set_based/two_closers"
strategy.close_project_success = "set_based"
)";

std::vector<std::string> Selected(const std::vector<std::string>& values) {
  Scenario s = ParseScenario(kCloses, "s.toml");
  SelectCases(SplitCasePatterns(values), &s);
  std::vector<std::string> names;
  for (const CaseSpec& c : s.cases) names.push_back(c.name);
  return names;
}

std::string ErrorOf(const std::vector<std::string>& values) {
  try {
    Selected(values);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(GlobMatch, StarQuestionMarkAndLiteralsMatchTheWholeName) {
  EXPECT_TRUE(GlobMatch("keyset", "keyset"));
  EXPECT_FALSE(GlobMatch("keyset", "keyset/two_closers"));  // the whole name, not a part
  EXPECT_TRUE(GlobMatch("keyset*", "keyset/two_closers"));  // '*' crosses '/'
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*two_closers", "set_based/two_closers"));
  EXPECT_TRUE(GlobMatch("k?yset", "keyset"));
  EXPECT_FALSE(GlobMatch("k?yset", "kyset"));
  EXPECT_TRUE(GlobMatch("*a*b*c", "xxaxxbxxbc"));  // backtracks
  EXPECT_FALSE(GlobMatch("*a*b*c", "xxaxxbxxcb"));
  EXPECT_FALSE(GlobMatch("", "a"));
}

TEST(CaseFilter, NoPatternKeepsEveryCase) {
  EXPECT_THAT(Selected({}), ElementsAre("keyset", "set_based", "keyset/two_closers", "set_based/two_closers"));
}

TEST(CaseFilter, KeepsTheCasesAnyPatternMatchesInTheirOrder) {
  EXPECT_THAT(Selected({"keyset"}), ElementsAre("keyset"));
  EXPECT_THAT(Selected({"*/two_closers"}), ElementsAre("keyset/two_closers", "set_based/two_closers"));
  // ':' and a repeated option are the same; a case matched twice runs once.
  EXPECT_THAT(Selected({"set_based:keyset*"}), ElementsAre("keyset", "set_based", "keyset/two_closers"));
  EXPECT_THAT(Selected({"set_based", "keyset*", "keyset"}), ElementsAre("keyset", "set_based", "keyset/two_closers"));
}

TEST(CaseFilter, APatternThatMatchesNoCaseNamesWhatItMayHaveMeant) {
  EXPECT_EQ(ErrorOf({"keyst"}), "s.toml: --case 'keyst': no case matches (did you mean 'keyset'?)");
  EXPECT_EQ(ErrorOf({"two_closers"}),
            "s.toml: --case 'two_closers': no case matches (did you mean '*two_closers*'? it matches "
            "'keyset/two_closers' and 'set_based/two_closers')");
  EXPECT_EQ(ErrorOf({"zzz"}),
            "s.toml: --case 'zzz': no case matches (the cases: 'keyset', 'set_based', 'keyset/two_closers', "
            "'set_based/two_closers')");
  // Every pattern must match: one good one does not excuse another.
  EXPECT_EQ(ErrorOf({"keyset:keyst"}), "s.toml: --case 'keyst': no case matches (did you mean 'keyset'?)");
}

TEST(CaseFilter, AnEmptyPatternIsRefused) {
  EXPECT_EQ(ErrorOf({"keyset:"}), "--case 'keyset:': an empty pattern (patterns are separated by ':')");
  EXPECT_EQ(ErrorOf({""}), "--case '': an empty pattern (patterns are separated by ':')");
  EXPECT_THAT(SplitCasePatterns({"a:b*", "c"}), ElementsAre("a", "b*", "c"));
}

}  // namespace
}  // namespace ledgerstress
