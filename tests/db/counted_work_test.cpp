// CountedWork on libpq directly: what it commits and rolls back, the
// statement counts, the libpqxx exception type of each failure class, a
// session this thread forgot and comes back to, a killed backend, and a
// connection that is not a settlement::Connection.
#include <pqxx/pqxx>

#include <type_traits>

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "settlement/connection.h"
#include "settlement/counted.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

struct StatementCounter : settlement::Observer {
  int statements = 0;
  void OnStatement(int n) override { statements += n; }
};

class CountedWorkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::FreshSchemaName();
    conn_ = testing::ConnectToSchema(schema_);
    pqxx::nontransaction tx(*conn_);
    tx.exec("CREATE SCHEMA " + tx.quote_name(schema_));
    tx.exec("CREATE TABLE t (id bigint PRIMARY KEY, note text)");
  }
  void TearDown() override {
    auto c = testing::ConnectToSchema(schema_);
    pqxx::nontransaction tx(*c);
    tx.exec("DROP SCHEMA " + tx.quote_name(schema_) + " CASCADE");
  }
  std::int64_t Count() {
    auto c = testing::ConnectToSchema(schema_);
    pqxx::nontransaction tx(*c);
    return tx.exec1("SELECT count(*) FROM t")[0].as<std::int64_t>();
  }
  // The exception a statement that fails with SQLSTATE `state` throws.
  void ExpectRaised(const char* state, const std::function<void()>& check) {
    SCOPED_TRACE(state);
    settlement::CountedWork tx(*conn_, obs_);
    try {
      tx.ExecRaw(std::string("DO $$ BEGIN RAISE EXCEPTION 'raised %', '") + state + "' USING ERRCODE = '" + state +
                 "'; END $$");
      ADD_FAILURE() << "nothing thrown";
    } catch (...) {
      check();
    }
  }

  std::string schema_;
  std::unique_ptr<settlement::Connection> conn_;
  StatementCounter obs_;
};

TEST_F(CountedWorkTest, CommitsWhatItWroteAndCountsEveryStatement) {
  {
    settlement::CountedWork tx(*conn_, obs_);
    tx.Exec("INSERT INTO t VALUES ($1, $2)", std::int64_t{1}, std::string("one"));
    tx.Exec(std::string("INSERT INTO t VALUES ($1, $2)"), 2, "two");  // run-time text
    tx.ExecRaw("INSERT INTO t VALUES (3, 'three')");
    const settlement::Rows r = tx.Exec("SELECT id, note FROM t WHERE id >= $1 ORDER BY id", 2);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0][0].as<std::int64_t>(), 2);
    EXPECT_EQ(r[1][1].as<std::string>(), "three");
    EXPECT_EQ(tx.Exec("UPDATE t SET note = 'x' WHERE id < $1", 3).affected_rows(), 2);
    tx.Commit();
  }
  EXPECT_EQ(obs_.statements, 7) << "BEGIN, five statements, COMMIT";
  EXPECT_EQ(Count(), 3);
}

TEST_F(CountedWorkTest, RollsBackWhenDestroyedUncommitted) {
  {
    settlement::CountedWork tx(*conn_, obs_);
    tx.Exec("INSERT INTO t VALUES ($1, $2)", std::int64_t{1}, std::string("one"));
  }
  EXPECT_EQ(Count(), 0);
  // The session is usable again (no transaction left open on it).
  settlement::CountedWork tx(*conn_, obs_);
  tx.Exec("INSERT INTO t VALUES ($1, $2)", std::int64_t{1}, std::string("one"));
  tx.Commit();
  EXPECT_EQ(Count(), 1);
}

TEST_F(CountedWorkTest, FailuresThrowLibpqxxsExceptionTypes) {
  ExpectRaised("40P01", [] { EXPECT_THROW(throw, pqxx::deadlock_detected); });
  ExpectRaised("40001", [] { EXPECT_THROW(throw, pqxx::serialization_failure); });
  ExpectRaised("40003", [] { EXPECT_THROW(throw, pqxx::statement_completion_unknown); });
  ExpectRaised("23505", [] { EXPECT_THROW(throw, pqxx::unique_violation); });
  ExpectRaised("55P03", [] {
    try {
      throw;
    } catch (const pqxx::sql_error& e) {
      EXPECT_EQ(e.sqlstate(), "55P03");
      EXPECT_NE(std::string(e.what()).find("raised 55P03"), std::string::npos) << e.what();
    }
  });
  settlement::CountedWork tx(*conn_, obs_);
  tx.Exec("INSERT INTO t VALUES ($1, $2)", 1, "one");
  EXPECT_THROW(tx.Exec("INSERT INTO t VALUES ($1, $2)", 1, "again"), pqxx::unique_violation);
}

