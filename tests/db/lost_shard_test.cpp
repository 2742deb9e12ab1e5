// A lost shard's calls resolved by key (ResolveLostCalls): its workers'
// sessions are ended first; each key the calls could have used is
// committed when some tracked operation's durable query finds it, absent
// otherwise; with the number of calls known, up to it, else in windows
// until one finds nothing; and the history check counts them in doubt.
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "harness/engine/shard_in_doubt.h"
#include "harness/interrupt.h"
#include "harness/invariants/invariants.h"
#include "harness/pg/target.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

class LostShard : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::FreshSchemaName();
    admin_ = std::make_unique<pqxx::connection>(testing::ClusterTarget().dsn);
    pqxx::work tx(*admin_);
    tx.exec("CREATE SCHEMA " + schema_ + "; CREATE TABLE " + schema_ + ".puts (key text PRIMARY KEY);" +
            "CREATE TABLE " + schema_ + ".takes (key text PRIMARY KEY)");
    tx.commit();
    history_.Track("put", "SELECT count(*) FROM puts WHERE key = $1");
    history_.Track("take", "SELECT count(*) FROM takes WHERE key = $1");
    env_ = WorkloadEnv{&testing::ClusterTarget(), schema_, "ledgerstress/lost-shard-test", &stop_, nullptr, "",
                       nullptr};
  }
  void TearDown() override {
    pqxx::work tx(*admin_);
    tx.exec("DROP SCHEMA " + schema_ + " CASCADE");
    tx.commit();
  }

  // Rows under worker w's keys n (into puts, or takes when `take`).
  void Write(int w, std::initializer_list<int> ns, bool take = false) {
    pqxx::work tx(*admin_);
    for (int n : ns) {
      tx.exec_params("INSERT INTO " + schema_ + (take ? ".takes" : ".puts") + " VALUES ($1)",
                     WorkerKeyPrefix(env_, w) + std::to_string(n));
    }
    tx.commit();
  }

  static ClientHistory::Seen SeenOf(std::uint8_t c) { return static_cast<ClientHistory::Seen>(c & 3); }

  std::string schema_;
  std::unique_ptr<pqxx::connection> admin_;
  StopSource stop_;
  ClientHistory history_;
  WorkloadEnv env_{};
};

TEST_F(LostShard, EachKeyUpToTheLastOneFoundIsInDoubtCommittedOrAbsent) {
  Write(0, {0, 2});
  Write(0, {3}, /*take=*/true);
  Write(1, {7});  // beyond the 5 calls worker 1 could make: not its
  const LostCalls lost = ResolveLostCalls(env_, history_, WorkerSlice{0, 2}, 5);
  ASSERT_EQ(lost.logs.size(), 2u);
  EXPECT_EQ(lost.committed, 3u);
  EXPECT_EQ(lost.absent, 1u);  // key 1; key 4 may never have been sent
  const ClientHistory::Log& w0 = lost.logs[0];
  EXPECT_EQ(w0.key_prefix, WorkerKeyPrefix(env_, 0));
  ASSERT_EQ(w0.calls.size(), 4u);
  for (std::uint8_t c : w0.calls) EXPECT_EQ(SeenOf(c), ClientHistory::kInDoubt);
  EXPECT_EQ(w0.calls[0] >> 2, 0);  // put
  EXPECT_EQ(w0.calls[3] >> 2, 1);  // take: the operation that found the key
  EXPECT_TRUE(lost.logs[1].calls.empty());
  EXPECT_EQ(ResolveLostCalls(env_, history_, WorkerSlice{1, 2}, 0).committed, 1u);  // unbounded, key 7 is found

  // The history check counts them in doubt and holds.
  ClientHistory h = history_;
  for (const auto& log : lost.logs) h.Add(log);
  const InvariantResult r = CheckAcknowledgedWritesDurable(*testing::ConnectToSchema(schema_), h);
  EXPECT_EQ(r.status, "held") << r.message;
  EXPECT_EQ(r.details.at("in_doubt_committed"), 3);
  EXPECT_EQ(r.details.at("in_doubt_absent"), 1);
}

TEST_F(LostShard, WithoutTheCallsKnownKeysAreProbedInWindowsUntilOneFindsNone) {
  Write(0, {kProbeWindow - 1, kProbeWindow + 200});  // the second window still finds one
  Write(0, {3 * kProbeWindow + 5});                   // after a window with none: never reached
  const LostCalls lost = ResolveLostCalls(env_, history_, WorkerSlice{0, 1}, 0);
  ASSERT_EQ(lost.logs.size(), 1u);
  EXPECT_EQ(lost.logs[0].calls.size(), static_cast<std::size_t>(kProbeWindow + 201));
  EXPECT_EQ(lost.committed, 2u);
  EXPECT_EQ(lost.absent, static_cast<std::uint64_t>(kProbeWindow + 199));
}

TEST_F(LostShard, ItsWorkersSessionsAreEndedFirstAndAnUntrackedWorkloadHasNothingToResolve) {
  const auto worker = Connect(testing::ClusterTarget(), SessionSettings::Named(WorkerAppName(env_, 1)));
  const auto other = Connect(testing::ClusterTarget(), SessionSettings::Named(WorkerAppName(env_, 2)));
  const LostCalls lost = ResolveLostCalls(env_, ClientHistory{}, WorkerSlice{0, 2}, 0);
  EXPECT_TRUE(lost.logs.empty());
  pqxx::nontransaction tx(*admin_);
  const auto count = [&](const std::string& name) {
    return tx.exec_params1("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", name)[0].as<int>();
  };
  EXPECT_EQ(count(WorkerAppName(env_, 1)), 0);  // the lost shard's worker: ended
  EXPECT_EQ(count(WorkerAppName(env_, 2)), 1);  // another shard's: left alone
}

}  // namespace
}  // namespace ledgerstress
