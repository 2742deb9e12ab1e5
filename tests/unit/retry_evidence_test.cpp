// retry_discipline from evidence the code under test does not report about
// itself: the gap the CountingObserver times between a failed attempt and
// the next, statements between an in-doubt attempt and its retry, and the
// server's count of sessions idle in transaction too long. And CannotRun on
// faults the server did not confirm.
#include <chrono>
#include <thread>

#include <pqxx/except>

#include <gtest/gtest.h>

#include "harness/engine/cannot_run.h"
#include "harness/engine/verdict.h"
#include "harness/engine/worker.h"

namespace ledgerstress {
namespace {

const std::chrono::milliseconds kBase{100};

TEST(RetryEvidence, ARetryRightAfterAFailureIsARetryWithoutBackoff) {
  CountingObserver obs;
  obs.OnAttempt(1);
  obs.OnAttemptFailed(1, pqxx::deadlock_detected("deadlock detected"));
  obs.OnAttempt(2);  // at once: no sleep, whatever the code says
  ASSERT_EQ(obs.gaps_ms.size(), 1u);
  EXPECT_LT(obs.gaps_ms[0], 10.0);
  OpStats s;
  s.RecordRetries(obs, kBase);
  EXPECT_EQ(s.retries_without_backoff, 1u) << "a gap of about 0 ms is far below half of the 100 ms backoff";
  EXPECT_EQ(s.unresolved_in_doubt_retries, 0u) << "a deadlock is not in doubt";
}

TEST(RetryEvidence, ARetryAfterHalfItsBackoffOrMoreIsNoRetryWithoutBackoff) {
  CountingObserver obs;
  obs.OnAttempt(1);
  obs.OnAttemptFailed(1, pqxx::deadlock_detected("deadlock detected"));
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  obs.OnAttempt(2);
  ASSERT_EQ(obs.gaps_ms.size(), 1u);
  EXPECT_GE(obs.gaps_ms[0], 60.0);
  OpStats s;
  s.RecordRetries(obs, kBase);
  EXPECT_EQ(s.retries_without_backoff, 0u) << "60 ms is within the jitter of a 100 ms backoff";
}

TEST(RetryEvidence, AnInDoubtAttemptRetriedWithNoStatementBetweenWasNotLookedUp) {
  CountingObserver obs;
  obs.OnAttempt(1);
  obs.OnStatement(1);
  obs.OnAttemptFailed(1, pqxx::in_doubt_error("commit outcome unknown"));
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  obs.OnAttempt(2);
  EXPECT_EQ(obs.unresolved_in_doubt_retries, 1) << "done again without asking whether it committed";
  ASSERT_EQ(obs.failed_attempts.size(), 1u);
  EXPECT_EQ(obs.failed_attempts[0], Outcome::kInDoubt);
  OpStats s;
  s.RecordRetries(obs, kBase);
  EXPECT_EQ(s.unresolved_in_doubt_retries, 1u);
  EXPECT_EQ(s.retries_without_backoff, 0u) << "it did back off: only the lookup is missing";
}

TEST(RetryEvidence, AnInDoubtAttemptLookedUpBeforeTheRetryIsResolved) {
  CountingObserver obs;
  obs.OnAttempt(1);
  obs.OnStatement(1);
  obs.OnAttemptFailed(1, pqxx::in_doubt_error("commit outcome unknown"));
  obs.OnStatement(1);  // the lookup by key
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  obs.OnAttempt(2);
  EXPECT_EQ(obs.unresolved_in_doubt_retries, 0);
  OpStats s;
  s.RecordRetries(obs, kBase);
  EXPECT_EQ(s.unresolved_in_doubt_retries, 0u);
}

TEST(RetryEvidence, ANonInDoubtFailureWithoutStatementsBetweenIsNotAnUnresolvedInDoubtRetry) {
  CountingObserver obs;
  obs.OnAttempt(1);
  obs.OnAttemptFailed(1, pqxx::in_doubt_error("commit outcome unknown"));
  obs.OnStatement(1);
  obs.OnAttempt(2);
  obs.OnAttemptFailed(2, pqxx::deadlock_detected("deadlock detected"));
  obs.OnAttempt(3);
  EXPECT_EQ(obs.unresolved_in_doubt_retries, 0) << "only the retry of an in-doubt attempt needs a lookup";
}

// A CaseResult whose one operation was retried under per_transaction and
// whose every reported figure is clean.
CaseResult CleanRetries() {
  CaseResult r;
  OperationResult op;
  op.name = "pledge_funds";
  op.calls = 10;
  op.outcomes["ok"] = 10;
  op.attempts[1] = 9;
  op.attempts[2] = 1;
  op.max_attempts_seen = 2;
  r.operations.push_back(op);
  InvariantResult inv;
  inv.name = "money_conserved";
  inv.status = "held";
  r.invariants.push_back(inv);
  r.server.sampled = true;
  r.server.long_idle_in_transaction = 0;
  return r;
}

CaseSpec PerTransaction() {
  CaseSpec spec;
  spec.workload = Workload::kLedger;
  spec.retry = settlement::RetryStrategy::kPerTransaction;
  return spec;
}

const CheckResult* Discipline(const CaseResult& r) {
  for (const CheckResult& c : r.checks) {
    if (c.name == "retry_discipline") return &c;
  }
  return nullptr;
}

TEST(RetryDiscipline, SessionsTheServerSawIdleInTransactionTooLongFailIt) {
  CaseResult r = CleanRetries();
  r.server.long_idle_in_transaction = 3;
  DecideVerdict(PerTransaction(), &r);
  ASSERT_NE(Discipline(r), nullptr) << "per_transaction must be judged";
  EXPECT_FALSE(Discipline(r)->passed) << "a sleep with a transaction open, reported or not: " << Discipline(r)->message;
  EXPECT_NE(Discipline(r)->message.find("3 seen by the server"), std::string::npos) << Discipline(r)->message;
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.verdict_reason;
}

TEST(RetryDiscipline, NoSessionIdleInTransactionTooLongPasses) {
  CaseResult r = CleanRetries();
  r.server.long_idle_in_transaction = 2;  // a descheduled process or two, on a busy machine
  DecideVerdict(PerTransaction(), &r);
  ASSERT_NE(Discipline(r), nullptr);
  EXPECT_TRUE(Discipline(r)->passed) << Discipline(r)->message;
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
}

TEST(RetryDiscipline, RetriesWithoutBackoffOrUnresolvedInDoubtFailIt) {
  CaseResult fast = CleanRetries();
  fast.operations[0].retries_without_backoff = 1;
  DecideVerdict(PerTransaction(), &fast);
  ASSERT_NE(Discipline(fast), nullptr);
  EXPECT_FALSE(Discipline(fast)->passed) << Discipline(fast)->message;
  EXPECT_NE(Discipline(fast)->message.find("1 retry(ies) without a backoff"), std::string::npos)
      << Discipline(fast)->message;

  CaseResult blind = CleanRetries();
  blind.operations[0].unresolved_in_doubt_retries = 1;
  DecideVerdict(PerTransaction(), &blind);
  ASSERT_NE(Discipline(blind), nullptr);
  EXPECT_FALSE(Discipline(blind)->passed) << Discipline(blind)->message;
  EXPECT_NE(Discipline(blind)->message.find("1 in-doubt attempt(s) retried without a lookup by key"),
            std::string::npos)
      << Discipline(blind)->message;
}

TEST(RetryDiscipline, IsNotJudgedWithoutRetry) {
  CaseResult r = CleanRetries();
  r.server.long_idle_in_transaction = 2;
  CaseSpec spec = PerTransaction();
  spec.retry = settlement::RetryStrategy::kNone;
  DecideVerdict(spec, &r);
  EXPECT_EQ(Discipline(r), nullptr) << "no retry strategy, no retry discipline check";
}

TEST(CannotRun, InjectedDeadlocksTheServerNeverCountedAreACannotRun) {
  CaseSpec spec = PerTransaction();
  spec.ledger.deadlock_injection = true;
  CaseResult r = CleanRetries();
  r.faults.deadlock_injection = true;
  r.faults.deadlocks_injected = 5;
  r.server.deadlocks_delta = 0;
  const std::vector<std::string> cannot = CannotRun(spec, r);
  ASSERT_EQ(cannot.size(), 1u);
  EXPECT_NE(cannot[0].find("5 injection(s) counted, but the server detected no deadlock"), std::string::npos)
      << cannot[0];
  DecideVerdict(spec, &r);
  EXPECT_EQ(r.verdict, Verdict::kError) << "no verdict on the code: " << r.verdict_reason;
}

TEST(CannotRun, InjectedDeadlocksTheServerCountedRun) {
  CaseSpec spec = PerTransaction();
  spec.ledger.deadlock_injection = true;
  CaseResult r = CleanRetries();
  r.faults.deadlock_injection = true;
  r.faults.deadlocks_injected = 5;
  r.server.deadlocks_delta = 5;
  EXPECT_TRUE(CannotRun(spec, r).empty());
}

TEST(CannotRun, LostRepliesAskedForButNoneLostIsACannotRun) {
  CaseSpec spec = PerTransaction();
  spec.ledger.lost_reply_every = std::chrono::milliseconds(100);
  CaseResult r = CleanRetries();
  r.faults.Set("replies_lost", 0);
  const std::vector<std::string> cannot = CannotRun(spec, r);
  ASSERT_EQ(cannot.size(), 1u);
  EXPECT_NE(cannot[0].find("lost_reply_every: no COMMIT reply was lost"), std::string::npos) << cannot[0];
  r.faults.Set("replies_lost", 3);
  EXPECT_TRUE(CannotRun(spec, r).empty()) << "replies were lost: the fault ran";
}

}  // namespace
}  // namespace ledgerstress
