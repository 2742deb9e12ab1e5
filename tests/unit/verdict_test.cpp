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
  EXPECT_EQ(r.verdict, Verdict::kPass);
  EXPECT_TRUE(r.GatePassed());
}

TEST(DecideVerdict, FailWhenAnInvariantBreaksUnexpectedly) {
  CaseResult r = WithInvariant("violated");
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_FALSE(r.GatePassed());
}

TEST(DecideVerdict, FailWhenErrorsExceedTheAllowedRate) {
  CaseResult r = WithInvariant("held", 10, 9);
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  ASSERT_EQ(r.checks.size(), 2u);  // error_rate, effective_calls
  EXPECT_EQ(r.checks[0].name, "error_rate");
  EXPECT_FALSE(r.checks[0].passed);

  CaseResult tolerated = WithInvariant("held", 10, 9);
  CaseSpec spec = Expecting(Expectation::kPass);
  spec.max_error_rate = 0.2;
  DecideVerdict(spec, &tolerated);
  EXPECT_EQ(tolerated.verdict, Verdict::kPass);
}

TEST(DecideVerdict, CaughtWhenTheExpectedViolationIsSeen) {
  CaseResult r = WithInvariant("violated");
  DecideVerdict(Expecting(Expectation::kViolation, {"one_wallet_per_user"}), &r);
  EXPECT_EQ(r.verdict, Verdict::kCaught);
  EXPECT_TRUE(r.GatePassed());
}

TEST(DecideVerdict, FailWhenTheExpectedViolationIsMissed) {
  CaseResult r = WithInvariant("held");
  DecideVerdict(Expecting(Expectation::kViolation, {"one_wallet_per_user"}), &r);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_FALSE(r.GatePassed());
}

TEST(DecideVerdict, AnInvariantThatCouldNotBeCheckedIsAnErrorNamingItAndTheServersWords) {
  CaseResult r = WithInvariant("error");
  r.invariants[0].message = "ERROR:  division by zero";
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_EQ(r.error, "invariant 'one_wallet_per_user' could not be checked: ERROR:  division by zero");
  EXPECT_EQ(r.verdict_reason, r.error);
  EXPECT_TRUE(r.cannot_run.empty());
}

TEST(DecideVerdict, EveryInvariantThatCouldNotBeCheckedIsNamed) {
  CaseResult r = WithInvariant("error");
  r.invariants[0].message = "ERROR:  division by zero";
  InvariantResult held{"credit", "held", "no row", 0, {}, {}, {}};
  InvariantResult other{"debit", "error", "ERROR:  relation \"x\" does not exist", 0, {}, {}, {}};
  r.invariants.push_back(held);
  r.invariants.push_back(other);
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.error,
            "invariant 'one_wallet_per_user' could not be checked: ERROR:  division by zero; "
            "invariant 'debit' could not be checked: ERROR:  relation \"x\" does not exist");
}

TEST(DecideVerdict, CheckedInvariantsLeaveNoError) {
  CaseResult r = WithInvariant("held");
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_TRUE(r.error.empty());
}

TEST(DecideVerdict, NoCompletedCallNeverPasses) {
  CaseResult r = WithInvariant("held", 0, 0);
  DecideVerdict(Expecting(Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, Verdict::kFail);
}

}  // namespace
}  // namespace ledgerstress

