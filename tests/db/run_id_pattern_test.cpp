// A run's faults and its stop reach only its own sessions, even when another
// run's id differs from it only where ours has a '_' (a LIKE wildcard): the
// backend killer, and the cancel a stop sends.
#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "harness/faults/backend_killer.h"
#include "harness/pg/like_pattern.h"
#include "harness/pg/target.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

using std::chrono::milliseconds;

bool Alive(settlement::Connection& c) {
  try {
    pqxx::nontransaction(c).exec("SELECT 1");
    return true;
  } catch (const pqxx::broken_connection&) {
    return false;
  }
}

TEST(RunIdPattern, LikeEscapedMatchesOnlyItself) {
  EXPECT_EQ(LikeEscaped("ls/nightly_42/w"), "ls/nightly\\_42/w");
  EXPECT_EQ(LikeEscaped("a%b\\c"), "a\\%b\\\\c");
  auto c = Connect(testing::ClusterTarget(), SessionSettings::Named("run-id-pattern"));
  pqxx::nontransaction tx(*c);
  const std::string pattern = tx.quote(LikeEscaped("ls/nightly_42/") + "%");
  EXPECT_TRUE(tx.exec1("SELECT 'ls/nightly_42/w1' LIKE " + pattern)[0].as<bool>());
  EXPECT_FALSE(tx.exec1("SELECT 'ls/nightly-42/w1' LIKE " + pattern)[0].as<bool>());
}

TEST(RunIdPattern, TheBackendKillerKillsOurWorkerAndNotTheRunWhoseIdDiffersAtAnUnderscore) {
  auto ours = Connect(testing::ClusterTarget(), SessionSettings::Named("ledgerstress/nightly_42/w0"));
  auto theirs = Connect(testing::ClusterTarget(), SessionSettings::Named("ledgerstress/nightly-42/w0"));
  BackendKiller killer(testing::ClusterTarget(), "ledgerstress/nightly_42", milliseconds(50), 7);
  killer.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (killer.kills() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  // Ticks enough to reach the other session too, were it matched.
  std::this_thread::sleep_for(milliseconds(400));
  killer.Stop();
  ASSERT_GE(killer.kills(), 1) << killer.missing();
  EXPECT_FALSE(Alive(*ours)) << "our worker's session must be the one killed";
  EXPECT_TRUE(Alive(*theirs)) << "another run's session was killed";
}

TEST(RunIdPattern, AStopCancelsOurStatementsAndNotTheRunWhoseIdDiffersAtAnUnderscore) {
  auto ours = Connect(testing::ClusterTarget(), SessionSettings::Named("ledgerstress/nightly_42/w0"));
  auto theirs = Connect(testing::ClusterTarget(), SessionSettings::Named("ledgerstress/nightly-42/w0"));
  auto sleep = [](settlement::Connection* c) {
    try {
      pqxx::nontransaction(*c).exec("SELECT pg_sleep(30)");
      return std::string("finished");
    } catch (const pqxx::sql_error& e) {
      return std::string(e.sqlstate());
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
  };
  auto our_sleep = std::async(std::launch::async, sleep, ours.get());
  auto their_sleep = std::async(std::launch::async, sleep, theirs.get());
  auto watcher = Connect(testing::ClusterTarget(), SessionSettings::Named("run-id-pattern"));
  // How many of the sessions named `name` (LIKE) are in their pg_sleep.
  auto sleeping = [&](const std::string& name) {
    pqxx::nontransaction tx(*watcher);
    return tx.exec1("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE " + tx.quote(name) +
                    " AND query LIKE '%pg_sleep%' AND state = 'active'")[0].as<int>();
  };
  for (int i = 0; i < 1000 && sleeping("ledgerstress/nightly%/w0") < 2; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_EQ(sleeping("ledgerstress/nightly%/w0"), 2) << "both statements must be under way first";
  CancelOurStatements(testing::ClusterTarget(), "ledgerstress/nightly_42");
  EXPECT_EQ(our_sleep.get(), "57014") << "our statement must be cancelled";
  EXPECT_EQ(sleeping("ledgerstress/nightly-42/w0"), 1) << "another run's statement was cancelled";
  pqxx::nontransaction(*watcher).exec(
      "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'ledgerstress/nightly-42/w0'");
  EXPECT_EQ(their_sleep.get(), "57014");
}

}  // namespace
}  // namespace ledgerstress
