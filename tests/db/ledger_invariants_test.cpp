// Each ledger and escrow invariant holds on a correctly closed project and
// fires on a seeded violation.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/fixtures.h"
#include "harness/engine/worker.h"
#include "harness/invariants/invariants.h"
#include "settlement/close_project.h"
#include "settlement/connection.h"
#include "settlement/ledger.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

const char* const kLedgerInvariants[] = {"no_stranded_escrow",    "release_split_exact", "money_conserved",
                                         "balances_match_ledger", "no_negative_balance", "idempotent"};

// A closed 200-escrow project and a second, still FUNDING, one.
class LedgerInvariants : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::FreshSchemaName();
    conn_ = testing::ConnectToSchema(schema_);
    CreateFixture(*conn_, FixtureSpec{schema_, {}, 0});
    fx_ = CreateCloseFixture(*conn_, schema_, CloseFixtureSpec{2, 200, 20, 3});
    CountingObserver obs;
    settlement::CloseProjectSuccess(*conn_, fx_.project_ids[0], settlement::CloseStrategy::kSetBased, {}, obs);
  }
  void TearDown() override { DropSchema(*conn_, schema_); }

  void Exec(const std::string& sql) {
    pqxx::nontransaction tx(*conn_);
    tx.exec(sql);
  }
  InvariantResult Check(const std::string& name) { return CheckInvariant(*conn_, name); }

  std::string schema_;
  std::unique_ptr<settlement::Connection> conn_;
  CloseFixture fx_;
};

TEST_F(LedgerInvariants, AllHoldAfterACorrectClose) {
  for (const char* inv : kLedgerInvariants) {
    const InvariantResult r = Check(inv);
    EXPECT_EQ(r.status, "held") << inv << ": " << r.message;
    EXPECT_TRUE(r.samples.empty()) << inv;
  }
}

TEST_F(LedgerInvariants, NoStrandedEscrowFiresWhenAProjectIsClosedWithLockedEscrows) {
  Exec("UPDATE project SET status = 'SUCCESS' WHERE id = " + std::to_string(fx_.project_ids[1]));
  const InvariantResult r = Check("no_stranded_escrow");
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.violations, 200u);
  EXPECT_EQ(r.details.at("projects_with_stranded"), 1);
  EXPECT_EQ(r.samples.size(), 10u);
}

TEST_F(LedgerInvariants, ReleaseSplitExactFiresOnAMisroundedCommission) {
  Exec("UPDATE wallet_transaction SET amount = amount + 0.01 WHERE id = "
       "(SELECT min(id) FROM wallet_transaction WHERE kind = 'COMMISSION')");
  const InvariantResult r = Check("release_split_exact");
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.violations, 1u);
}

TEST_F(LedgerInvariants, ReleaseSplitExactFiresOnADoubleRelease) {
  Exec("INSERT INTO wallet_transaction (wallet_id, amount, kind, escrow_id) "
       "SELECT wallet_id, amount, kind, escrow_id FROM wallet_transaction WHERE kind = 'RELEASE' LIMIT 3");
  const InvariantResult r = Check("release_split_exact");
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.violations, 3u);
}

TEST_F(LedgerInvariants, ReleaseSplitExactFiresOnCreditsForAnUnreleasedEscrow) {
  Exec("INSERT INTO wallet_transaction (wallet_id, amount, kind, escrow_id) "
       "SELECT donor_wallet_id, amount, 'RELEASE', id FROM escrow_contract WHERE status = 'LOCKED' LIMIT 1");
  EXPECT_EQ(Check("release_split_exact").status, "violated");
}

TEST_F(LedgerInvariants, MoneyConservedFiresWhenABalanceChangesWithoutADeposit) {
  Exec("UPDATE wallet SET balance = balance + 1.00 WHERE id = (SELECT min(id) FROM wallet)");
  const InvariantResult r = Check("money_conserved");
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.details.at("difference"), 1.0);
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].back(), "1.00");
}

TEST_F(LedgerInvariants, BalancesMatchLedgerFiresOnATransactionWithoutABalanceChange) {
  Exec("INSERT INTO wallet_transaction (wallet_id, amount, kind) SELECT min(id), 5.00, 'TRANSFER' FROM wallet");
  const InvariantResult r = Check("balances_match_ledger");
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.violations, 1u);
  EXPECT_EQ(Check("money_conserved").status, "held") << "a ledger-only error must not look like lost money";
}

