// The four close strategies against the embedded cluster: what they release,
// the shape of their statement counts, the review's stranding, resumption
// after a crash, and the server's own statement count.
#include <map>

#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/fixtures.h"
#include "harness/engine/monitor.h"
#include "harness/engine/worker.h"
#include "harness/invariants/invariants.h"
#include "settlement/close_project.h"
#include "settlement/connection.h"
#include "tests/db/test_cluster.h"

namespace settlement {
// Readable test names in gtest's output.
void PrintTo(CloseStrategy s, std::ostream* os) { *os << CloseStrategyName(s); }
}  // namespace settlement

namespace ledgerstress {
namespace {

using settlement::CloseStrategy;

// A schema with one project of `escrows` LOCKED escrows.
class CloseTest : public ::testing::Test {
 protected:
  void Make(int escrows, int projects = 1) {
    schema_ = testing::FreshSchemaName();
    conn_ = testing::ConnectToSchema(schema_);
    CreateFixture(*conn_, FixtureSpec{schema_, {}, 0});
    fx_ = CreateCloseFixture(*conn_, schema_, CloseFixtureSpec{projects, escrows, 50, 7});
  }
  void TearDown() override {
    if (conn_) DropSchema(*conn_, schema_);
  }

  std::uint64_t Close(CloseStrategy s, const settlement::CloseParams& p = {}, std::size_t project = 0) {
    CountingObserver obs;
    last_ = settlement::CloseProjectSuccess(*conn_, fx_.project_ids[project], s, p, obs);
    return obs.statements;
  }
  std::int64_t Scalar(const std::string& sql) {
    pqxx::nontransaction tx(*conn_);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }
  void ExpectAllInvariantsHold() {
    for (const char* inv : {"no_stranded_escrow", "release_split_exact", "money_conserved", "balances_match_ledger",
                            "no_negative_balance", "idempotent"}) {
      const InvariantResult r = CheckInvariant(*conn_, inv);
      EXPECT_EQ(r.status, "held") << inv << ": " << r.message;
    }
  }

  std::string schema_;
  std::unique_ptr<settlement::Connection> conn_;
  CloseFixture fx_;
  settlement::CloseResult last_;
};

class EveryStrategy : public CloseTest, public ::testing::WithParamInterface<CloseStrategy> {};

TEST_P(EveryStrategy, ReleasesEveryEscrowOnceAndKeepsTheLedgerRight) {
  Make(250);
  Close(GetParam());
  EXPECT_EQ(last_.released, 250);
  EXPECT_TRUE(last_.marked_success);
  EXPECT_EQ(Scalar("SELECT count(*) FROM escrow_contract WHERE status = 'LOCKED'"), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM wallet_transaction WHERE kind IN ('RELEASE','COMMISSION','FEE')"), 750);
  ExpectAllInvariantsHold();
}

INSTANTIATE_TEST_SUITE_P(Strategies, EveryStrategy,
                         ::testing::Values(CloseStrategy::kPerEscrow, CloseStrategy::kBatched, CloseStrategy::kKeyset,
                                           CloseStrategy::kSetBased),
                         [](const ::testing::TestParamInfo<CloseStrategy>& i) {
                           return std::string(settlement::CloseStrategyName(i.param));
                         });

TEST_F(CloseTest, StatementCountsShowTheNPlusOneShape) {
  // Counting, not timing: close the same kind of project at two sizes.
  settlement::CloseParams p;
  p.release_batch_size = 50;
  p.max_escrows_per_close = 1000000;  // no slicing: compare growth only
  std::map<CloseStrategy, std::uint64_t> at200, at400;
  for (CloseStrategy s : {CloseStrategy::kPerEscrow, CloseStrategy::kBatched, CloseStrategy::kKeyset,
                          CloseStrategy::kSetBased}) {
    Make(200);
    at200[s] = Close(s, p);
    TearDown();
    Make(400);
    at400[s] = Close(s, p);
    TearDown();
    conn_.reset();
  }
  // per_escrow: ~10 statements per escrow, so doubling N doubles them.
  EXPECT_GE(at200[CloseStrategy::kPerEscrow], 200u * 8);
  EXPECT_NEAR(static_cast<double>(at400[CloseStrategy::kPerEscrow]) / at200[CloseStrategy::kPerEscrow], 2.0, 0.05);
  // batched and keyset: a fixed number per chunk of 50 (4 and 8 chunks).
  for (CloseStrategy s : {CloseStrategy::kBatched, CloseStrategy::kKeyset}) {
    EXPECT_LT(at400[s], 400u / 50 * 12) << settlement::CloseStrategyName(s);
    const double per_chunk_200 = static_cast<double>(at200[s]) / 4, per_chunk_400 = static_cast<double>(at400[s]) / 8;
    EXPECT_NEAR(per_chunk_400 / per_chunk_200, 1.0, 0.35) << settlement::CloseStrategyName(s);
  }
  // set_based: the same handful whatever N.
  EXPECT_EQ(at200[CloseStrategy::kSetBased], at400[CloseStrategy::kSetBased]);
  // 5 for the release (BEGIN, wallets looked up and locked, the statement,
  // COMMIT), 4 to mark SUCCESS after locking the project.
  EXPECT_LE(at400[CloseStrategy::kSetBased], 9u);
}

TEST_F(CloseTest, TheReviewsBatchedCloseStrandsEscrowsPastItsCap) {
  Make(300);
  settlement::CloseParams p;
  p.max_escrows_per_close = 100;
  Close(CloseStrategy::kBatched, p);
  EXPECT_EQ(last_.released, 100);
  EXPECT_EQ(Scalar("SELECT count(*) FROM project WHERE id = " + std::to_string(fx_.project_ids[0]) +
                   " AND status = 'SUCCESS'"),
            1);
  const InvariantResult r = CheckInvariant(*conn_, "no_stranded_escrow");
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.violations, 200u);
  EXPECT_EQ(r.samples.size(), 10u);
  // The money itself is still accounted for: it is stuck, not lost.
  EXPECT_EQ(CheckInvariant(*conn_, "money_conserved").status, "held");
}

TEST_F(CloseTest, KeysetNeverMarksSuccessWhileEscrowsAreLocked) {
  Make(300);
  settlement::CloseParams p;
  p.max_escrows_per_close = 100;  // ignored by keyset
  Close(CloseStrategy::kKeyset, p);
  EXPECT_EQ(last_.released, 300);
  ExpectAllInvariantsHold();
}

// Throws before the n-th statement: the client "crashes" mid-close.
class CrashingObserver : public settlement::Observer {
 public:
  explicit CrashingObserver(int crash_at) : crash_at_(crash_at) {}
  void OnStatement(int) override {
    if (++n_ == crash_at_) throw std::runtime_error("simulated crash");
  }