namespace ledgerstress {
namespace {

TEST(DecideVerdict, ACrossedThresholdFailsEvenACaughtCase) {
  CaseResult r = WithInvariant("violated");
  r.operations[0].name = "saka_get_or_create_wallet";
  r.operations[0].latency.p99_ms = 80;
  CaseSpec spec = Expecting(Expectation::kViolation, {"one_wallet_per_user"});
  Threshold t;
  std::string error;
  ASSERT_TRUE(ParseThreshold("saka_get_or_create_wallet.latency.p99", MetricKind::kLatencyMs, "< 50ms", &t, &error));
  spec.thresholds.push_back(t);
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.verdict_reason.find("crossed < 50ms"), std::string::npos) << r.verdict_reason;
}

TEST(DecideVerdict, ThresholdsWithinLimitsPass) {
  CaseResult r = WithInvariant("held");
  r.operations[0].name = "deposit";
  r.operations[0].latency.p99_ms = 20;
  CaseSpec spec = Expecting(Expectation::kPass);
  Threshold a, b;
  std::string error;
  ASSERT_TRUE(ParseThreshold("deposit.latency.p99", MetricKind::kLatencyMs, "< 50ms", &a, &error));
  ASSERT_TRUE(ParseThreshold("deposit.error_rate", MetricKind::kRatio, "<= 1%", &b, &error));
  spec.thresholds = {a, b};
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  EXPECT_EQ(r.checks.size(), 4u);  // error_rate, effective_calls and the two thresholds
}

const CheckResult* CheckNamed(const CaseResult& r, const std::string& name) {
  for (const CheckResult& c : r.checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

TEST(DecideVerdict, ACaseInWhichNoCallTookEffectIsNotAPass) {
  CaseResult r = WithInvariant("held", 10, 0);
  r.operations[0].outcomes.erase("other");
  r.operations[0].outcomes["expected"] = 10;  // every call refused by a business rule: no error at all
  CaseSpec spec = Expecting(Expectation::kPass);
  spec.max_error_rate = 0;
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.verdict_reason;
  const CheckResult* c = CheckNamed(r, "effective_calls");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->passed);
  EXPECT_NE(c->message.find("0 of 10 call(s) took effect"), std::string::npos) << c->message;
  EXPECT_NE(c->message.find("10 refused by a business rule"), std::string::npos) << c->message;
  EXPECT_TRUE(CheckNamed(r, "error_rate")->passed) << "refusals are not errors";

  CaseResult enough = WithInvariant("held", 10, 3);
  enough.operations[0].outcomes.erase("other");
  enough.operations[0].outcomes["expected"] = 7;
  spec.min_effective_calls = 3;
  DecideVerdict(spec, &enough);
  EXPECT_EQ(enough.verdict, Verdict::kPass) << enough.verdict_reason;
}

TEST(DecideVerdict, InDoubtCallsHaveTheirOwnBudgetApartFromErrors) {
  CaseResult r = WithInvariant("held", 10, 6);
  r.operations[0].outcomes.erase("other");
  r.operations[0].outcomes["in_doubt"] = 4;
  CaseSpec spec = Expecting(Expectation::kPass);
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kPass) << "no limit by default: " << r.verdict_reason;
  EXPECT_EQ(CheckNamed(r, "in_doubt_rate"), nullptr);
  EXPECT_TRUE(CheckNamed(r, "error_rate")->passed) << "in doubt is not an error";

  CaseResult limited = r;
  limited.checks.clear();
  spec.max_in_doubt_rate = 0.1;
  DecideVerdict(spec, &limited);
  EXPECT_EQ(limited.verdict, Verdict::kFail);
  ASSERT_NE(CheckNamed(limited, "in_doubt_rate"), nullptr);
  EXPECT_EQ(CheckNamed(limited, "in_doubt_rate")->message, "4 of 10 calls in doubt (40.00%, limit 10.00%)");
}

TEST(DecideVerdict, AThresholdOnAFigureNotMeasuredIsAnErrorSayingWhatIsMissing) {
  CaseResult r = WithInvariant("held");
  CaseSpec spec = Expecting(Expectation::kPass);
  Threshold t;
  std::string error;
  ASSERT_TRUE(ParseThreshold("server.max_escrow_rows_locked", MetricKind::kCount, "<= 100", &t, &error));
  r.server.max_escrow_rows_locked = -1;
  r.server.missing = "pgrowlocks is not installed";
  spec.thresholds = {t};
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kError) << "no verdict on the code when the figure was not measured";
  EXPECT_NE(r.cannot_run.find("server.max_escrow_rows_locked: not measured: pgrowlocks is not installed"),
            std::string::npos)
      << r.cannot_run;
  EXPECT_NE(r.cannot_run.find("CREATE EXTENSION pgrowlocks"), std::string::npos) << "says how to fix it";
  EXPECT_NE(r.verdict_reason.find("cannot run on this server"), std::string::npos) << r.verdict_reason;
}

TEST(DecideVerdict, ADeadlockInjectionThatInjectedNothingIsAnErrorNotAVerdict) {
  CaseResult r = WithInvariant("held");
  CaseSpec spec = Expecting(Expectation::kViolation);  // the review's retry: would read "expected violation missed"
  spec.ledger.deadlock_injection = true;
  r.faults.deadlock_injection = true;
  r.faults.injection_attempts = 12;
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.cannot_run.find("no deadlock was injected in 12 attempt(s)"), std::string::npos) << r.cannot_run;
}

TEST(DecideVerdict, ADeadlockInjectionThatInjectedGivesAVerdict) {
  CaseResult r = WithInvariant("held");
  CaseSpec spec = Expecting(Expectation::kPass);
  spec.ledger.deadlock_injection = true;
  r.faults.deadlock_injection = true;
  r.faults.deadlocks_injected = 3;
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  EXPECT_EQ(r.cannot_run, "");
}

CaseSpec Close(const char* strategy, Expectation e) {
  CaseSpec spec = Expecting(e, e == Expectation::kViolation ? std::vector<std::string>{"lock_footprint"}
                                                             : std::vector<std::string>{});
  spec.workload = Workload::kClose;
  spec.strategies = {{"close_project_success", strategy}};
  spec.close.release_batch_size = 100;
  return spec;
}

