// Retry strategies against real deadlocks that PostgreSQL detects, injected
// by the DeadlockInjector.
#include "tests/db/ledger_case.h"

namespace ledgerstress {
namespace {

TEST(Retry, InjectedDeadlocksAreRealAndCountedByTheServer) {
  const CaseSpec spec = DeadlockCase("none");
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.faults.missing, "");
  EXPECT_GE(r.faults.deadlocks_injected, 3);
  EXPECT_GE(r.server.deadlocks_delta, r.faults.deadlocks_injected) << "the server counts every injected deadlock";
  // Each injected cycle aborts one pledge (the injector skips a victim with a
  // call queued on its wallet, which would be in the cycle too). Every
  // deadlock the server saw is a failed pledge, except when the injector
  // itself is, rarely, the one aborted: the server counts that deadlock but
  // no pledge failed.
  const std::uint64_t failed = Outcome(Pledges(r), "deadlock");
  EXPECT_GE(failed, static_cast<std::uint64_t>(r.faults.deadlocks_injected));
  EXPECT_LE(failed, static_cast<std::uint64_t>(r.server.deadlocks_delta));
  ExpectInvariantsHold(r, spec);
}

TEST(Retry, TheReviewsInTransactionRetryFailsWith25P02AndSleepsHoldingLocks) {
  const CaseSpec spec = DeadlockCase("in_transaction");
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "");
  const OperationResult& p = Pledges(r);
  EXPECT_GT(Outcome(p, "aborted_transaction"), 0u) << "retrying inside the aborted transaction gets 25P02";
  EXPECT_EQ(Outcome(p, "deadlock"), 0u) << "the message matched 'deadlock', so every victim was retried in place";
  EXPECT_GT(p.sleeps_in_transaction, 0u);
  EXPECT_EQ(p.max_attempts_seen, 3);
  // Per retried call: the deadlock, then 25P02 on each retry in place.
  ASSERT_TRUE(p.failed_attempts.count("deadlock"));
  ASSERT_TRUE(p.failed_attempts.count("aborted_transaction"));
  EXPECT_EQ(p.failed_attempts.at("aborted_transaction"), 2 * p.failed_attempts.at("deadlock"));
  bool discipline_failed = false;
  for (const CheckResult& c : r.checks) discipline_failed |= c.name == "retry_discipline" && !c.passed;
  EXPECT_TRUE(discipline_failed);
  ExpectInvariantsHold(r, spec);  // it fails loudly, but loses nothing
}

TEST(Retry, PerTransactionRetryRecoversEveryInjectedDeadlock) {
  const CaseSpec spec = DeadlockCase("per_transaction");  // three attempts: a victim is never chosen twice in a row
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "");
  const OperationResult& p = Pledges(r);
  EXPECT_GE(r.faults.deadlocks_injected, 3);
  EXPECT_EQ(p.errors(), 0u) << (p.error_samples.empty() ? "" : p.error_samples[0]);
  std::uint64_t retried = 0;
  for (const auto& [attempts, calls] : p.attempts) {
    if (attempts > 1) retried += calls;
  }
  EXPECT_GE(retried, static_cast<std::uint64_t>(r.faults.deadlocks_injected));
  EXPECT_EQ(p.sleeps_in_transaction, 0u);
  EXPECT_EQ(p.off_schedule_backoffs, 0u) << (p.backoff_samples.empty() ? "" : p.backoff_samples[0]);
  for (const CheckResult& c : r.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.message;
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  ExpectInvariantsHold(r, spec);
}

// A DBA's server: a role that is not superuser (deadlock_timeout cannot be
// set) in a database without pgrowlocks. The injector still forms real
// cycles, the server counts them, and the review's retry is still caught.
TEST(Retry, DeadlocksAreInjectedWithoutSuperuserOrPgrowlocks) {
  {
    pqxx::connection admin(testing::ClusterTarget().dsn);
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS ls_plain_db");
    tx.exec("DROP ROLE IF EXISTS ls_plain");
    tx.exec("CREATE ROLE ls_plain LOGIN NOSUPERUSER");
    tx.exec("CREATE DATABASE ls_plain_db OWNER ls_plain");
  }
  const Target plain{testing::ClusterTarget().dsn + " user=ls_plain dbname=ls_plain_db", "test: plain role"};
  {
    pqxx::connection check(plain.dsn);
    pqxx::nontransaction tx(check);
    ASSERT_EQ(tx.exec1("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0].as<bool>(), false);
    ASSERT_TRUE(tx.exec("SELECT 1 FROM pg_extension WHERE extname = 'pgrowlocks'").empty());
  }
  const CaseSpec spec = DeadlockCase("in_transaction");
  const CaseResult r = testing::RunCase(spec, plain);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.faults.missing, "");
  EXPECT_GE(r.faults.deadlocks_injected, 1) << "attempts: " << r.faults.injection_attempts;
  EXPECT_GE(r.server.deadlocks_delta, r.faults.deadlocks_injected) << "the server counts every injected deadlock";
  EXPECT_EQ(r.faults.victim_deadlock_timeout_ms, 1000) << "the server's default, not ours to change";
  EXPECT_NE(r.faults.note.find("not a superuser"), std::string::npos) << r.faults.note;
  EXPECT_GT(Outcome(Pledges(r), "aborted_transaction"), 0u) << "the review's in-place retry still gets 25P02";
  bool discipline_failed = false;
  for (const CheckResult& c : r.checks) discipline_failed |= c.name == "retry_discipline" && !c.passed;
  EXPECT_TRUE(discipline_failed) << r.verdict_reason;
  pqxx::connection admin(testing::ClusterTarget().dsn);
  pqxx::nontransaction(admin).exec("DROP DATABASE ls_plain_db");
}

}  // namespace
}  // namespace ledgerstress
