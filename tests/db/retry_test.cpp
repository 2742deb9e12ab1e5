// Retry strategies against real deadlocks that PostgreSQL detects, injected
// by the DeadlockInjector, and the client-history invariant.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/engine.h"
#include "harness/engine/fixtures.h"
#include "harness/invariants/invariants.h"
#include "harness/engine/outcome.h"
#include "harness/operations/operation.h"
#include "settlement/connection.h"
#include "settlement/ledger.h"

#include <thread>
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

CaseSpec DeadlockCase(const std::string& retry) {
  CaseSpec c;
  c.name = retry;
  c.workload = Workload::kLedger;
  c.workers = 4;
  c.duration = std::chrono::milliseconds(2500);
  c.donors = 50;
  c.mix = {{"pledge_funds", 3}, {"deposit", 1}};
  c.strategies = {{"pledge_funds", "default"}, {"deposit", "default"}};
  c.retry = retry;
  c.deadlock_injection = true;
  c.deadlock_every = std::chrono::milliseconds(200);
  c.max_error_rate = 1;
  c.invariants = {"acknowledged_writes_durable", "money_conserved", "balances_match_ledger", "idempotent"};
  c.seed = 5;
  return c;
}

const OperationResult& Pledges(const CaseResult& r) {
  for (const OperationResult& op : r.operations) {
    if (op.name == "pledge_funds") return op;
  }
  throw std::runtime_error("no pledge_funds");
}

std::uint64_t Outcome(const OperationResult& op, const char* name) {
  auto it = op.outcomes.find(name);
  return it == op.outcomes.end() ? 0 : it->second;
}

void ExpectInvariantsHold(const CaseResult& r) {
  for (const InvariantResult& inv : r.invariants) EXPECT_EQ(inv.status, "held") << inv.name << ": " << inv.message;
}

TEST(Retry, InjectedDeadlocksAreRealAndCountedByTheServer) {
  const CaseResult r = testing::RunCase(DeadlockCase("none"));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.faults.missing, "");
  EXPECT_GE(r.faults.deadlocks_injected, 3);
  EXPECT_GE(r.server.deadlocks_delta, r.faults.deadlocks_injected) << "the server counts every injected deadlock";
  // Each injected cycle aborts one pledge; now and then a second pledge
  // queued on the same wallet closes a new cycle with the injector and is
  // aborted too. Either way every deadlock the server saw is a failed pledge.
  // (The injector itself is, rarely, the one aborted: the server counts that
  // deadlock but no pledge failed.)
  const std::uint64_t failed = Outcome(Pledges(r), "deadlock");
  EXPECT_GE(failed, static_cast<std::uint64_t>(r.faults.deadlocks_injected));
  EXPECT_LE(failed, static_cast<std::uint64_t>(r.server.deadlocks_delta));
  ExpectInvariantsHold(r);
}

TEST(Retry, TheReviewsInTransactionRetryFailsWith25P02AndSleepsHoldingLocks) {
  const CaseResult r = testing::RunCase(DeadlockCase("in_transaction"));
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
  ExpectInvariantsHold(r);  // it fails loudly, but loses nothing
}

TEST(Retry, PerTransactionRetryRecoversEveryInjectedDeadlock) {
  CaseSpec spec = DeadlockCase("per_transaction");
  // A pledge queued behind a victim can close a second cycle; five attempts
  // make a call that is unlucky three times in a row a non-event here.
  spec.max_attempts = 5;
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
  EXPECT_EQ(r.verdict, "pass") << r.verdict_reason;
  ExpectInvariantsHold(r);
}

class History : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::FreshSchemaName();
    conn_ = testing::ConnectToSchema(schema_);
    CreateFixture(*conn_, FixtureSpec{schema_, {}, 0});
    fx_ = CreateCloseFixture(*conn_, schema_, CloseFixtureSpec{0, 0, 5, 1});
    settlement::NoopObserver obs;
    settlement::PledgeFunds(*conn_, fx_.donor_first_user, fx_.background_project, 500, "DONATION", "k-0", obs);
  }
  void TearDown() override { DropSchema(*conn_, schema_); }
  std::string schema_;
  std::unique_ptr<settlement::Connection> conn_;
  CloseFixture fx_;
};

// The history's index for pledge_funds, tracked with its row's durable query.
std::uint8_t PledgeOp(ClientHistory* h) {
  return h->Track("pledge_funds", BuiltinOperations().Find("pledge_funds")->durable_sql);
}

