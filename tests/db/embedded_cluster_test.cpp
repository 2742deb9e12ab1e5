#include "harness/pg/embedded_cluster.h"

#include <filesystem>

#include <libpq-fe.h>
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/pg/server_info.h"

namespace ledgerstress {
namespace {

TEST(EmbeddedCluster, StartsWithPgStatStatementsAndIsGoneAfterDestroy) {
  EmbeddedCluster::Options o;
  o.max_connections = 37;
  auto c = EmbeddedCluster::Start(o);
  const std::string dir = c->dir();
  const std::string dsn = c->Dsn();
  ASSERT_TRUE(std::filesystem::exists(dir));
  EXPECT_EQ(PQping(dsn.c_str()), PQPING_OK);
  {
    pqxx::connection conn(dsn);
    const ServerInfo info = ReadServerInfo(conn);
    EXPECT_EQ(info.settings.at("max_connections"), "37");
    EXPECT_EQ(info.settings.at("fsync"), "off");
    EXPECT_TRUE(info.pg_stat_statements);
    pqxx::nontransaction tx(conn);
    EXPECT_EQ(tx.exec1("SHOW listen_addresses")[0].as<std::string>(), "") << "the cluster must not listen on TCP";
    EXPECT_EQ(tx.exec1("SHOW pg_stat_statements.max")[0].as<std::string>(), "20000")
        << "PostgreSQL's default 5000 fills up in one test suite";
  }
  c->Destroy();
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_NE(PQping(dsn.c_str()), PQPING_OK);
}

TEST(EmbeddedCluster, DestructorCleansUpAndClustersDoNotCollide) {
  std::string d1, d2;
  {
    auto a = EmbeddedCluster::Start({});
    auto b = EmbeddedCluster::Start({});
    d1 = a->dir();
    d2 = b->dir();
    EXPECT_NE(d1, d2);
  }
  EXPECT_FALSE(std::filesystem::exists(d1));
  EXPECT_FALSE(std::filesystem::exists(d2));
}

TEST(EmbeddedCluster, AttachFindsNothingWhereNoClusterRuns) {
  EXPECT_EQ(EmbeddedCluster::Attach("/nonexistent/ledgerstress"), nullptr);
}

}  // namespace
}  // namespace ledgerstress
