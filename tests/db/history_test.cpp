// acknowledged_writes_durable: the client's history against the database,
// including a call left in doubt by a kill right before COMMIT.
#include <thread>

#include "harness/engine/recorded_args.h"
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
  const OperationDef& def = *BuiltinOperations().Find("pledge_funds");
  return h->Track(def.name, def.durable_sql, RecorderFor(def).names);
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

namespace ledgerstress {
namespace {

// The history's index for deposit, with its recorded arguments (user_id, amount).
std::uint8_t DepositOp(ClientHistory* h) {
  const OperationDef& def = *BuiltinOperations().Find("deposit");
  return h->Track(def.name, def.durable_sql, RecorderFor(def).names);
}

std::string Args(std::int64_t user, const char* amount) {
  return std::to_string(user) + ClientHistory::kArgSeparator + amount;
}

class HistoryEffect : public testing::SmallLedger {
 protected:
  // Deposits 12.50 to the first donor under key "d-0".
  void SetUp() override {
    SmallLedger::SetUp();
    settlement::NoopObserver obs;
    settlement::Deposit(*conn_, fx_.donor_first_user, 1250, "d-0", obs);
  }
  InvariantResult CheckOne(ClientHistory::Seen seen, const std::string& args) {
    ClientHistory h;
    const std::uint8_t op = DepositOp(&h);
    h.Add({"d-", {ClientHistory::Pack(op, seen)}, args, {static_cast<std::uint32_t>(args.size())}});
    return CheckAcknowledgedWritesDurable(*conn_, h);
  }
};

TEST_F(HistoryEffect, HoldsWhenTheRowUnderTheKeyIsTheCallsUserAndAmount) {
  const InvariantResult r = CheckOne(ClientHistory::kOk, Args(fx_.donor_first_user, "12.50"));
  EXPECT_EQ(r.status, "held") << r.message;
  EXPECT_EQ(r.details.at("wrong_effect"), 0);
}

TEST_F(HistoryEffect, FiresWhenTheDepositWentToAnotherUsersWallet) {
  const InvariantResult r = CheckOne(ClientHistory::kOk, Args(fx_.donor_first_user + 1, "12.50"));
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.details.at("wrong_effect"), 1) << r.message;
  ASSERT_EQ(r.samples.size(), 1u);
  ASSERT_EQ(r.sample_columns[3], "arguments");
  EXPECT_EQ(r.samples[0][3], "user_id=" + std::to_string(fx_.donor_first_user + 1) + ", amount=12.50");
  EXPECT_NE(r.samples[0][4].find("\"user_id\":" + std::to_string(fx_.donor_first_user)), std::string::npos)
      << "the row found names the user it went to: " << r.samples[0][4];
}

TEST_F(HistoryEffect, FiresWhenTheAmountIsNotTheCallsAndAnInDoubtCallThatCommittedIsCheckedToo) {
  EXPECT_EQ(CheckOne(ClientHistory::kOk, Args(fx_.donor_first_user, "12.51")).details.at("wrong_effect"), 1);
  EXPECT_EQ(CheckOne(ClientHistory::kInDoubt, Args(fx_.donor_first_user, "1.00")).details.at("wrong_effect"), 1);
  EXPECT_EQ(CheckOne(ClientHistory::kInDoubt, Args(fx_.donor_first_user, "12.5")).status, "held")
      << "compared as numeric, the column's type: 12.5 is 12.50";
}

TEST_F(HistoryEffect, ANoEffectCallMustLeaveNoRow) {
  const InvariantResult phantom = CheckOne(ClientHistory::kNoEffect, Args(fx_.donor_first_user, "12.50"));
  EXPECT_EQ(phantom.status, "violated") << "the call said no effect, yet its key holds a deposit";
  EXPECT_EQ(phantom.details.at("phantom"), 1) << phantom.message;
  ClientHistory h;
  const std::uint8_t op = DepositOp(&h);
  h.Add({"none-", {ClientHistory::Pack(op, ClientHistory::kNoEffect)}, {}, {}});
  const InvariantResult held = CheckAcknowledgedWritesDurable(*conn_, h);
  EXPECT_EQ(held.status, "held") << held.message;
  EXPECT_EQ(held.details.at("no_effect"), 1);
}

}  // namespace
}  // namespace ledgerstress
