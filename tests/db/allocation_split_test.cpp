// allocation_split_exact (CheckAllocationSplitExact): each allocation's
// pocket credits recomputed by the largest remainder method for the
// built-in weights. Holds after a run of only allocations through the
// engine; fires when one cent is moved from one pocket's credit to
// another's (balances kept consistent, so no other invariant sees it), and
// when an allocation was split by other weights.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/operations/call.h"
#include "settlement/pockets.h"
#include "tests/db/ledger_case.h"

namespace ledgerstress {
namespace {

const char* const kKept[] = {"allocation_split_exact", "money_conserved", "balances_match_ledger", "idempotent",
                             "no_negative_balance"};

// The rows of one allocation: its transaction id (xmin) and wallet, and
// the ids of its pockets' credit rows in pocket order.
struct Allocation {
  std::string xmin;
  std::int64_t wallet = 0;
  std::vector<std::int64_t> pockets;
};

Allocation FirstAllocation(settlement::Connection& conn) {
  pqxx::nontransaction tx(conn);
  const pqxx::row d = tx.exec1(
      "SELECT d.xmin::text, d.wallet_id FROM wallet_transaction d WHERE d.kind = 'DEPOSIT' AND EXISTS ("
      " SELECT 1 FROM wallet_transaction a WHERE a.kind = 'ALLOCATION' AND a.pocket_id IS NOT NULL"
      " AND a.xmin::text = d.xmin::text AND a.wallet_id = d.wallet_id) ORDER BY d.id LIMIT 1");
  Allocation a{d[0].as<std::string>(), d[1].as<std::int64_t>(), {}};
  for (const auto& row : tx.exec_params("SELECT pocket_id FROM wallet_transaction WHERE xmin::text = $1 AND "
                                        "wallet_id = $2 AND pocket_id IS NOT NULL ORDER BY pocket_id",
                                        a.xmin, a.wallet)) {
    a.pockets.push_back(row[0].as<std::int64_t>());
  }
  return a;
}

// Moves `cents` of the allocation's credit from pocket `from` to pocket
// `to`, and the pockets' balances with it. Every row of the allocation is
// rewritten in the one transaction (the others unchanged), so that they
// still share one xmin: the check groups an allocation's rows by it.
void MoveCredit(settlement::Connection& conn, const Allocation& a, std::int64_t from, std::int64_t to, int cents) {
  pqxx::work w(conn);
  const std::string c = std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
  w.exec_params("UPDATE wallet_transaction SET amount = amount + CASE pocket_id WHEN $3 THEN -$5::numeric"
                " WHEN $4 THEN $5::numeric ELSE 0 END WHERE xmin::text = $1 AND wallet_id = $2",
                a.xmin, a.wallet, from, to, c);
  w.exec_params("UPDATE wallet_pocket SET balance = balance + CASE id WHEN $1 THEN -$3::numeric ELSE $3::numeric END"
                " WHERE id IN ($1, $2)",
                from, to, c);
  w.commit();
}

class AllocationSplit : public ::testing::Test {
 protected:
  void SetUp() override {
    // Allocations only, through the real engine; the schema is kept.
    StopSource stop;
    CaseRunner runner(CaseRunner::Options{testing::ClusterTarget(), testing::TestRunId(), /*keep_data=*/true, ""}, &stop);
    CaseProgress progress;
    schema_ = testing::FreshSchemaName();
    spec_.name = "allocations";
    spec_.workload = Workload::kLedger;
    spec_.workers = 2;
    spec_.calls_per_worker = 25;
    spec_.donors = 10;
    spec_.mix = {{"allocate_deposit_across_pockets", 1}};
    spec_.strategies = {{"allocate_deposit_across_pockets", "default"}};
    spec_.invariants.assign(std::begin(kKept), std::end(kKept));
    spec_.seed = 2;
    r_ = runner.Run(spec_, schema_, &progress);
    conn_ = testing::ConnectToSchema(schema_);
  }
  void TearDown() override { DropSchema(*conn_, schema_); }

  InvariantResult Check(const std::string& name) { return CheckInvariant(*conn_, name); }

