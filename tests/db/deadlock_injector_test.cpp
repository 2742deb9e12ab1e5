// The deadlock injector never makes a bystander its victim: a call queued on
// the victim's wallet row would be part of the cycle, and PostgreSQL could
// abort it instead (a deposit with no retry failing a hardened case).
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/faults/deadlock_injector.h"
#include "harness/faults/in_flight.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

constexpr char kPrefix[] = "ls-bystander";
constexpr std::int64_t kUser = 7;
constexpr std::int64_t kProject = 1;

// A session named like worker `n`, with its own deadlock_timeout.
std::unique_ptr<settlement::Connection> Worker(const std::string& schema, int n, int deadlock_timeout_ms) {
  SessionSettings s = SessionSettings::Named(std::string(kPrefix) + "/w" + std::to_string(n), schema);
  s.deadlock_timeout = std::chrono::milliseconds(deadlock_timeout_ms);
  return Connect(testing::ClusterTarget(), s);
}

// Polls `sql` (one boolean) on a fresh connection until it is true (at most 5 s).
bool WaitFor(const std::string& sql) {
  pqxx::connection c(testing::ClusterTarget().dsn);
  for (int i = 0; i < 500; ++i) {
    if (pqxx::nontransaction(c).exec1(sql)[0].as<bool>()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// w0 holds the wallet (row A) and will block on the project (row B) that the
// injector holds: the injector's usual victim. w1, a deposit for the same
// user, queued on A before the injector asks for A. Its deadlock check runs
// first (300 ms against w0's 1 s), so were the injector to close the cycle,
// w1 (the bystander) would be the one aborted.
TEST(DeadlockInjector, SkipsAVictimWithACallQueuedOnItsWallet) {
  const std::string schema = testing::FreshSchemaName();
  {
    pqxx::connection admin(testing::ClusterTarget().dsn);
    pqxx::work tx(admin);
    tx.exec("CREATE SCHEMA " + schema);
    tx.exec("CREATE TABLE " + schema + ".project (id bigint PRIMARY KEY)");
    tx.exec("CREATE TABLE " + schema + ".wallet (id bigint PRIMARY KEY, user_id bigint NOT NULL)");
    tx.exec("INSERT INTO " + schema + ".project VALUES (1)");
    tx.exec("INSERT INTO " + schema + ".wallet VALUES (70, 7)");
    tx.commit();
  }
  auto w0 = Worker(schema, 0, 1000);
  auto w1 = Worker(schema, 1, 300);
  pqxx::work t0(*w0);
  t0.exec("SELECT id FROM wallet WHERE user_id = 7 FOR UPDATE");
  pqxx::work t1(*w1);
  auto bystander = std::async(std::launch::async, [&] {
    t1.exec("SELECT id FROM wallet WHERE user_id = 7 FOR UPDATE");
  });
  ASSERT_TRUE(WaitFor("SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'ls-bystander/w1'"
                      " AND wait_event_type = 'Lock'"));

  InFlightUsers in_flight(2);
  in_flight.slot(0)->store(kUser);
  in_flight.slot(1)->store(kUser);
  DeadlockInjector injector(testing::ClusterTarget(), schema, kPrefix, kProject, std::chrono::milliseconds(300),
                            &in_flight);
  injector.Start();
  ASSERT_TRUE(WaitFor("SELECT count(*) > 0 FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                      " WHERE a.application_name = 'ls-bystander-deadlock-injector'"
                      "   AND l.relation = '" + schema + ".project'::regclass AND l.granted"));
  auto victim = std::async(std::launch::async, [&] {
    t0.exec("SELECT id FROM project WHERE id = 1 FOR UPDATE");  // waits for the injector
  });
  EXPECT_NO_THROW(victim.get()) << "the injector skipped this round, so w0's pledge goes on";
  t0.commit();
  ASSERT_NO_THROW(bystander.get()) << "the bystander must never be aborted";
  t1.commit();
  in_flight.slot(0)->store(0);
  in_flight.slot(1)->store(0);
  injector.Stop();
  const FaultReport r = injector.Report();
  EXPECT_EQ(r.missing, "");
  EXPECT_GE(r.injection_attempts, 1);
  EXPECT_EQ(r.deadlocks_injected, 0);

  pqxx::connection admin(testing::ClusterTarget().dsn);
  pqxx::nontransaction(admin).exec("DROP SCHEMA " + schema + " CASCADE");
}

}  // namespace
}  // namespace ledgerstress
