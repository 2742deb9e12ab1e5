// In-doubt resolution through the lost-reply proxy: a Deposit whose COMMIT
// the server applied but whose reply was lost. Under per_transaction the
// retry loop reopens the session and asks by key (committed: done; not
// committed: a new attempt); under none the caller gets the in-doubt
// error. Then the ledger workload with lost_reply_every, end to end.
#include <stdexcept>
#include <chrono>
#include <memory>

#include <pqxx/pqxx>

#include <gtest/gtest.h>

// worker.h before ledger_case.h, whose Outcome() helper hides the enum's name.
#include "harness/engine/worker.h"
#include "harness/faults/lost_reply_fault.h"
#include "harness/faults/lost_reply_proxy.h"
#include "harness/pg/dsn.h"
#include "tests/db/ledger_case.h"
#include "tests/db/small_ledger.h"

namespace ledgerstress {
namespace {

// A proxy in front of the test cluster, as LostReplyFault builds it.
std::unique_ptr<LostReplyProxy> ProxyToCluster() {
  pqxx::connection direct(testing::ClusterTarget().dsn);
  return std::make_unique<LostReplyProxy>(direct.hostname(), std::stoi(direct.port()));
}

Target Through(const LostReplyProxy& proxy) {
  return Target{WithHostPort(testing::ClusterTarget().dsn, proxy.host(), proxy.port()), "test: lost reply proxy"};
}

class LostReplyResolution : public testing::SmallLedger {
 protected:
  void SetUp() override {
    SmallLedger::SetUp();
    user_ = fx_.donor_first_user;
    proxy_ = ProxyToCluster();
    worker_ = Connect(Through(*proxy_), SessionSettings::Named("ledgerstress/test/lost-reply", schema_));
  }
  void TearDown() override {
    worker_.reset();
    proxy_.reset();
    SmallLedger::TearDown();
  }

  // Asked of the server directly, not through the proxy.
  std::int64_t DepositRows(const std::string& key) {
    pqxx::nontransaction tx(*conn_);
    return tx.exec_params1("SELECT count(*) FROM wallet_transaction WHERE idempotency_key = $1 AND kind = 'DEPOSIT'",
                           key)[0]
        .as<std::int64_t>();
  }
  std::string Balance() {
    pqxx::nontransaction tx(*conn_);
    return tx.exec_params1("SELECT balance::text FROM wallet WHERE user_id = $1", user_)[0].as<std::string>();
  }
  static settlement::RetryPolicy PerTransaction() {
    settlement::RetryPolicy p;
    p.strategy = settlement::RetryStrategy::kPerTransaction;
    p.base_delay = std::chrono::milliseconds(20);
    p.jitter = false;
    return p;
  }