TEST_F(CountedWorkTest, CommitAfterAFailedStatementIsAnErrorNotASilentRollback) {
  settlement::CountedWork tx(*conn_, obs_);
  tx.Exec("INSERT INTO t VALUES ($1, $2)", 1, "one");
  EXPECT_THROW(tx.Exec("SELECT 1 / $1", 0), pqxx::data_exception);
  try {
    tx.Commit();
    FAIL() << "COMMIT of a failed transaction reported success";
  } catch (const pqxx::sql_error& e) {
    EXPECT_EQ(e.sqlstate(), "25P02");
  }
  EXPECT_EQ(Count(), 0);
}

TEST_F(CountedWorkTest, StatementsArePreparedOncePerConnectionWhicheverThreadRunsThem) {
  // Many connections in one thread, then the first one again from another
  // thread: each connection knows what is prepared on it (preparing a name
  // twice would fail, and abort the transaction).
  std::vector<std::unique_ptr<settlement::Connection>> conns;
  for (int i = 0; i < 10; ++i) {
    conns.push_back(testing::ConnectToSchema(schema_));
    settlement::CountedWork tx(*conns.back(), obs_);
    tx.Exec("INSERT INTO t VALUES ($1, $2)", i, "main thread");
    tx.Commit();
  }
  std::thread other([&] {
    StatementCounter obs;
    settlement::CountedWork tx(*conns.front(), obs);
    tx.Exec("INSERT INTO t VALUES ($1, $2)", 100, "other thread");
    tx.Commit();
  });
  other.join();
  EXPECT_EQ(Count(), 11);
  pqxx::nontransaction q(*conns.front());
  EXPECT_EQ(q.exec1("SELECT count(*) FROM pg_prepared_statements")[0].as<int>(), 1);
}

TEST_F(CountedWorkTest, AKilledBackendIsABrokenConnection) {
  settlement::CountedWork tx(*conn_, obs_);
  const int pid = conn_->backendpid();
  {
    auto killer = testing::ConnectToSchema(schema_);
    pqxx::nontransaction k(*killer);
    k.exec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  }
  EXPECT_THROW(tx.Exec("INSERT INTO t VALUES ($1, $2)", 1, "one"), pqxx::broken_connection);
  EXPECT_THROW(settlement::CountedWork(*conn_, obs_), pqxx::broken_connection);
}

TEST_F(CountedWorkTest, AConnectionWithATransactionOpenIsRefused) {
  {
    pqxx::work outer(*conn_);
    outer.exec("INSERT INTO t VALUES (1, 'outer')");
    EXPECT_THROW(settlement::CountedWork(*conn_, obs_), std::logic_error);
    outer.commit();
  }
  settlement::CountedWork first(*conn_, obs_);
  EXPECT_THROW(settlement::CountedWork(*conn_, obs_), std::logic_error);
  first.Exec("INSERT INTO t VALUES ($1, $2)", 2, "first");
  first.Commit();
  EXPECT_EQ(Count(), 2);
}

// A plain libpqxx connection has no handle settlement/ can reach: passing
// one is a compile error, not a run-time throw.
static_assert(!std::is_constructible_v<settlement::CountedWork, pqxx::connection&, settlement::Observer&>,
              "CountedWork takes a settlement::Connection only");
static_assert(!std::is_convertible_v<pqxx::connection&, settlement::Connection&>);

TEST_F(CountedWorkTest, AClosedConnectionIsRefusedAsBroken) {
  settlement::Connection conn(testing::ClusterTarget().dsn);
  ASSERT_NE(conn.handle(), nullptr);
  conn.disconnect();
  EXPECT_EQ(conn.handle(), nullptr) << "the policy forgets the handle when the connection closes";
  EXPECT_TRUE(conn.prepared().empty());
  EXPECT_THROW(settlement::CountedWork(conn, obs_), pqxx::broken_connection);
}

}  // namespace
}  // namespace ledgerstress
