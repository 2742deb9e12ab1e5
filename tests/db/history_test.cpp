// acknowledged_writes_durable: the client's history against the database,
// including a call left in doubt by a kill right before COMMIT.
#include <thread>

#include "tests/db/ledger_case.h"
#include "tests/db/small_ledger.h"

namespace ledgerstress {
namespace {

class History : public testing::SmallLedger {
 protected:
  void SetUp() override {
    SmallLedger::SetUp();
    settlement::NoopObserver obs;
    settlement::PledgeFunds(*conn_, fx_.donor_first_user, fx_.background_project, 500, "DONATION", "k-0", obs);
  }
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

// Kills its own backend right before the COMMIT is sent: the client cannot
// know whether the commit happened.
class KillBeforeCommit : public settlement::Observer {
 public:
  KillBeforeCommit(settlement::Connection& victim, int commit_statement)
      : victim_pid_(victim.backendpid()), commit_(commit_statement),
        killer_(Connect(testing::ClusterTarget(), SessionSettings::Named("test-killer"))) {}
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
  Classified c;
  try {
    // No retry loop: nobody asks on the client's side, the history does.
    settlement::PledgeFunds(*conn, fx_.donor_first_user, fx_.background_project, 700, "DONATION", "k-1", kill, {});
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

TEST_F(History, ThePerTransactionRetryResolvesAKilledCommitOnAReopenedSessionAndRetries) {
  auto conn = testing::ConnectToSchema(schema_);
  KillBeforeCommit kill(*conn, 8);  // the first attempt's COMMIT finds its backend gone
  settlement::RetryPolicy retry;
  retry.strategy = settlement::RetryStrategy::kPerTransaction;
  retry.base_delay = std::chrono::milliseconds(1);
  settlement::PledgeFunds(*conn, fx_.donor_first_user, fx_.background_project, 700, "DONATION", "k-1", kill, retry);
  // Asked on a fresh session: not committed, so done again, once.
  {
    pqxx::nontransaction tx(*conn_);
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM escrow_contract WHERE idempotency_key = 'k-1'")[0].as<int>(), 1);
  }
  ClientHistory h;
  h.Add({"k-", {ClientHistory::Pack(PledgeOp(&h), ClientHistory::kOk),
                ClientHistory::Pack(PledgeOp(&h), ClientHistory::kOk)}});
  EXPECT_EQ(CheckAcknowledgedWritesDurable(*conn_, h).status, "held");
}

}  // namespace
}  // namespace ledgerstress
