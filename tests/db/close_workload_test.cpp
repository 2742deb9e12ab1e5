// The close workload through the engine: concurrent closers, background
// load, the monitor's figures.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/engine.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

CaseSpec CloseCase(const std::string& strategy, int escrows, int closers, int projects, int background) {
  CaseSpec c;
  c.name = strategy;
  c.workload = Workload::kClose;
  c.workers = background;
  c.close.escrows = escrows;
  c.close.closers_per_project = closers;
  c.close.projects = projects;
  c.donors = 100;
  if (background > 0) {
    c.mix = {{"pledge_funds", 3}, {"deposit", 1}};
    c.strategies = {{"pledge_funds", "default"}, {"deposit", "default"}};
  }
  c.strategies["close_project_success"] = strategy;
  c.invariants = {"no_stranded_escrow", "release_split_exact", "money_conserved", "balances_match_ledger",
                  "no_negative_balance", "idempotent"};
  c.seed = 11;
  return c;
}

TEST(CloseWorkload, TwoClosersOnOneProjectReleaseEachEscrowExactlyOnce) {
  for (const char* strategy : {"keyset", "set_based", "per_escrow"}) {
    const CaseResult r = testing::RunCase(CloseCase(strategy, 600, 2, 1, 0));
    ASSERT_EQ(r.error, "") << strategy;
    EXPECT_EQ(r.verdict, Verdict::kPass) << strategy << ": " << r.verdict_reason;
    ASSERT_EQ(r.closes.size(), 2u);
    EXPECT_EQ(r.closes[0].released + r.closes[1].released, 600) << strategy;
    EXPECT_EQ(r.closes[0].marked_success + r.closes[1].marked_success, 1) << strategy;
  }
}

TEST(CloseWorkload, BackgroundWorkersRunWhileSeveralProjectsClose) {
  testing::ForgetServerStatements();
  const CaseResult r = testing::RunCase(CloseCase("keyset", 500, 1, 3, 4));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  ASSERT_EQ(r.closes.size(), 3u);
  for (const CloseCall& c : r.closes) EXPECT_EQ(c.released, 500);
  ASSERT_EQ(r.operations.size(), 3u);
  EXPECT_EQ(r.operations[0].name, "close_project_success");
  EXPECT_GT(r.operations[1].calls + r.operations[2].calls, 0u) << "background workers made no call";
  EXPECT_TRUE(r.server.sampled) << r.server.missing;
  EXPECT_GT(r.server.samples, 0);
  EXPECT_LE(r.server.max_escrow_rows_locked, 2 * 100 * 3) << "keyset holds one chunk per closer (two per scan at most)";
  EXPECT_GE(r.server.max_escrow_rows_locked_by_one, 1);
  EXPECT_LE(r.server.max_escrow_rows_locked_by_one, 100) << "one transaction holds one chunk";
  EXPECT_GT(r.server.statements_delta, 0);
  EXPECT_EQ(r.escrows_total, 1500);
}

TEST(CloseWorkload, TheReviewsBatchedCloseIsCaughtStrandingEscrows) {
  CaseSpec spec = CloseCase("batched", 1500, 1, 1, 2);
  spec.expect = Expectation::kViolation;
  spec.violates = {"no_stranded_escrow"};
  const CaseResult r = testing::RunCase(spec);
  EXPECT_EQ(r.verdict, Verdict::kCaught) << r.verdict_reason;
  ASSERT_FALSE(r.invariants.empty());
  EXPECT_EQ(r.invariants[0].name, "no_stranded_escrow");
  EXPECT_EQ(r.invariants[0].violations, 500u);
}

}  // namespace
}  // namespace ledgerstress

namespace ledgerstress {
namespace {

TEST(Safety, AFullRunLeavesEveryOtherSchemaUntouched) {
  auto conn = Connect(testing::ClusterTarget(), SessionSettings::Named("someone-else"));
  {
    pqxx::nontransaction tx(*conn);
    tx.exec("CREATE SCHEMA customer; CREATE TABLE customer.wallet (id int, balance numeric);"
            "INSERT INTO customer.wallet SELECT g, g * 1.5 FROM generate_series(1, 100) g");
  }
  CaseSpec spec = CloseCase("batched", 300, 1, 1, 2);  // the review's close, background pledges
  spec.expect = Expectation::kPass;
  testing::RunCase(spec);
  pqxx::nontransaction tx(*conn);
  EXPECT_EQ(tx.exec1("SELECT count(*), sum(balance)::text FROM customer.wallet")[1].as<std::string>(), "7575.0");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM customer.wallet")[0].as<int>(), 100);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ls_test_%'")[0].as<int>(), 0)
      << "the run's own schema must be dropped (no --keep-data)";
  tx.exec("DROP SCHEMA customer CASCADE");
}

}  // namespace
}  // namespace ledgerstress
