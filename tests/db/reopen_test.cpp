// settlement::Connection::Reopen: a session whose backend was terminated
// comes back on the same handle with the settings Connect gave it
// (search_path, application_name, timeouts) and without the statements
// prepared on the old session; when no server can be reached it throws
// pqxx::broken_connection and the connection stays unusable.
#include <libpq-fe.h>

#include <chrono>
#include <thread>

#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/fixtures.h"
#include "harness/faults/lost_reply_proxy.h"
#include "harness/pg/dsn.h"
#include "harness/pg/target.h"
#include "settlement/ledger.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

class Reopen : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::FreshSchemaName();
    admin_ = testing::ConnectToSchema(schema_);
    settings_ = SessionSettings::Named("ledgerstress/test/reopen-" + schema_, schema_);
    settings_.statement_timeout = std::chrono::milliseconds(4321);
  }
  void TearDown() override { DropSchema(*admin_, schema_); }

  // Terminates `pid` from another session and waits until it is gone.
  void Terminate(int pid) {
    pqxx::nontransaction tx(*admin_);
    ASSERT_TRUE(tx.exec_params1("SELECT pg_terminate_backend($1)", pid)[0].as<bool>());
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!tx.exec_params("SELECT 1 FROM pg_stat_activity WHERE pid = $1", pid).empty()) {
      ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "backend " << pid << " never went away";
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  // What the session says of itself.
  static std::vector<std::string> Settings(settlement::Connection& c) {
    pqxx::nontransaction tx(c);
    const pqxx::row r = tx.exec1(
        "SELECT current_setting('search_path'), current_setting('application_name'), "
        "current_setting('statement_timeout'), current_setting('plan_cache_mode')");
    return {r[0].c_str(), r[1].c_str(), r[2].c_str(), r[3].c_str()};
  }
  // Sends a query through libpq, as the settlement code does: this is how
  // the retry loop first learns that its session is gone.
  static bool LibpqQueryWorks(settlement::Connection& c) {
    PGresult* r = PQexec(c.handle(), "SELECT 1");
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok;
  }

  std::string schema_;
  std::unique_ptr<settlement::Connection> admin_;
  SessionSettings settings_;
};

TEST_F(Reopen, ATerminatedSessionComesBackWithTheSameSettings) {
  {
    pqxx::nontransaction tx(*admin_);
    tx.exec("CREATE SCHEMA " + tx.quote_name(schema_));
  }
  auto c = Connect(testing::ClusterTarget(), settings_);
  const std::vector<std::string> before = Settings(*c);
  EXPECT_EQ(before[0], schema_);
  EXPECT_EQ(before[1], settings_.application_name);
  const int old_pid = c->backendpid();
  Terminate(old_pid);
  EXPECT_FALSE(LibpqQueryWorks(*c)) << "the old session is gone";
  EXPECT_FALSE(c->Usable()) << "libpq knows the session is broken";
  ASSERT_NO_THROW(c->Reopen());
  EXPECT_TRUE(c->Usable());
  EXPECT_NE(c->backendpid(), old_pid) << "a new backend";
  EXPECT_EQ(Settings(*c), before) << "search_path, application_name, statement_timeout and plan_cache_mode as set "
                                     "by Connect";
  {
    pqxx::nontransaction tx(*c);
    EXPECT_EQ(tx.exec1("SHOW search_path")[0].as<std::string>(), schema_);
  }
}

TEST_F(Reopen, ATerminatedSessionNotYetNoticedComesBackToo) {
  auto c = Connect(testing::ClusterTarget(), settings_);
  const std::vector<std::string> before = Settings(*c);
  const int old_pid = c->backendpid();
  Terminate(old_pid);
  ASSERT_NO_THROW(c->Reopen()) << "Reopen does not need the break to have been noticed";
  EXPECT_NE(c->backendpid(), old_pid);
  EXPECT_EQ(Settings(*c), before);
}

TEST_F(Reopen, StatementsPreparedOnTheOldSessionArePreparedAgain) {
  CreateFixture(*admin_, FixtureSpec{schema_, {}, 0});
  const CloseFixture fx = CreateCloseFixture(*admin_, schema_, CloseFixtureSpec{0, 0, 2, 1});
  auto c = Connect(testing::ClusterTarget(), settings_);
  settlement::NoopObserver obs;
  settlement::Deposit(*c, fx.donor_first_user, 100, "before", obs);  // prepares its statements on the session
  EXPECT_FALSE(c->prepared().empty());
  Terminate(c->backendpid());
  EXPECT_FALSE(LibpqQueryWorks(*c));
  ASSERT_NO_THROW(c->Reopen());
  EXPECT_TRUE(c->prepared().empty()) << "the new session knows none of the old one's statements";
  EXPECT_NO_THROW(settlement::Deposit(*c, fx.donor_first_user, 100, "after", obs))
      << "a deposit on the reopened session prepares its statements again";
  pqxx::nontransaction tx(*admin_);
  EXPECT_EQ(tx.exec("SELECT 1 FROM wallet_transaction WHERE idempotency_key IN ('before', 'after')").size(), 2u);
}

TEST_F(Reopen, WithTheServerGoneItThrowsBrokenConnectionAndStaysUnusable) {
  std::unique_ptr<LostReplyProxy> proxy;
  {
    pqxx::connection direct(testing::ClusterTarget().dsn);
    proxy = std::make_unique<LostReplyProxy>(direct.hostname(), std::stoi(direct.port()));
  }
  const Target through{WithHostPort(testing::ClusterTarget().dsn, proxy->host(), proxy->port()), "test: proxy"};
  auto c = Connect(through, settings_);
  ASSERT_EQ(Settings(*c)[1], settings_.application_name);
  proxy.reset();  // the only route to the server is gone, its socket with it
  EXPECT_THROW(c->Reopen(), pqxx::broken_connection) << "no session can be had";
  EXPECT_FALSE(c->Usable()) << "the connection stays unusable";
  EXPECT_THROW(c->Reopen(), pqxx::broken_connection) << "and keeps saying so";
}

TEST_F(Reopen, AClosedConnectionHasNothingToReopen) {
  auto c = Connect(testing::ClusterTarget(), settings_);
  c->disconnect();
  EXPECT_EQ(c->handle(), nullptr);
  EXPECT_THROW(c->Reopen(), pqxx::broken_connection);
}

}  // namespace
}  // namespace ledgerstress

namespace ledgerstress {
namespace {

TEST_F(Reopen, ASessionWhoseBreakLibpqxxNoticedComesBackToo) {
  auto c = Connect(testing::ClusterTarget(), settings_);
  const std::vector<std::string> before = Settings(*c);
  Terminate(c->backendpid());
  EXPECT_THROW(pqxx::nontransaction(*c).exec("SELECT 1"), pqxx::broken_connection);
  ASSERT_NO_THROW(c->Reopen());
  EXPECT_EQ(Settings(*c), before);
}

}  // namespace
}  // namespace ledgerstress