  CaseSpec spec_;
  CaseResult r_;
  std::string schema_;
  std::unique_ptr<settlement::Connection> conn_;
};

TEST_F(AllocationSplit, HoldsAfterARunOfOnlyAllocations) {
  ASSERT_EQ(r_.error, "") << r_.verdict_reason;
  EXPECT_EQ(r_.verdict, Verdict::kPass) << r_.verdict_reason;
  ExpectInvariantsHold(r_, spec_);
  ASSERT_EQ(r_.operations.size(), 1u);
  EXPECT_EQ(r_.operations[0].calls, 50u);
  EXPECT_EQ(r_.operations[0].errors(), 0u);
  pqxx::nontransaction tx(*conn_);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM wallet_transaction WHERE kind = 'ALLOCATION' AND pocket_id IS NOT NULL")[0]
                .as<int>(),
            150)
      << "50 allocations, three pocket credits each: the check had something to check";
}

TEST_F(AllocationSplit, RewritingAnAllocationsRowsWithoutChangingThemStillHolds) {
  const Allocation a = FirstAllocation(*conn_);
  ASSERT_EQ(a.pockets.size(), 3u);
  MoveCredit(*conn_, a, a.pockets[0], a.pockets[1], 0);
  const InvariantResult r = Check("allocation_split_exact");
  EXPECT_EQ(r.status, "held") << "the control for the test below: " << r.message;
}

TEST_F(AllocationSplit, FiresWhenOneCentMovesFromOnePocketsCreditToAnothers) {
  const Allocation a = FirstAllocation(*conn_);
  ASSERT_EQ(a.pockets.size(), 3u);
  MoveCredit(*conn_, a, a.pockets[0], a.pockets[1], 1);
  const InvariantResult r = Check("allocation_split_exact");
  EXPECT_EQ(r.status, "violated") << r.message;
  EXPECT_EQ(r.violations, 2u) << "the pocket that lost the cent and the one that got it";
  ASSERT_EQ(r.samples.size(), 2u);
  ASSERT_GE(r.sample_columns.size(), 2u);
  EXPECT_EQ(r.sample_columns[1], "pocket_id");
  EXPECT_EQ(r.samples[0][1], std::to_string(a.pockets[0])) << "the sample names the pocket";
  EXPECT_EQ(r.samples[1][1], std::to_string(a.pockets[1]));
  EXPECT_EQ(r.samples[0][0], std::to_string(a.wallet));
  for (const char* other : {"money_conserved", "balances_match_ledger", "no_negative_balance"}) {
    EXPECT_EQ(Check(other).status, "held") << other << ": only the split is wrong, the ledger is consistent";
  }
}

TEST_F(AllocationSplit, FiresOnAnAllocationSplitByOtherWeights) {
  settlement::NoopObserver obs;
  std::int64_t user = 0;
  {
    pqxx::nontransaction tx(*conn_);
    user = tx.exec1("SELECT min(user_id) FROM wallet w JOIN wallet_pocket p ON p.wallet_id = w.id")[0]
               .as<std::int64_t>();
  }
  settlement::AllocateDepositAcrossPockets(*conn_, user, 1001, kAllocationWeights, "built-in-weights", obs);
  EXPECT_EQ(Check("allocation_split_exact").status, "held") << "10.01 split 50/30/20: 5.01, 3.00, 2.00";
  settlement::AllocateDepositAcrossPockets(*conn_, user, 1001, {20, 30, 50}, "other-weights", obs);
  const InvariantResult r = Check("allocation_split_exact");
  EXPECT_EQ(r.status, "violated") << "the check recomputes with the built-in weights: " << r.message;
  EXPECT_EQ(r.violations, 2u) << "20/30/50 differs from 50/30/20 in the first and last pocket";
}


// An allocation written by code of its own (a driver: Django's nested
// transaction.atomic() blocks are savepoints): the DEPOSIT in the outer
// transaction, the pocket credits inside a savepoint, split 30/30/40 where
// 50/30/20 was due. The ledger balances, so only allocation_split_exact can
// see it. Rows written in a savepoint carry the subtransaction's xid as
// xmin, so grouping an allocation's rows by xmin must not lose them.
TEST_F(AllocationSplit, AWrongSplitWhosePocketCreditsWereWrittenInASavepointIsCaught) {
  std::int64_t wallet = 0;
  std::vector<std::int64_t> pockets;
  {
    pqxx::nontransaction tx(*conn_);
    wallet = tx.exec1("SELECT min(wallet_id) FROM wallet_pocket")[0].as<std::int64_t>();
    for (const auto& row : tx.exec_params("SELECT id FROM wallet_pocket WHERE wallet_id = $1 ORDER BY id", wallet)) {
      pockets.push_back(row[0].as<std::int64_t>());
    }
  }
  ASSERT_EQ(pockets.size(), 3u);
  {
    pqxx::work w(*conn_);
    w.exec_params("INSERT INTO wallet_transaction (wallet_id, amount, kind, idempotency_key) VALUES "
                  "($1, 10.00, 'DEPOSIT', 'in-a-savepoint'), ($1, -10.00, 'ALLOCATION', NULL)",
                  wallet);
    w.exec("SAVEPOINT credits");
    w.exec_params("INSERT INTO wallet_transaction (wallet_id, pocket_id, amount, kind) VALUES "
                  "($1, $2, 3.00, 'ALLOCATION'), ($1, $3, 3.00, 'ALLOCATION'), ($1, $4, 4.00, 'ALLOCATION')",
                  wallet, pockets[0], pockets[1], pockets[2]);
    w.exec("RELEASE SAVEPOINT credits");
    w.exec_params("UPDATE wallet_pocket SET balance = balance + CASE id WHEN $1 THEN 3.00 WHEN $2 THEN 3.00 "
                  "ELSE 4.00 END WHERE id IN ($1, $2, $3)",
                  pockets[0], pockets[1], pockets[2]);
    w.commit();
  }
  for (const char* other : {"money_conserved", "balances_match_ledger"}) {
    ASSERT_EQ(Check(other).status, "held") << other << ": the ledger itself is consistent";
  }
  const InvariantResult r = Check("allocation_split_exact");
  EXPECT_EQ(r.status, "violated")
      << "10.00 split 3.00/3.00/4.00 instead of 5.00/3.00/2.00 went unseen: the pocket credits' xmin is the "
         "savepoint's subtransaction, not the DEPOSIT's, so the check never paired them: "
      << r.message;
}

}  // namespace
}  // namespace ledgerstress
