// The monitor's server-side evidence of a sleep with a transaction open
// (ServerObservation::long_idle_in_transaction): a session of ours idle in
// transaction longer than the threshold counts, whatever the code reports;
// quick transactions and sessions that are not ours do not.
#include <chrono>
#include <thread>

#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/monitor.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

using std::chrono::milliseconds;

class MonitorIdle : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = "ledgerstress/" + testing::FreshSchemaName();
    monitor_ = std::make_unique<Monitor>(testing::ClusterTarget(), "no_such_schema", prefix_, milliseconds(10));
    monitor_->set_long_idle_threshold(milliseconds(100));
    monitor_->NoBuiltinTables();  // no case schema: sample sessions only
    monitor_->Begin();
    monitor_->StartSampling();
  }
  ServerObservation End() {
    std::this_thread::sleep_for(milliseconds(50));  // a few more samples
    return monitor_->End();
  }
  std::unique_ptr<settlement::Connection> Session(const std::string& name) {
    return Connect(testing::ClusterTarget(), SessionSettings::Named(name));
  }
  // One transaction: BEGIN, a statement, `idle` with nothing sent, COMMIT.
  static void Transaction(settlement::Connection& c, milliseconds idle) {
    pqxx::work w(c);
    w.exec("SELECT 1");
    std::this_thread::sleep_for(idle);
    w.commit();
  }

  std::string prefix_;
  std::unique_ptr<Monitor> monitor_;
};

TEST_F(MonitorIdle, OurSessionSleepingInATransactionIsSeenByTheServer) {
  auto c = Session(prefix_ + "/w0");
  Transaction(*c, milliseconds(300));
  const ServerObservation o = End();
  ASSERT_TRUE(o.sampled) << o.missing;
  EXPECT_GT(o.samples, 10) << "sampled every 10 ms";
  EXPECT_EQ(o.long_idle_in_transaction, 1) << "one sleep of 300 ms in one transaction is one long idle period";
  EXPECT_GE(o.max_idle_in_transaction, 1);
}

TEST_F(MonitorIdle, TwoSleepsInTwoTransactionsAreTwoPeriods) {
  auto c = Session(prefix_ + "/w0");
  Transaction(*c, milliseconds(250));
  Transaction(*c, milliseconds(250));
  EXPECT_EQ(End().long_idle_in_transaction, 2) << "each idle period counts once, however many samples saw it";
}

TEST_F(MonitorIdle, ManyQuickTransactionsAreNoLongIdle) {
  auto c = Session(prefix_ + "/w0");
  const auto until = std::chrono::steady_clock::now() + milliseconds(400);
  int n = 0;
  while (std::chrono::steady_clock::now() < until) {
    Transaction(*c, milliseconds(0));
    ++n;
  }
  const ServerObservation o = End();
  ASSERT_GT(n, 10);
  ASSERT_TRUE(o.sampled) << o.missing;
  EXPECT_EQ(o.long_idle_in_transaction, 0) << n << " quick transactions never sat idle for 100 ms";
}

TEST_F(MonitorIdle, ASessionThatIsNotOursIsNotCounted) {
  auto other = Session("someone-else/w0");
  auto sibling = Session(prefix_ + "-other/w0");  // a prefix that merely starts the same way
  std::thread t([&] { Transaction(*sibling, milliseconds(300)); });
  Transaction(*other, milliseconds(300));
  t.join();
  const ServerObservation o = End();
  ASSERT_TRUE(o.sampled) << o.missing;
  EXPECT_EQ(o.long_idle_in_transaction, 0) << "only sessions named under the prefix are ours";
  EXPECT_EQ(o.max_idle_in_transaction, 0);
}

}  // namespace
}  // namespace ledgerstress
