// The sweep's recommendation rule, on hand-made figures: each branch of the
// rule fires and each exclusion holds.
#include "model/sweep_recommend.h"

#include <gtest/gtest.h>

#include "reports/sweep_report.h"

namespace ledgerstress {
namespace {

SweepCaseFigures Case(const std::string& name, double close_s, double p99_ms, Verdict verdict = Verdict::kPass,
                      const std::string& expect = "pass") {
  SweepCaseFigures f;
  f.name = name;
  f.expect = expect;
  f.verdict = verdict;
  f.has_close = true;
  f.close_seconds = close_s;
  f.user_p99_ms["deposit"] = p99_ms;
  f.user_p99_ms["pledge_funds"] = p99_ms / 2;
  if (verdict != Verdict::kPass) f.violated = {"no_stranded_escrow"};
  return f;
}

SweepPoint Point(const std::string& value, std::vector<SweepCaseFigures> cases) {
  SweepPoint p;
  p.settings = {{"release_batch_size", value}};
  p.cases = std::move(cases);
  p.verdict = Verdict::kPass;
  return p;
}

SweepResult Sweep(std::vector<SweepPoint> points) {
  SweepResult s;
  s.keys = {"release_batch_size"};
  s.p99_budget_ms = 50;
  s.tolerance = 0.10;
  s.points = std::move(points);
  return s;
}

TEST(SweepRecommend, WithinToleranceTheLowestP99Wins) {
  // 500 and 1000 are within 10% of the fastest; 500 disturbs users less.
  SweepResult s = Sweep({Point("100", {Case("keyset", 0.70, 20)}), Point("500", {Case("keyset", 0.29, 30)}),
                         Point("1000", {Case("keyset", 0.27, 45)})});
  const SweepRecommendation r = Recommend(s);
  ASSERT_TRUE(r.made);
  EXPECT_EQ(r.point, 1u);
  EXPECT_NE(r.reason.find("release_batch_size=500"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("deposit p99 30.0 ms"), std::string::npos) << r.reason;
  EXPECT_NE(r.rule.find("50 ms"), std::string::npos);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("release_batch_size=1000 is 7% faster"), std::string::npos) << r.notes[0];
}

TEST(SweepRecommend, WithAnArrivalRateTheRuleJudgesTheCorrectedP99AndSaysSo) {
  std::vector<SweepPoint> points = {Point("100", {Case("keyset", 0.70, 20)}), Point("500", {Case("keyset", 0.29, 30)})};
  const SweepRecommendation closed = Recommend(Sweep(points));
  EXPECT_EQ(closed.p99_used, "service");
  EXPECT_NE(closed.rule.find("closed loop"), std::string::npos) << closed.rule;
  EXPECT_EQ(closed.reason.find("corrected"), std::string::npos) << closed.reason;
  for (SweepPoint& p : points) p.cases[0].p99_corrected = true;
  const SweepRecommendation open = Recommend(Sweep(points));
  EXPECT_EQ(open.p99_used, "corrected");
  EXPECT_NE(open.rule.find("intended start"), std::string::npos) << open.rule;
  EXPECT_NE(open.reason.find("deposit corrected p99 30.0 ms"), std::string::npos) << open.reason;
}

TEST(SweepRecommend, AFasterValueOverBudgetIsNotRecommendedAndTheNoteSaysWhy) {
  SweepResult s = Sweep({Point("100", {Case("keyset", 0.70, 40)}), Point("1000", {Case("keyset", 0.27, 180)})});
  const SweepRecommendation r = Recommend(s);
  ASSERT_TRUE(r.made);
  EXPECT_EQ(r.point, 0u);
  EXPECT_NE(r.reason.find("no value within 10% of the fastest stays within budget"), std::string::npos) << r.reason;
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("180.0 ms"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[0].find("over the 50 ms budget"), std::string::npos) << r.notes[0];
}

TEST(SweepRecommend, AValueWhoseInvariantsFailIsNeverRecommended) {
  // 1000 is fastest and gentlest, but a case failed there.
  SweepResult s = Sweep({Point("100", {Case("keyset", 0.70, 40), Case("keyset/two_closers", 0.6, 40)}),
                         Point("1000", {Case("keyset", 0.20, 10), Case("keyset/two_closers", 0.2, 10, Verdict::kFail)})});
  const SweepRecommendation r = Recommend(s);
  ASSERT_TRUE(r.made);
  EXPECT_EQ(r.point, 0u);
  bool noted = false;
  for (const std::string& n : r.notes) {
    noted = noted || n.find("release_batch_size=1000 is never recommended: 'keyset/two_closers' fail "
                            "(no_stranded_escrow violated)") != std::string::npos;
  }
  EXPECT_TRUE(noted);
}

TEST(SweepRecommend, CasesExpectedToViolateDoNotCount) {
  // The known-bad case is caught at every value and slow at 100: ignored.
  SweepResult s = Sweep({Point("100", {Case("batched", 5.0, 500, Verdict::kCaught, "violation"), Case("keyset", 0.3, 20)}),
                         Point("500", {Case("batched", 0.1, 10, Verdict::kCaught, "violation"), Case("keyset", 0.3, 30)})});
  const SweepRecommendation r = Recommend(s);
  ASSERT_TRUE(r.made);
  EXPECT_EQ(r.point, 0u) << r.reason;
}

TEST(SweepRecommend, NothingWithinBudgetMeansNoRecommendation) {
  SweepResult s = Sweep({Point("100", {Case("keyset", 0.70, 60)}), Point("1000", {Case("keyset", 0.27, 180)})});
  const SweepRecommendation r = Recommend(s);
  EXPECT_FALSE(r.made);
  EXPECT_NE(r.reason.find("no recommendation"), std::string::npos);
  EXPECT_NE(r.reason.find("release_batch_size=100 with deposit p99 60.0 ms"), std::string::npos) << r.reason;
}

TEST(SweepRecommend, NoPassingValueMeansNoRecommendation) {
  SweepResult s = Sweep({Point("100", {Case("keyset", 0.70, 10, Verdict::kFail)})});
  const SweepRecommendation r = Recommend(s);
  EXPECT_FALSE(r.made);
  EXPECT_NE(r.reason.find("no value passed its invariants"), std::string::npos) << r.reason;
}

TEST(SweepRecommend, SeveralCasesTheSlowestCaseDecides) {
  // At 500 keyset is fastest but three_projects is 30% slower than its best.
  SweepResult s = Sweep({Point("100", {Case("keyset", 0.32, 20), Case("three", 1.0, 20)}),
                         Point("500", {Case("keyset", 0.30, 20), Case("three", 1.3, 20)})});
  const SweepRecommendation r = Recommend(s);
  ASSERT_TRUE(r.made);
  EXPECT_EQ(r.point, 0u) << r.reason;
  EXPECT_NE(r.reason.find("close time 7% above the fastest (in keyset), within 10%"), std::string::npos) << r.reason;
}

TEST(SweepRecommend, TableAndJsonCarryTheRecommendation) {
  SweepResult s = Sweep({Point("100", {Case("keyset", 0.70, 20)}), Point("500", {Case("keyset", 0.29, 30)})});
  s.recommendation = Recommend(s);
  const std::string table = RenderSweepTable(s);
  EXPECT_NE(table.find("recommendation: release_batch_size=500"), std::string::npos) << table;
  EXPECT_NE(table.find("release_batch_size  case"), std::string::npos) << table;
  const auto j = SweepToJson(s);
  EXPECT_EQ(j["schema"], "ledgerstress.sweep/1");
  EXPECT_EQ(j["recommendation"]["settings"]["release_batch_size"], "500");
  EXPECT_EQ(j["points"].size(), 2u);
  const std::string html = RenderSweepHtml(s);
  EXPECT_NE(html.find("recommendation: release_batch_size=500"), std::string::npos);
}

}  // namespace
}  // namespace ledgerstress
