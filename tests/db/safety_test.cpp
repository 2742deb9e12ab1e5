// Safety of the database under test and resilience of the harness: an
// existing schema is never written to, and a monitor that cannot reach the
// server (or loses it) marks its figures missing instead of failing the run.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include <thread>

#include "harness/engine/fixtures.h"
#include "harness/engine/monitor.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

TEST(Safety, ASchemaThatAlreadyExistsIsRefusedAndLeftAlone) {
  const std::string schema = testing::FreshSchemaName();
  auto conn = testing::ConnectToSchema(schema);
  {
    pqxx::work tx(*conn);
    tx.exec("CREATE SCHEMA " + tx.quote_name(schema));
    tx.exec("CREATE TABLE " + tx.quote_name(schema) + ".theirs (x int)");
    tx.exec("INSERT INTO " + tx.quote_name(schema) + ".theirs VALUES (42)");
    tx.commit();
  }
  try {
    CreateFixture(*conn, FixtureSpec{schema, {}, 10});
    FAIL() << "an existing schema was used";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("schema " + schema + " already exists"), std::string::npos) << e.what();
  }
  pqxx::nontransaction tx(*conn);
  EXPECT_EQ(tx.exec1("SELECT x FROM " + tx.quote_name(schema) + ".theirs")[0].as<int>(), 42);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM information_schema.tables WHERE table_schema = " + tx.quote(schema))[0]
                .as<int>(),
            1)
      << "the fixture's tables were created in someone else's schema";
  tx.exec("DROP SCHEMA " + tx.quote_name(schema) + " CASCADE");
}

TEST(Safety, AMonitorThatCannotConnectMarksItsFiguresMissing) {
  Target nowhere{"host=/nonexistent-socket-dir port=1 dbname=x user=x password=secret-pw connect_timeout=2", "--dsn"};
  Monitor m(nowhere, "ls_none", "ledgerstress/test-monitor", std::chrono::milliseconds(10));
  m.Begin();
  m.StartSampling();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const ServerObservation o = m.End();
  EXPECT_NE(o.missing.find("monitor connection failed"), std::string::npos) << o.missing;
  EXPECT_EQ(o.missing.find("secret-pw"), std::string::npos) << o.missing;
  EXPECT_EQ(o.statements_delta, -1);
  EXPECT_EQ(o.max_escrow_rows_locked, -1);
}

TEST(Safety, AMonitorWhoseSessionIsKilledMidRunCarriesOn) {
  const std::string schema = testing::FreshSchemaName();
  auto conn = testing::ConnectToSchema(schema);
  CreateFixture(*conn, FixtureSpec{schema, {}, 0});
  const std::string prefix = "ledgerstress/test-monitor-" + schema;
  Monitor m(testing::ClusterTarget(), schema, prefix, std::chrono::milliseconds(10));
  m.Begin();
  m.StartSampling();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  {
    pqxx::nontransaction tx(*conn);
    tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = " +
            tx.quote(prefix + "/monitor-sampler"));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const ServerObservation o = m.End();
  EXPECT_GT(o.samples, 0) << "it sampled before the kill";
  EXPECT_NE(o.missing.find("a sample failed"), std::string::npos) << o.missing;
  DropSchema(*conn, schema);
}

}  // namespace
}  // namespace ledgerstress