  std::int64_t user_ = 0;
  std::unique_ptr<LostReplyProxy> proxy_;
  std::unique_ptr<settlement::Connection> worker_;
};

TEST_F(LostReplyResolution, PerTransactionResolvesALostCommitReplyByKeyOnAReopenedSession) {
  // The same call without a fault: how many statements a deposit takes.
  CountingObserver plain;
  settlement::Deposit(*worker_, user_, 100, "plain", plain, PerTransaction());
  ASSERT_EQ(plain.attempts, 1);
  ASSERT_TRUE(plain.failed_attempts.empty());
  const std::string before = Balance();

  CountingObserver obs;
  proxy_->Arm();
  settlement::DepositResult d;
  ASSERT_NO_THROW(d = settlement::Deposit(*worker_, user_, 1234, "lost-1", obs, PerTransaction()))
      << "the lost reply must be resolved by key, not reach the caller";
  EXPECT_EQ(proxy_->dropped(), 1u) << "the COMMIT's reply must have been dropped";
  EXPECT_GT(d.transaction_id, 0);
  EXPECT_FALSE(d.duplicate);
  EXPECT_EQ(DepositRows("lost-1"), 1) << "exactly one DEPOSIT under the key: not done twice";
  std::string expected;
  {
    pqxx::nontransaction tx(*conn_);
    expected = tx.exec_params1("SELECT ($1::numeric + 12.34)::text", before)[0].as<std::string>();
  }
  EXPECT_EQ(Balance(), expected) << "the wallet credited once";
  EXPECT_EQ(obs.attempts, 1) << "committed: no second attempt";
  ASSERT_EQ(obs.failed_attempts.size(), 1u);
  EXPECT_EQ(obs.failed_attempts[0], Outcome::kInDoubt) << "the lost reply is classified in doubt";
  EXPECT_EQ(obs.statements, plain.statements + 1) << "one statement after the failure: the lookup by key";
  EXPECT_EQ(obs.unresolved_in_doubt_retries, 0);
  EXPECT_TRUE(worker_->Usable()) << "the connection was reopened and is usable again";
  EXPECT_NO_THROW(settlement::Deposit(*worker_, user_, 100, "after", plain, PerTransaction()));
  EXPECT_EQ(DepositRows("after"), 1);
}

TEST_F(LostReplyResolution, WithoutRetryTheLostReplyReachesTheCallerAsInDoubtAndTheRowExists) {
  CountingObserver obs;
  proxy_->Arm();
  settlement::RetryPolicy none;  // kNone
  EXPECT_THROW(settlement::Deposit(*worker_, user_, 1234, "lost-none", obs, none), pqxx::in_doubt_error)
      << "nobody resolves it: the caller is in doubt";
  EXPECT_EQ(proxy_->dropped(), 1u);
  EXPECT_EQ(DepositRows("lost-none"), 1) << "the server applied the COMMIT whose reply was lost";
  EXPECT_EQ(obs.attempts, 1);
}

// The COMMIT whose reply is lost fails on the server (a deferred check that
// fails once): the lookup finds nothing and the deposit is done again, as a
// new attempt after a backoff, with the lookup between.
TEST_F(LostReplyResolution, PerTransactionRetriesALostCommitThatDidNotCommitAfterLookingItUp) {
  {
    pqxx::nontransaction tx(*conn_);
    tx.exec("CREATE SEQUENCE fail_once");
    tx.exec("CREATE FUNCTION fail_first_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF nextval('fail_once') = 1 THEN RAISE EXCEPTION 'the first commit fails'; END IF; RETURN NULL; END $$");
    tx.exec("CREATE CONSTRAINT TRIGGER fail_first AFTER INSERT ON wallet_transaction DEFERRABLE INITIALLY DEFERRED "
            "FOR EACH ROW EXECUTE FUNCTION fail_first_commit()");
  }
  CountingObserver obs;
  proxy_->Arm();
  settlement::DepositResult d;
  ASSERT_NO_THROW(d = settlement::Deposit(*worker_, user_, 1234, "lost-failed", obs, PerTransaction()));
  EXPECT_EQ(proxy_->dropped(), 1u);
  EXPECT_EQ(DepositRows("lost-failed"), 1) << "the second attempt committed, once";
  EXPECT_EQ(obs.attempts, 2) << "not committed: tried again";
  ASSERT_EQ(obs.failed_attempts.size(), 1u);
  EXPECT_EQ(obs.failed_attempts[0], Outcome::kInDoubt);
  EXPECT_EQ(obs.unresolved_in_doubt_retries, 0) << "the key was looked up before the work was done again";
  ASSERT_EQ(obs.gaps_ms.size(), 1u);
  EXPECT_GE(obs.gaps_ms[0], 0.5 * 20 - 2) << "the retry came after its backoff";
  OpStats stats;
  stats.RecordRetries(obs, std::chrono::milliseconds(20));
  EXPECT_EQ(stats.retries_without_backoff, 0u);
  EXPECT_EQ(stats.unresolved_in_doubt_retries, 0u);
}

CaseSpec LostReplyCase(const std::string& retry) {
  CaseSpec c;
  c.name = "lost_replies/" + retry;
  c.workload = Workload::kLedger;
  c.workers = 4;
  c.duration = std::chrono::milliseconds(2000);
  c.donors = 50;
  c.mix = {{"deposit", 1}, {"pledge_funds", 2}};
  c.strategies = {{"deposit", "default"}, {"pledge_funds", "default"}};
  if (!settlement::ParseRetryStrategy(retry, &c.retry)) throw std::invalid_argument("no retry strategy " + retry);
  c.ledger.lost_reply_every = std::chrono::milliseconds(100);
  c.invariants = {"acknowledged_writes_durable", "money_conserved", "balances_match_ledger", "idempotent",
                  "no_negative_balance"};
  c.seed = 27;
  return c;
}

const InvariantResult& Durable(const CaseResult& r) {
  for (const InvariantResult& i : r.invariants) {
    if (i.name == "acknowledged_writes_durable") return i;
  }
  throw std::runtime_error("acknowledged_writes_durable was not checked");
}

TEST(LostReplyCase, PerTransactionRetryResolvesEveryLostReplyAndPasses) {
  const CaseSpec spec = LostReplyCase("per_transaction");
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "") << r.verdict_reason;
  EXPECT_GT(r.faults.Figure("replies_lost"), 0) << "the proxy must have lost some COMMIT replies";
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  ExpectInvariantsHold(r, spec);
  const InvariantResult& d = Durable(r);
  EXPECT_EQ(d.status, "held") << d.message;
  EXPECT_EQ(d.details.at("in_doubt_committed") + d.details.at("in_doubt_absent"), 0)
      << "per_transaction resolves every lost reply itself: nothing reaches the client in doubt (" << d.message << ")";
  std::uint64_t in_doubt_attempts = 0;
  for (const OperationResult& op : r.operations) {
    EXPECT_EQ(op.errors(), 0u) << op.name << ": " << (op.error_samples.empty() ? "" : op.error_samples[0]);
    EXPECT_EQ(op.unresolved_in_doubt_retries, 0u) << op.name;
    if (op.failed_attempts.count("in_doubt")) in_doubt_attempts += op.failed_attempts.at("in_doubt");
  }
  EXPECT_EQ(in_doubt_attempts, static_cast<std::uint64_t>(r.faults.Figure("replies_lost")))
      << "every lost reply was an in-doubt attempt the retry loop saw";
  for (const CheckResult& c : r.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.message;
}

TEST(LostReplyCase, WithoutRetryTheLostRepliesAreInDoubtCallsThatCommitted) {
  CaseSpec spec = LostReplyCase("none");
  spec.max_error_rate = 0.5;  // the in-doubt calls are errors to the client
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "") << r.verdict_reason;
  EXPECT_GT(r.faults.Figure("replies_lost"), 0);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  ExpectInvariantsHold(r, spec);
  const InvariantResult& d = Durable(r);
  EXPECT_GT(d.details.at("in_doubt_committed"), 0) << "the lost replies were of COMMITs the server applied: " << d.message;
  std::uint64_t in_doubt_calls = 0;
  for (const OperationResult& op : r.operations) in_doubt_calls += Outcome(op, "in_doubt");
  EXPECT_EQ(in_doubt_calls, static_cast<std::uint64_t>(r.faults.Figure("replies_lost")))
      << "each lost reply reached its caller as an in-doubt call";
  EXPECT_EQ(d.details.at("in_doubt_committed") + d.details.at("in_doubt_absent"), static_cast<double>(in_doubt_calls));
}

}  // namespace
}  // namespace ledgerstress
