// The open model against a real server: a stall the service time hides
// shows in the latency from the intended start, and arrivals the workers
// cannot serve are dropped and counted.
#include <thread>

#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/engine.h"
#include "harness/interrupt.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

using testing::ClusterTarget;
using testing::TestRunId;

CaseSpec OpenCase(int workers, double rate, std::chrono::milliseconds duration, std::chrono::milliseconds max_delay) {
  CaseSpec c;
  c.name = "open";
  c.workload = Workload::kLedger;
  c.workers = workers;
  c.duration = duration;
  c.donors = 50;
  c.mix = {{"deposit", 1}};
  c.strategies = {{"deposit", "default"}};
  c.arrival_rate_per_s = rate;
  c.max_start_delay = max_delay;
  c.invariants = {"money_conserved", "balances_match_ledger"};
  c.seed = 11;
  return c;
}

// Holds every wallet row out of reach for `stall` once the case's fixture
// exists and its workers have run a while.
void StallWallets(const std::string& schema, std::chrono::milliseconds stall) {
  auto conn = Connect(ClusterTarget(), SessionSettings::Named("ledgerstress/test-stall"));
  for (int i = 0; i < 200; ++i) {
    if (!pqxx::nontransaction(*conn).exec1("SELECT to_regclass(" + conn->quote(schema + ".wallet_transaction") +
                                           ") IS NOT NULL")[0].as<bool>()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // the workers are calling by now
    pqxx::work tx(*conn);
    tx.exec("LOCK TABLE " + conn->quote_name(schema) + ".wallet IN EXCLUSIVE MODE");  // blocks FOR UPDATE
    std::this_thread::sleep_for(stall);
    tx.commit();
    return;
  }
  ADD_FAILURE() << "the case's tables never appeared";
}

CaseResult RunWithStall(const CaseSpec& spec, std::chrono::milliseconds stall) {
  StopSource stop;
  CaseRunner runner(CaseRunner::Options{ClusterTarget(), TestRunId(), false, ""}, &stop);
  CaseProgress progress;
  const std::string schema = testing::FreshSchemaName();
  std::thread staller;
  if (stall.count() > 0) staller = std::thread([&] { StallWallets(schema, stall); });
  CaseResult r = runner.Run(spec, schema, &progress);
  if (staller.joinable()) staller.join();
  return r;
}

TEST(OpenModel, AStallShowsInTheLatencyFromTheIntendedStartNotInTheServiceTime) {
  const CaseResult r =
      RunWithStall(OpenCase(2, 100, std::chrono::milliseconds(3500), std::chrono::seconds(5)), std::chrono::milliseconds(800));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  ASSERT_EQ(r.operations.size(), 1u);
  const OperationResult& op = r.operations[0];
  ASSERT_TRUE(op.open_model);
  EXPECT_GT(op.calls, 250u);
  // While the wallets are locked both workers wait in one call each; the
  // 80 calls that arrive meanwhile start late, short once they start.
  EXPECT_GE(op.latency_corrected.p99_ms, op.latency.p99_ms);
  EXPECT_GE(op.latency_corrected.max_ms, op.latency.max_ms - 1);
  EXPECT_GT(op.latency_corrected.p99_ms, 300) << "the arrivals of the stall waited for it";
  EXPECT_GT(op.latency_corrected.p99_ms, 3 * op.latency.p99_ms) << "service p99 " << op.latency.p99_ms;
  EXPECT_GT(op.latency.max_ms, 600) << "the calls caught by the lock waited for it";
  EXPECT_EQ(r.arrivals.dropped, 0u) << "max_start_delay 5s: nothing is late enough to drop";
  EXPECT_EQ(r.arrivals.started, op.calls);
  EXPECT_GT(r.arrivals.lag.p99_ms, 300);
}

TEST(OpenModel, WithinCapacityNothingIsDroppedAndTheTwoLatenciesAgree) {
  const CaseResult r =
      RunWithStall(OpenCase(2, 50, std::chrono::milliseconds(2000), std::chrono::seconds(1)), std::chrono::milliseconds(0));
  ASSERT_EQ(r.error, "");
  const OperationResult& op = r.operations[0];
  EXPECT_EQ(r.arrivals.dropped, 0u);
  EXPECT_NEAR(static_cast<double>(r.arrivals.started), 100, 5) << "50/s for 2 s";
  EXPECT_GE(op.latency_corrected.p50_ms, op.latency.p50_ms);
  EXPECT_LT(op.latency_corrected.p50_ms - op.latency.p50_ms, 20) << "no stall: the lag is scheduling noise";
}

// A fast server may serve 3000 deposits/s on one worker: the stall makes
// sure it cannot for 400 ms, so drops happen on any machine.
TEST(OpenModel, ArrivalsBeyondWhatTheWorkersServeAreDroppedAndCounted) {
  const CaseResult r = RunWithStall(OpenCase(1, 3000, std::chrono::milliseconds(2500), std::chrono::milliseconds(20)),
                                    std::chrono::milliseconds(400));
  ASSERT_EQ(r.error, "");
  EXPECT_GT(r.arrivals.dropped, 600u) << "400 ms of arrivals at 3000/s, at most 20 ms of them late enough to start";
  EXPECT_NEAR(static_cast<double>(r.arrivals.started + r.arrivals.dropped), 7500, 750) << "3000/s for 2.5 s";
  EXPECT_LE(r.arrivals.lag.max_ms, 20.5) << "no call starts later than max_start_delay";
  EXPECT_EQ(r.arrivals.started, r.operations[0].calls);
  EXPECT_EQ(r.verdict, Verdict::kPass) << "dropped calls are a figure, not a failure: " << r.verdict_reason;
}

// A set-based close holds the owners' wallets for its whole statement: the
// background deposits to them block, every worker is soon stuck, and the
// arrivals of that time wait -- their backlog is served after the close
// (not lost when the phase ends) and shows in the corrected latency.
TEST(OpenModel, TheBacklogOfACloseIsServedAfterItAndCountedFromTheIntendedStart) {
  CaseSpec c;
  c.name = "set_based";
  c.workload = Workload::kClose;
  c.workers = 4;
  c.close.escrows = 4000;
  c.donors = 200;
  c.mix = {{"pledge_funds", 1}, {"deposit", 1}};
  c.strategies = {{"pledge_funds", "default"}, {"deposit", "default"}, {"close_project_success", "set_based"}};
  c.arrival_rate_per_s = 200;
  c.max_start_delay = std::chrono::seconds(10);
  c.invariants = {"no_stranded_escrow", "money_conserved", "balances_match_ledger"};
  c.seed = 12;
  const CaseResult r = testing::RunCase(c);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  const double offered = 200 * r.close_phase_seconds;
  EXPECT_GT(static_cast<double>(r.arrivals.started), 0.7 * offered)
      << "the arrivals during the close are served, after it if need be; close " << r.close_phase_seconds << " s";
  for (const OperationResult& op : r.operations) {
    if (op.name != "pledge_funds") continue;
    ASSERT_TRUE(op.open_model);
    EXPECT_GT(op.latency_corrected.p99_ms, 3 * op.latency.p99_ms)
        << "pledges wait for a worker stuck behind the close: corrected " << op.latency_corrected.p99_ms
        << " ms, service " << op.latency.p99_ms << " ms";
  }
}

}  // namespace
}  // namespace ledgerstress