const CheckResult* FindCheck(const CaseResult& r, const std::string& name) {
  for (const CheckResult& c : r.checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

TEST(DecideVerdict, TheReviewsBatchedCloseHoldingEveryRowBreaksTheLockFootprint) {
  CaseResult r = WithInvariant("held");
  r.server.max_escrow_rows_locked = 1000;
  r.server.max_escrow_rows_locked_by_one = 1000;
  DecideVerdict(Close("batched", Expectation::kViolation), &r);
  ASSERT_NE(FindCheck(r, "lock_footprint"), nullptr);
  EXPECT_FALSE(FindCheck(r, "lock_footprint")->passed);
  EXPECT_EQ(r.verdict, Verdict::kCaught) << r.verdict_reason;
}

TEST(DecideVerdict, AKeysetCloseWithinOneBatchPerCloserHoldsTheLockFootprint) {
  CaseResult r = WithInvariant("held");
  r.server.max_escrow_rows_locked = 100;
  r.server.max_escrow_rows_locked_by_one = 100;
  DecideVerdict(Close("keyset", Expectation::kPass), &r);
  ASSERT_NE(FindCheck(r, "lock_footprint"), nullptr);
  EXPECT_TRUE(FindCheck(r, "lock_footprint")->passed) << FindCheck(r, "lock_footprint")->message;
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  CaseResult floor = WithInvariant("held");
  floor.server.max_escrow_rows_locked = 5000;
  floor.server.max_escrow_rows_locked_by_one = 5000;
  DecideVerdict(Close("set_based", Expectation::kPass), &floor);
  EXPECT_EQ(FindCheck(floor, "lock_footprint"), nullptr) << "one statement for every escrow: no batch to hold to";
}

// A pgrowlocks scan is no snapshot: it can see one chunk still locked and
// the next one already locked. The check judges one transaction's rows.
TEST(DecideVerdict, TwoConsecutiveChunksSeenByOneScanDoNotBreakTheLockFootprint) {
  CaseResult r = WithInvariant("held");
  r.server.max_escrow_rows_locked = 180;
  r.server.max_escrow_rows_locked_by_one = 100;
  DecideVerdict(Close("keyset", Expectation::kPass), &r);
  EXPECT_TRUE(FindCheck(r, "lock_footprint")->passed) << FindCheck(r, "lock_footprint")->message;
  EXPECT_NE(FindCheck(r, "lock_footprint")->message.find("100 escrow row(s) locked at once by one transaction"),
            std::string::npos) << FindCheck(r, "lock_footprint")->message;
  CaseResult over = WithInvariant("held");
  over.server.max_escrow_rows_locked = 101;
  over.server.max_escrow_rows_locked_by_one = 101;
  DecideVerdict(Close("keyset", Expectation::kPass), &over);
  EXPECT_FALSE(FindCheck(over, "lock_footprint")->passed) << "one transaction over the batch size";
  EXPECT_EQ(over.verdict, Verdict::kFail);
}

TEST(DecideVerdict, ALockFootprintNotMeasuredIsACannotRunError) {
  CaseResult r = WithInvariant("held");
  r.server.max_escrow_rows_locked = -1;
  r.server.max_escrow_rows_locked_by_one = -1;
  r.server.missing = "pgrowlocks is not installed in this database: rows locked not measured";
  DecideVerdict(Close("keyset", Expectation::kPass), &r);
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.cannot_run.find("lock_footprint: escrow rows locked not measured"), std::string::npos) << r.cannot_run;
}

TEST(ParseThreshold, RefusesValuesOfTheWrongKind) {
  Threshold t;
  std::string error;
  EXPECT_FALSE(ParseThreshold("x.latency.p99", MetricKind::kLatencyMs, "< 50", &t, &error));
  EXPECT_FALSE(ParseThreshold("x.error_rate", MetricKind::kRatio, "< 150%", &t, &error));
  EXPECT_FALSE(ParseThreshold("x.calls", MetricKind::kCount, "about 3", &t, &error));
  EXPECT_FALSE(ParseThreshold("x.calls", MetricKind::kCount, "3", &t, &error));
  ASSERT_TRUE(ParseThreshold("x.error_rate", MetricKind::kRatio, "< 1%", &t, &error));
  EXPECT_DOUBLE_EQ(t.limit, 0.01);
  ASSERT_TRUE(ParseThreshold("c.duration", MetricKind::kSeconds, "<= 1500ms", &t, &error));
  EXPECT_DOUBLE_EQ(t.limit, 1.5);
}

}  // namespace
}  // namespace ledgerstress
