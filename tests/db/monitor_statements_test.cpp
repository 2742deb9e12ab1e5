// The monitor's server statement count is a count or missing: entries
// pg_stat_statements evicts (more distinct statements than
// pg_stat_statements.max, named) or a reset of all of them during the case
// make it missing, each with its reason. On a cluster of its own with the smallest max (100),
// so that evicting is cheap and the suite's cluster is not reset.
#include <memory>
#include <string>

#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/monitor.h"
#include "harness/pg/embedded_cluster.h"

namespace ledgerstress {
namespace {

class MonitorStatements : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EmbeddedCluster::Options o;
    o.statements_max = 100;
    o.max_connections = 10;
    cluster_ = EmbeddedCluster::Start(o).release();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    conn_ = std::make_unique<pqxx::connection>(cluster_->Dsn());
    // Each test from an empty table, whichever ran before it in this process.
    pqxx::nontransaction(*conn_).exec("SELECT pg_stat_statements_reset()");
    monitor_ = std::make_unique<Monitor>(Target{cluster_->Dsn(), "embedded cluster"}, "no_such_schema",
                                         "ledgerstress/monitor-statements");
    monitor_->CountersOnly();
    monitor_->NoBuiltinTables();
    monitor_->Begin();
  }
  // `n` statements of `n` different shapes (a target list of 1 to n
  // columns): n entries in pg_stat_statements.
  void DistinctStatements(int n) {
    pqxx::nontransaction tx(*conn_);
    std::string columns = "1";
    for (int i = 0; i < n; ++i, columns += ", 1") tx.exec("SELECT " + columns);
  }

  static EmbeddedCluster* cluster_;
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<Monitor> monitor_;
};

EmbeddedCluster* MonitorStatements::cluster_ = nullptr;

TEST_F(MonitorStatements, CountsWhatTheServerRanWhenNothingWasEvicted) {
  DistinctStatements(20);
  const ServerObservation seen = monitor_->End();
  EXPECT_EQ(seen.statements_delta, 20) << seen.missing;
  EXPECT_EQ(seen.missing.find("pg_stat_statements"), std::string::npos) << seen.missing;
}

TEST_F(MonitorStatements, IsMissingWhenEntriesWereEvictedDuringTheCase) {
  DistinctStatements(150);
  const ServerObservation seen = monitor_->End();
  EXPECT_EQ(seen.statements_delta, -1) << "a sum that lost evicted entries is not a count";
  EXPECT_NE(seen.missing.find("pg_stat_statements evicted entries during the case"), std::string::npos)
      << seen.missing;
  EXPECT_NE(seen.missing.find("pg_stat_statements.max = 100"), std::string::npos) << seen.missing;
}

TEST_F(MonitorStatements, IsMissingWhenTheStatisticsWereResetDuringTheCase) {
  DistinctStatements(5);
  pqxx::nontransaction(*conn_).exec("SELECT pg_stat_statements_reset()");
  DistinctStatements(3);
  const ServerObservation seen = monitor_->End();
  EXPECT_EQ(seen.statements_delta, -1);
  EXPECT_NE(seen.missing.find("pg_stat_statements was reset during the case"), std::string::npos) << seen.missing;
}

}  // namespace
}  // namespace ledgerstress