TEST_F(History, HoldsWhenTheDatabaseMatchesWhatTheClientSaw) {
  // Keys k-0 (committed above), k-1, k-2; k-3 is a SAKA call the check ignores.
  ClientHistory h;
  h.Add({"k-", {ClientHistory::Pack(PledgeOp(&h), ClientHistory::kOk),
                ClientHistory::Pack(PledgeOp(&h), ClientHistory::kFailed),
                ClientHistory::Pack(PledgeOp(&h), ClientHistory::kInDoubt), ClientHistory::kUntracked}});
  EXPECT_EQ(h.TrackedCalls(), 3u);
  const InvariantResult r = CheckAcknowledgedWritesDurable(*conn_, h);
  EXPECT_EQ(r.status, "held") << r.message;
  EXPECT_EQ(r.details.at("in_doubt_absent"), 1);
}

TEST_F(History, FiresOnALostAcknowledgedWriteAndOnAPhantomFailedOne) {
  // The client saw "lost-0" succeed, but no escrow has that key; it saw
  // "k-0" fail, but it is there.
  ClientHistory h;
  h.Add({"lost-", {ClientHistory::Pack(PledgeOp(&h), ClientHistory::kOk)}});
  h.Add({"k-", {ClientHistory::Pack(PledgeOp(&h), ClientHistory::kFailed)}});
  const InvariantResult r = CheckAcknowledgedWritesDurable(*conn_, h);
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.violations, 2u);
  ASSERT_EQ(r.samples.size(), 2u);
}

}  // namespace
}  // namespace ledgerstress

namespace ledgerstress {
namespace {

TEST(Faults, KilledWorkersReconnectAndOnlyOurBackendsDie) {
  // Someone else's session on the same server, idle in a transaction.
  auto bystander = Connect(testing::ClusterTarget(), SessionSettings{"someone-else", "", {}, {}});
  pqxx::work theirs(*bystander);
  theirs.exec("SELECT 1");

  CaseSpec spec = DeadlockCase("per_transaction");
  spec.deadlock_injection = false;
  spec.backend_kill_every = std::chrono::milliseconds(200);
  spec.max_error_rate = 0.5;
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "") << "a killed worker must reconnect, not end the case";
  EXPECT_GE(r.faults.backends_killed, 5);
  std::uint64_t lost = 0;
  for (const OperationResult& op : r.operations) {
    lost += Outcome(op, "connection_lost") + Outcome(op, "in_doubt");
  }
  EXPECT_GT(lost, 0u);
  ExpectInvariantsHold(r);
  EXPECT_NO_THROW(theirs.exec("SELECT 2")) << "the bystander's session was killed";
  theirs.commit();
}

// Kills its own backend right before the COMMIT is sent: the client cannot
// know whether the commit happened.
class KillBeforeCommit : public settlement::Observer {
 public:
  KillBeforeCommit(settlement::Connection& victim, int commit_statement)
      : victim_pid_(victim.backendpid()), commit_(commit_statement),
        killer_(Connect(testing::ClusterTarget(), SessionSettings{"test-killer", "", {}, {}})) {}
  void OnStatement(int) override {
    if (++n_ != commit_) return;
    pqxx::nontransaction tx(*killer_);
    tx.exec_params("SELECT pg_terminate_backend($1)", victim_pid_);
    while (!tx.exec_params("SELECT 1 FROM pg_stat_activity WHERE pid = $1", victim_pid_).empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

 private:
  int victim_pid_;
  int commit_;
  int n_ = 0;
  std::unique_ptr<settlement::Connection> killer_;
};

TEST_F(History, AKillRightBeforeCommitLeavesTheCallInDoubtAndTheKeyResolvesIt) {
  auto conn = testing::ConnectToSchema(schema_);
  KillBeforeCommit kill(*conn, 8);  // BEGIN, 6 statements, then COMMIT
  settlement::RetryPolicy retry;
  retry.strategy = settlement::RetryStrategy::kPerTransaction;
  Classified c;
  try {
    settlement::PledgeFunds(*conn, fx_.donor_first_user, fx_.background_project, 700, "DONATION", "k-1", kill,
                            retry);
    FAIL() << "the commit cannot have been acknowledged";
  } catch (...) {
    c = ClassifyCurrentException();
  }
  EXPECT_EQ(c.outcome, Outcome::kInDoubt) << c.message;
  ClientHistory h;  // k-0 committed in SetUp, k-1 in doubt
  h.Add({"k-", {ClientHistory::Pack(PledgeOp(&h), ClientHistory::kOk),
                ClientHistory::Pack(PledgeOp(&h), ClientHistory::kInDoubt)}});
  const InvariantResult r = CheckAcknowledgedWritesDurable(*conn_, h);
  EXPECT_EQ(r.status, "held") << r.message;
  EXPECT_EQ(r.details.at("in_doubt_absent"), 1) << "killed before COMMIT: nothing was committed";
}

}  // namespace
}  // namespace ledgerstress
