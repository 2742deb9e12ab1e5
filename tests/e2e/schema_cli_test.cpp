// `ledgerstress schema` prints the built-in schema's DDL: piped into psql
// in a fresh schema, it makes the tables the built-in operations write to.
#include <cstdio>
#include <memory>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "harness/pg/embedded_cluster.h"
#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

class SchemaCli : public ::testing::Test {
 protected:
  void SetUp() override {
    EmbeddedCluster::Options o;
    o.dir = (s_ / "cluster").string();
    cluster_ = EmbeddedCluster::Start(o);
    pqxx::connection c(cluster_->Dsn());
    pqxx::nontransaction(c).exec("CREATE SCHEMA fresh");
  }

  // `ledgerstress schema ARGS | psql` into the schema `fresh`, as the docs show it; psql's exit code.
  int PipeIntoPsql(const std::string& args) {
    const std::string cmd = std::string(LEDGERSTRESS_BIN) + " schema " + args + " | PGOPTIONS='-c search_path=fresh' "
                            "psql -X -q -v ON_ERROR_STOP=1 '" + cluster_->Dsn() + "' >" + (s_ / "psql.out").string() +
                            " 2>&1";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  pqxx::row Query(const std::string& sql) {
    pqxx::connection c(cluster_->Dsn());
    return pqxx::nontransaction(c).exec1(sql);
  }

  Scratch s_;
  std::unique_ptr<EmbeddedCluster> cluster_;
};

TEST_F(SchemaCli, ItsOutputPipedIntoPsqlMakesTheBuiltInTablesThatTakeALedger) {
  ASSERT_EQ(PipeIntoPsql(""), 0) << Slurp(s_ / "psql.out");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_tables WHERE schemaname = 'fresh' AND tablename IN "
                  "('app_user', 'wallet', 'wallet_pocket', 'saka_wallet', 'project', 'escrow_contract', "
                  "'wallet_transaction')")[0].as<int>(), 7);
  // The default schema options: saka_wallet.user_id is unique.
  EXPECT_EQ(Query("SELECT count(*) FROM pg_constraint WHERE conname = 'saka_wallet_user_id_key' AND "
                  "connamespace = 'fresh'::regnamespace")[0].as<int>(), 1);
  EXPECT_EQ(Query("WITH u AS (INSERT INTO fresh.app_user (email) VALUES ('a@example.test') RETURNING id) "
                  "INSERT INTO fresh.wallet (user_id) SELECT id FROM u RETURNING balance")[0].as<std::string>(), "0.00");
}

TEST_F(SchemaCli, ASchemaOptionSetToFalseLeavesItsConstraintOut) {
  ASSERT_EQ(PipeIntoPsql("--set schema.saka_unique_user=false"), 0) << Slurp(s_ / "psql.out");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_constraint WHERE conname = 'saka_wallet_user_id_key'")[0].as<int>(), 0);
  EXPECT_EQ(Query("SELECT count(*) FROM pg_tables WHERE schemaname = 'fresh'")[0].as<int>(), 7);
}

TEST(SchemaCliArgs, AnUnknownOptionIsAUsageErrorNamingTheKnownOnes) {
  Scratch s;
  const Result r = RunLs(s, {"schema", "--set", "schema.saka_unique_usr=false"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("did you mean 'saka_unique_user'"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

}  // namespace
}  // namespace ledgerstress::e2e
