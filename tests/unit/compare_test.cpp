#include "reports/compare.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/mann_whitney.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;

TEST(MannWhitney, ExactPValuesMatchTheTextbook) {
  // Completely separated samples of 5: 2 of the C(10,5) = 252 orderings are
  // this extreme.
  EXPECT_NEAR(MannWhitneyP({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}), 2.0 / 252, 1e-12);
  EXPECT_NEAR(MannWhitneyP({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5}), 2.0 / 252, 1e-12);
  // Interleaved samples: nothing to see.
  EXPECT_GT(MannWhitneyP({1, 3, 5, 7, 9}, {2, 4, 6, 8, 10}), 0.5);
  EXPECT_EQ(MannWhitneyP({}, {1}), 1.0);
  EXPECT_EQ(MannWhitneyP({2, 2, 2}, {2, 2, 2}), 1.0);
}

TEST(Median, MiddleValueOrMeanOfTheTwoMiddleOnes) {
  EXPECT_EQ(Median({}), 0);
  EXPECT_EQ(Median({3, 1, 2}), 2);
  EXPECT_EQ(Median({4, 1, 3, 2}), 2.5);
}

TEST(MannWhitney, TiesUseTheNormalApproximation) {
  const double p = MannWhitneyP({1, 1, 2, 2, 3, 3}, {4, 4, 5, 5, 6, 6});
  EXPECT_GT(p, 0.0);
  EXPECT_LT(p, 0.01);
}

RunResult Runs(const std::vector<double>& p99s, const std::string& case_name = "c") {
  RunResult r;
  for (double p99 : p99s) {
    CaseResult c;
    c.name = case_name;
    OperationResult op;
    op.name = "deposit";
    op.calls = 100;
    op.outcomes["ok"] = 100;
    op.latency.p99_ms = p99;
    c.operations.push_back(op);
    c.server.max_escrow_rows_locked = -1;
    c.server.max_wallet_rows_locked = -1;
    r.cases.push_back(c);
  }
  return r;
}

const MetricComparison* Row(const Comparison& c, const std::string& metric) {
  for (const auto& r : c.rows) {
    if (r.metric == metric) return &r;
  }
  return nullptr;
}

TEST(CompareRuns, ASignificantRegressionBeyondTheLimitFails) {
  CompareOptions o;
  ASSERT_TRUE(ParseFailRule("*.latency.p99:+10%", &o.fail_on.emplace_back()));
  const Comparison c = CompareRuns(Runs({10, 11, 10.5, 9.8, 10.2}), Runs({15, 16, 15.5, 14.9, 15.2}), o);
  const MetricComparison* r = Row(c, "deposit.latency.p99");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->tested);
  EXPECT_TRUE(r->significant);
  EXPECT_NEAR(r->change_percent, 48.8, 1);
  EXPECT_TRUE(c.failed);
  EXPECT_THAT(RenderComparisonText(c), HasSubstr("REGRESSION"));
}

TEST(CompareRuns, NoiseWithinTheLimitOrInsignificantDoesNotFail) {
  CompareOptions o;
  ASSERT_TRUE(ParseFailRule("*.latency.p99:+10%", &o.fail_on.emplace_back()));
  EXPECT_FALSE(CompareRuns(Runs({10, 11, 10.5, 9.8, 10.2}), Runs({10.1, 10.9, 10.4, 10, 10.6}), o).failed);
  // +30% in the median but the samples overlap: not significant.
  EXPECT_FALSE(CompareRuns(Runs({10, 20, 10, 20, 10}), Runs({13, 20, 13, 21, 9}), o).failed);
  // Improvements never fail.
  EXPECT_FALSE(CompareRuns(Runs({15, 16, 15.5, 14.9, 15.2}), Runs({10, 11, 10.5, 9.8, 10.2}), o).failed);
}

TEST(CompareRuns, WithoutRepetitionsItWarnsAndJudgesByTheDeltaAlone) {
  CompareOptions o;
  ASSERT_TRUE(ParseFailRule("deposit.latency.*:+10", &o.fail_on.emplace_back()));
  const Comparison c = CompareRuns(Runs({10}), Runs({12}), o);
  EXPECT_FALSE(c.warnings.empty());
  EXPECT_FALSE(Row(c, "deposit.latency.p99")->tested);
  EXPECT_TRUE(c.failed) << "untestable but beyond the limit: fail";
}

TEST(CompareRuns, ListsCasesPresentOnOneSideOnly) {
  const Comparison c = CompareRuns(Runs({10}, "old"), Runs({10}, "new"), {});
  EXPECT_EQ(c.only_in_base, std::vector<std::string>{"old"});
  EXPECT_EQ(c.only_in_head, std::vector<std::string>{"new"});
  EXPECT_TRUE(c.rows.empty());
}

TEST(ParseFailRule, AcceptsPercentFormsAndRefusesGarbage) {
  FailRule r;
  ASSERT_TRUE(ParseFailRule("*.latency.p99:+10%", &r));
  EXPECT_EQ(r.pattern, "*.latency.p99");
  EXPECT_EQ(r.percent, 10);
  EXPECT_FALSE(ParseFailRule("nocolon", &r));
  EXPECT_FALSE(ParseFailRule("x:+ten%", &r));
}

}  // namespace
}  // namespace ledgerstress
