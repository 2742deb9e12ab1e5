#include "harness/engine/verdict.h"

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

CaseResult WithInvariant(const std::string& status, std::uint64_t calls = 10, std::uint64_t ok = 10) {
  CaseResult r;
  OperationResult op;
  op.calls = calls;
  op.outcomes["ok"] = ok;
  if (calls > ok) op.outcomes["other"] = calls - ok;
  r.operations.push_back(op);
  InvariantResult inv;
  inv.name = "one_wallet_per_user";
  inv.status = status;
  r.invariants.push_back(inv);
  return r;
}

CaseSpec Expecting(Expectation e, std::vector<std::string> violates = {}) {
  CaseSpec s;
  s.expect = e;
  s.violates = std::move(violates);
  return s;
}

TEST(DecideVerdict, PassWhenEverythingHolds) {
  CaseResult r = WithInvariant("held");
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, "pass");
  EXPECT_TRUE(r.GatePassed());
}

TEST(DecideVerdict, FailWhenAnInvariantBreaksUnexpectedly) {
  CaseResult r = WithInvariant("violated");
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, "fail");
  EXPECT_FALSE(r.GatePassed());
}

TEST(DecideVerdict, FailWhenErrorsExceedTheAllowedRate) {
  CaseResult r = WithInvariant("held", 10, 9);
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, "fail");
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_FALSE(r.checks[0].passed);

  CaseResult tolerated = WithInvariant("held", 10, 9);
  CaseSpec spec = Expecting(Expectation::kPass);
  spec.max_error_rate = 0.2;
  DecideVerdict(spec, &tolerated);
  EXPECT_EQ(tolerated.verdict, "pass");
}

TEST(DecideVerdict, CaughtWhenTheExpectedViolationIsSeen) {
  CaseResult r = WithInvariant("violated");
  DecideVerdict(Expecting(Expectation::kViolation, {"one_wallet_per_user"}), &r);
  EXPECT_EQ(r.verdict, "caught");
  EXPECT_TRUE(r.GatePassed());
}

TEST(DecideVerdict, FailWhenTheExpectedViolationIsMissed) {
  CaseResult r = WithInvariant("held");
  DecideVerdict(Expecting(Expectation::kViolation, {"one_wallet_per_user"}), &r);
  EXPECT_EQ(r.verdict, "fail");
  EXPECT_FALSE(r.GatePassed());
}

TEST(DecideVerdict, AnInvariantThatCouldNotBeCheckedIsAnError) {
  CaseResult r = WithInvariant("error");
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, "error");
}

TEST(DecideVerdict, NoCompletedCallNeverPasses) {
  CaseResult r = WithInvariant("held", 0, 0);
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, "fail");
}

}  // namespace
}  // namespace ledgerstress
