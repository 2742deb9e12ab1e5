// The backend killer: our workers reconnect, and nobody else's session is touched.
#include "tests/db/ledger_case.h"

namespace ledgerstress {
namespace {

TEST(Faults, KilledWorkersReconnectAndOnlyOurBackendsDie) {
  // Someone else's session on the same server, idle in a transaction.
  auto bystander = Connect(testing::ClusterTarget(), SessionSettings{"someone-else", "", {}, {}});
  pqxx::work theirs(*bystander);
  theirs.exec("SELECT 1");

  CaseSpec spec = DeadlockCase("per_transaction");
  spec.deadlock_injection = false;
  spec.backend_kill_every = std::chrono::milliseconds(200);
  spec.max_error_rate = 0.5;
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "") << "a killed worker must reconnect, not end the case";
  EXPECT_GE(r.faults.backends_killed, 5);
  std::uint64_t lost = 0;
  for (const OperationResult& op : r.operations) {
    lost += Outcome(op, "connection_lost") + Outcome(op, "in_doubt");
  }
  EXPECT_GT(lost, 0u);
  ExpectInvariantsHold(r, spec);
  EXPECT_NO_THROW(theirs.exec("SELECT 2")) << "the bystander's session was killed";
  theirs.commit();
}


}  // namespace
}  // namespace ledgerstress