TEST_F(LedgerInvariants, NoNegativeBalanceFires) {
  Exec("UPDATE wallet SET balance = -0.01 WHERE id = (SELECT max(id) FROM wallet)");
  EXPECT_EQ(Check("no_negative_balance").status, "violated");
}

TEST_F(LedgerInvariants, IdempotentFiresOnAKeyAppliedTwice) {
  Exec("INSERT INTO wallet_transaction (wallet_id, amount, kind, idempotency_key) "
       "SELECT wallet_id, amount, kind, idempotency_key FROM wallet_transaction WHERE kind = 'DEPOSIT' LIMIT 1");
  const InvariantResult r = Check("idempotent");
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.violations, 1u);
}

TEST_F(LedgerInvariants, PledgeAndDepositAreIdempotentByKey) {
  settlement::NoopObserver obs;
  const auto d1 = settlement::Deposit(*conn_, fx_.donor_first_user, 1234, "dep-key", obs);
  const auto d2 = settlement::Deposit(*conn_, fx_.donor_first_user, 1234, "dep-key", obs);
  EXPECT_FALSE(d1.duplicate);
  EXPECT_TRUE(d2.duplicate);
  EXPECT_EQ(d1.transaction_id, d2.transaction_id);
  const auto p1 = settlement::PledgeFunds(*conn_, fx_.donor_first_user, fx_.background_project, 500, "DONATION",
                                          "pledge-key", obs);
  const auto p2 = settlement::PledgeFunds(*conn_, fx_.donor_first_user, fx_.background_project, 500, "DONATION",
                                          "pledge-key", obs);
  EXPECT_TRUE(p2.duplicate);
  EXPECT_EQ(p1.escrow_id, p2.escrow_id);
  for (const char* inv : kLedgerInvariants) EXPECT_EQ(Check(inv).status, "held") << inv;
}

TEST_F(LedgerInvariants, PledgeRefusesWhatTheWalletCannotCover) {
  settlement::NoopObserver obs;
  EXPECT_THROW(settlement::PledgeFunds(*conn_, fx_.donor_first_user, fx_.background_project, 1000000000, "DONATION",
                                       "too-much", obs),
               settlement::InsufficientFunds);
  EXPECT_THROW(settlement::PledgeFunds(*conn_, fx_.donor_first_user, fx_.project_ids[0], 100, "DONATION", "closed",
                                       obs),
               settlement::ProjectNotFunding);
  for (const char* inv : kLedgerInvariants) EXPECT_EQ(Check(inv).status, "held") << inv;
}

}  // namespace
}  // namespace ledgerstress

#include "settlement/pockets.h"

namespace ledgerstress {
namespace {

TEST_F(LedgerInvariants, PocketTransfersAndAllocationsKeepTheLedgerAndAreIdempotent) {
  settlement::NoopObserver obs;
  const std::int64_t user = fx_.donor_first_user;
  settlement::TransferToPocket(*conn_, user, "giving", 1234, "t-1", obs);
  settlement::TransferToPocket(*conn_, user, "giving", 1234, "t-1", obs);  // same key: nothing more
  settlement::AllocateDepositAcrossPockets(*conn_, user, 1001, {50, 30, 20}, "a-1", obs);
  settlement::AllocateDepositAcrossPockets(*conn_, user, 1001, {50, 30, 20}, "a-1", obs);
  pqxx::result pockets;
  {
    pqxx::nontransaction tx(*conn_);
    pockets = tx.exec_params(
        "SELECT p.name, p.balance::text FROM wallet_pocket p JOIN wallet w ON w.id = p.wallet_id "
        "WHERE w.user_id = $1 ORDER BY p.id",
        user);
  }
  ASSERT_EQ(pockets.size(), 3u);
  // 10.01 split 50/30/20 = 5.005, 3.003, 2.002 -> 5.00 + 3.00 + 2.00 + the
  // leftover cent to the largest remainder (savings).
  EXPECT_EQ(std::string(pockets[0][1].c_str()), "5.01");
  EXPECT_EQ(std::string(pockets[1][1].c_str()), "15.34");  // 3.00 + the 12.34 transfer
  EXPECT_EQ(std::string(pockets[2][1].c_str()), "2.00");
  EXPECT_THROW(settlement::TransferToPocket(*conn_, user, "giving", 1000000000, "t-2", obs),
               settlement::InsufficientFunds);
  for (const char* inv : kLedgerInvariants) EXPECT_EQ(Check(inv).status, "held") << inv;
}

}  // namespace
}  // namespace ledgerstress
