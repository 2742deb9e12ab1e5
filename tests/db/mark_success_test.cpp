// MarkSuccessIfNoneLocked (settlement/close_common.h): the race between a
// pledge holding the project FOR SHARE and the close's final UPDATE, made
// deterministic. The pledge's transaction is open when the close starts;
// the close must block on the project row, and once the pledge commits its
// LOCKED escrow it must see it and leave the project FUNDING.
#include <chrono>
#include <future>
#include <thread>

#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/fixtures.h"
#include "harness/engine/worker.h"
#include "harness/invariants/invariants.h"
#include "settlement/close_common.h"
#include "tests/db/small_ledger.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

class MarkSuccess : public testing::SmallLedger {
 protected:
  void SetUp() override {
    SmallLedger::SetUp();
    project_ = fx_.background_project;  // FUNDING, no escrow
  }

  std::string Status() {
    pqxx::nontransaction tx(*conn_);
    return tx.exec_params1("SELECT status FROM project WHERE id = $1", project_)[0].as<std::string>();
  }
  std::int64_t LockedEscrows() {
    pqxx::nontransaction tx(*conn_);
    return tx.exec_params1("SELECT count(*) FROM escrow_contract WHERE project_id = $1 AND status = 'LOCKED'",
                           project_)[0]
        .as<std::int64_t>();
  }
  // Waits (up to 5 s) until backend `pid` waits on a lock held by `holder`.
  bool WaitUntilBlockedBy(int pid, int holder) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < give_up) {
      pqxx::nontransaction tx(*conn_);
      if (tx.exec_params1("SELECT $2::int = ANY(pg_blocking_pids($1::int))", pid, holder)[0].as<bool>()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  std::int64_t project_ = 0;
};

TEST_F(MarkSuccess, WithNoLockedEscrowItMarksTheProjectSuccess) {
  CountingObserver obs;
  EXPECT_TRUE(settlement::MarkSuccessIfNoneLocked(*conn_, project_, obs)) << "nothing LOCKED: the project closes";
  EXPECT_EQ(Status(), "SUCCESS");
  pqxx::nontransaction tx(*conn_);
  EXPECT_FALSE(tx.exec_params1("SELECT closed_at FROM project WHERE id = $1", project_)[0].is_null())
      << "closed_at must be set with the status";
  EXPECT_GT(obs.statements, 0u) << "its statements are reported to the observer";
}

TEST_F(MarkSuccess, AProjectAlreadyClosedIsNotMarkedAgain) {
  CountingObserver obs;
  ASSERT_TRUE(settlement::MarkSuccessIfNoneLocked(*conn_, project_, obs));
  EXPECT_FALSE(settlement::MarkSuccessIfNoneLocked(*conn_, project_, obs)) << "only a FUNDING project is marked";
  EXPECT_FALSE(settlement::MarkSuccessIfNoneLocked(*conn_, 987654321, obs)) << "a missing project is not marked";
}

TEST_F(MarkSuccess, WithALockedEscrowItLeavesTheProjectFunding) {
  {
    pqxx::nontransaction tx(*conn_);
    tx.exec_params("INSERT INTO escrow_contract (project_id, donor_wallet_id, amount) "
                   "SELECT $1, id, 10.00 FROM wallet WHERE user_id = $2",
                   project_, fx_.donor_first_user);
  }
  CountingObserver obs;
  EXPECT_FALSE(settlement::MarkSuccessIfNoneLocked(*conn_, project_, obs)) << "a LOCKED escrow keeps it open";
  EXPECT_EQ(Status(), "FUNDING");
}

// The pledge (connection A) holds the project FOR SHARE and has inserted its
// LOCKED escrow, uncommitted, when the close (connection B) starts. B must
// wait for A, then see A's escrow: false, and the project stays FUNDING.
TEST_F(MarkSuccess, APledgeThatHeldTheProjectWhenTheCloseStartedKeepsItFunding) {
  auto a = testing::ConnectToSchema(schema_);
  auto b = testing::ConnectToSchema(schema_);
  const int a_pid = a->backendpid();
  const int b_pid = b->backendpid();
  pqxx::work pledge(*a);
  ASSERT_EQ(pledge.exec_params1("SELECT status FROM project WHERE id = $1 FOR SHARE", project_)[0].as<std::string>(),
            "FUNDING");
  pledge.exec_params("INSERT INTO escrow_contract (project_id, donor_wallet_id, amount, idempotency_key) "
                     "SELECT $1, id, 12.34, 'race-pledge' FROM wallet WHERE user_id = $2",
                     project_, fx_.donor_first_user);

  auto closed = std::async(std::launch::async, [&] {
    CountingObserver obs;
    return settlement::MarkSuccessIfNoneLocked(*b, project_, obs);
  });
  const bool blocked = WaitUntilBlockedBy(b_pid, a_pid);
  EXPECT_TRUE(blocked) << "the close must wait on the project row the pledge holds FOR SHARE";
  EXPECT_EQ(closed.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
      << "the close returned while the pledge still held the project";
  pledge.commit();
  ASSERT_EQ(closed.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "the close never returned";
  EXPECT_FALSE(closed.get()) << "the pledge committed a LOCKED escrow before the close could look: no SUCCESS";
  EXPECT_EQ(Status(), "FUNDING") << "the project must stay open for its LOCKED escrow";
  EXPECT_EQ(LockedEscrows(), 1);
  const InvariantResult inv = CheckNoStrandedEscrow(*conn_);
  EXPECT_EQ(inv.status, "held") << inv.message;
}

// The same wait, but the pledge gives up (rolls back): nothing is LOCKED
// and the close goes ahead once the lock is free.
TEST_F(MarkSuccess, APledgeThatRollsBackLetsTheWaitingCloseMarkSuccess) {
  auto a = testing::ConnectToSchema(schema_);
  auto b = testing::ConnectToSchema(schema_);
  const int a_pid = a->backendpid();
  const int b_pid = b->backendpid();
  auto pledge = std::make_unique<pqxx::work>(*a);
  pledge->exec_params("SELECT status FROM project WHERE id = $1 FOR SHARE", project_);
  pledge->exec_params("INSERT INTO escrow_contract (project_id, donor_wallet_id, amount) "
                      "SELECT $1, id, 12.34 FROM wallet WHERE user_id = $2",
                      project_, fx_.donor_first_user);
  auto closed = std::async(std::launch::async, [&] {
    CountingObserver obs;
    return settlement::MarkSuccessIfNoneLocked(*b, project_, obs);
  });
  EXPECT_TRUE(WaitUntilBlockedBy(b_pid, a_pid)) << "the close must wait on the project row";
  pledge->abort();
  pledge.reset();
  ASSERT_EQ(closed.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "the close never returned";
  EXPECT_TRUE(closed.get()) << "no escrow was committed: the close must mark the project";
  EXPECT_EQ(Status(), "SUCCESS");
  EXPECT_EQ(LockedEscrows(), 0);
}

}  // namespace
}  // namespace ledgerstress