 private:
  int crash_at_;
  int n_ = 0;
};

TEST_F(CloseTest, KeysetResumesAfterACrashAndFinishesExactlyOnce) {
  Make(500);
  settlement::CloseParams p;
  p.release_batch_size = 100;
  CrashingObserver crash(13);  // lookup (3) + two chunks (4 each), then dies in the third
  EXPECT_THROW(settlement::CloseProjectSuccess(*conn_, fx_.project_ids[0], CloseStrategy::kKeyset, p, crash),
               std::runtime_error);
  const std::int64_t released_before = Scalar("SELECT count(*) FROM escrow_contract WHERE status = 'RELEASED'");
  EXPECT_EQ(released_before, 200) << "committed chunks must stay committed, the interrupted one must roll back";
  EXPECT_EQ(Scalar("SELECT count(*) FROM project WHERE status = 'SUCCESS'"), 0);
  ExpectAllInvariantsHold();
  Close(CloseStrategy::kKeyset, p);
  EXPECT_EQ(last_.released, 300);
  EXPECT_TRUE(last_.marked_success);
  ExpectAllInvariantsHold();
}

TEST_F(CloseTest, ServerCountsTheSameStatementsAsTheObserver) {
  for (CloseStrategy s : {CloseStrategy::kKeyset, CloseStrategy::kSetBased, CloseStrategy::kBatched}) {
    Make(300);
    testing::ForgetServerStatements();
    auto closer = testing::ConnectToSchema(schema_);  // connected before counting starts
    Monitor monitor(testing::ClusterTarget(), schema_, "ledgerstress/" + testing::TestRunId());
    monitor.Begin();
    CountingObserver obs;
    settlement::CloseProjectSuccess(*closer, fx_.project_ids[0], s, {}, obs);
    const ServerObservation seen = monitor.End();
    ASSERT_GE(seen.statements_delta, 0) << seen.missing;
    EXPECT_EQ(static_cast<std::uint64_t>(seen.statements_delta), obs.statements) << settlement::CloseStrategyName(s);
    TearDown();
    conn_.reset();
  }
}

}  // namespace
}  // namespace ledgerstress

namespace ledgerstress {
namespace {

// Before every statement of a close, counts from another session the escrow
// rows the close holds locked (pgrowlocks): the exact lock footprint, not a
// sample.
class LockProbe : public settlement::Observer {
 public:
  LockProbe(const std::string& schema) : conn_(testing::ConnectToSchema(schema)), schema_(schema) {}
  void OnStatement(int) override {
    pqxx::nontransaction tx(*conn_);
    const auto n = tx.exec1("SELECT count(*) FROM public.pgrowlocks(" + tx.quote(schema_ + ".escrow_contract") + ")")[0]
                       .as<std::int64_t>();
    max_locked = std::max(max_locked, n);
  }
  std::int64_t max_locked = 0;

 private:
  std::unique_ptr<settlement::Connection> conn_;
  std::string schema_;
};

TEST_F(CloseTest, BatchedHoldsEveryChunksLocksUntilItsSingleCommit) {
  Make(300);
  LockProbe probe(schema_);
  settlement::CloseProjectSuccess(*conn_, fx_.project_ids[0], CloseStrategy::kBatched, {}, probe);
  EXPECT_EQ(probe.max_locked, 300) << "the review claims at most release_batch_size = 100 rows locked";
}

TEST_F(CloseTest, KeysetHoldsAtMostOneChunkOfLocks) {
  Make(300);
  LockProbe probe(schema_);
  settlement::CloseProjectSuccess(*conn_, fx_.project_ids[0], CloseStrategy::kKeyset, {}, probe);
  EXPECT_EQ(probe.max_locked, 100);
}

}  // namespace
}  // namespace ledgerstress
