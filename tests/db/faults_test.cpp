// The backend killer: our workers reconnect, and nobody else's session is
// touched. The crash nemesis: the server comes back, and so do the workers.
#include "harness/pg/embedded_cluster.h"
#include "tests/db/ledger_case.h"

namespace ledgerstress {
namespace {

TEST(Faults, KilledWorkersReconnectAndOnlyOurBackendsDie) {
  // Someone else's session on the same server, idle in a transaction.
  auto bystander = Connect(testing::ClusterTarget(), SessionSettings::Named("someone-else"));
  pqxx::work theirs(*bystander);
  theirs.exec("SELECT 1");

  CaseSpec spec = DeadlockCase("per_transaction");
  spec.ledger.deadlock_injection = false;
  spec.ledger.backend_kill_every = std::chrono::milliseconds(200);
  spec.max_error_rate = 0.5;
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "") << "a killed worker must reconnect, not end the case";
  EXPECT_GE(r.faults.Figure("backends_killed"), 5);
  std::uint64_t lost = 0;
  for (const OperationResult& op : r.operations) {
    lost += Outcome(op, "connection_lost") + Outcome(op, "in_doubt");
  }
  EXPECT_GT(lost, 0u);
  ExpectInvariantsHold(r, spec);
  EXPECT_NO_THROW(theirs.exec("SELECT 2")) << "the bystander's session was killed";
  theirs.commit();
}

TEST(Faults, ACrashedServerComesBackAndNothingAcknowledgedIsLostWithSynchronousCommit) {
  // A cluster of the test's own: the shared one is not ours to crash.
  auto cluster = EmbeddedCluster::Start(EmbeddedCluster::Options{});
  const Target own{cluster->Dsn(), "embedded cluster", cluster.get()};
  CaseSpec spec = DeadlockCase("per_transaction");
  spec.ledger.deadlock_injection = false;
  spec.ledger.server_crash_every = std::chrono::milliseconds(1000);
  spec.duration = std::chrono::milliseconds(3000);
  spec.max_error_rate = 0.5;
  const CaseResult r = testing::RunCase(spec, own);
  ASSERT_EQ(r.error, "") << "the workers must reconnect after a crash, not end the case";
  EXPECT_GE(r.faults.Figure("server_crashes"), 1);
  EXPECT_GT(r.faults.Figure("longest_outage_s"), 0);
  std::uint64_t cut = 0, ok = 0;
  for (const OperationResult& op : r.operations) {
    cut += Outcome(op, "connection_lost") + Outcome(op, "in_doubt");
    ok += Outcome(op, "ok");
  }
  EXPECT_GT(cut, 0u) << "a crash must cut some call short";
  EXPECT_GT(ok, 100u) << "the workers must go on after the crash";
  ExpectInvariantsHold(r, spec);
  EXPECT_NE(r.server.missing.find("crashed during the case"), std::string::npos) << r.server.missing;
}

}  // namespace
}  // namespace ledgerstress
