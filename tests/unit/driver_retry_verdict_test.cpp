// retry_discipline for a driver that reports no attempts: judged from the
// server's view alone when the case asks for it, a cannot-run error when
// that view was not sampled, and not run when nothing asks for it.
#include <stdexcept>
#include <memory>

#include <gtest/gtest.h>

#include "harness/engine/verdict.h"

namespace ledgerstress {
namespace {

CaseSpec DriverCase(const std::string& retry) {
  CaseSpec s;
  auto d = std::make_shared<DriverSpec>();
  d->name = "mine";
  s.driver = d;
  s.workload = Workload::kLedger;
  if (!settlement::ParseRetryStrategy(retry, &s.retry)) throw std::invalid_argument("no retry strategy " + retry);
  s.retry_base_delay = std::chrono::milliseconds(20);
  return s;
}

// Ten calls, all ok, no attempts reported; the server saw `long_idle` long idle periods (-1: not sampled).
CaseResult Silent(std::int64_t long_idle) {
  CaseResult r;
  OperationResult op;
  op.calls = 10;
  op.outcomes["ok"] = 10;
  r.operations.push_back(op);
  r.server.long_idle_in_transaction = long_idle;
  return r;
}

const CheckResult* Find(const CaseResult& r, const std::string& name) {
  for (const CheckResult& c : r.checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

TEST(DriverRetryVerdict, SleepsTheServerSawWithLocksHeldFailIt) {
  CaseResult r = Silent(4);
  DecideVerdict(DriverCase("in_transaction"), &r);
  const CheckResult* c = Find(r, "retry_discipline");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->passed);
  EXPECT_EQ(c->message, "driver 'mine' reports no attempts, judged from the server alone: 4 period(s) of our sessions "
                        "idle in transaction over 50 ms, a sleep with locks held (fails at 3: at least 3, and half the "
                        "0 deadlock(s) the server detected, each a call retried)");
  EXPECT_EQ(r.verdict, Verdict::kFail);
}

TEST(DriverRetryVerdict, AFewPeriodsAgainstManyDeadlocksAreABusyMachineNotSleeps) {
  CaseResult r = Silent(3);
  r.server.deadlocks_delta = 12;
  DecideVerdict(DriverCase("per_transaction"), &r);
  ASSERT_NE(Find(r, "retry_discipline"), nullptr);
  EXPECT_TRUE(Find(r, "retry_discipline")->passed) << Find(r, "retry_discipline")->message;
  r = Silent(6);
  r.server.deadlocks_delta = 12;
  DecideVerdict(DriverCase("in_transaction"), &r);
  EXPECT_FALSE(Find(r, "retry_discipline")->passed) << "one period per two deadlocks is sleeping";
}

TEST(DriverRetryVerdict, NoLongIdlePeriodHolds) {
  CaseResult r = Silent(2);
  DecideVerdict(DriverCase("per_transaction"), &r);
  const CheckResult* c = Find(r, "retry_discipline");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->passed) << c->message;
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
}

TEST(DriverRetryVerdict, ViolatesNamingItAsksForItToo) {
  CaseSpec spec = DriverCase("none");
  spec.expect = Expectation::kViolation;
  spec.violates = {"retry_discipline"};
  CaseResult r = Silent(5);
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kCaught) << r.verdict_reason;
}

TEST(DriverRetryVerdict, NoSamplesIsACannotRunSayingWhatIsMissing) {
  CaseSpec spec = DriverCase("per_transaction");
  spec.monitor_interval = std::chrono::milliseconds(0);
  CaseResult r = Silent(-1);
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.cannot_run.find("retry_discipline: driver 'mine' reports no \"attempts\""), std::string::npos) << r.cannot_run;
  EXPECT_NE(r.cannot_run.find("monitor_interval = \"0ms\" turns sampling off"), std::string::npos) << r.cannot_run;
}

TEST(DriverRetryVerdict, NotAskedAndNotReportedIsNotRun) {
  CaseResult r = Silent(-1);
  DecideVerdict(DriverCase("none"), &r);
  EXPECT_EQ(Find(r, "retry_discipline"), nullptr);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
}

}  // namespace
}  // namespace ledgerstress
