// duplicate_rate: calls sent twice under one key (re-sent by the same worker
// after the first returned, or by its partner at the same time). The
// built-in operations are idempotent by key and pass; a deposit written as
// SQL without a key check is caught doing the work twice, and the same
// deposit with a key check (under the wallet lock) passes.
#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "tests/db/ledger_case.h"

namespace ledgerstress {
namespace {

const InvariantResult& InvariantNamed(const CaseResult& r, const std::string& name) {
  for (const InvariantResult& i : r.invariants) {
    if (i.name == name) return i;
  }
  throw std::runtime_error("no invariant " + name);
}

std::uint64_t TotalCalls(const CaseResult& r) {
  std::uint64_t n = 0;
  for (const OperationResult& op : r.operations) n += op.calls;
  return n;
}

// Distinct keys the client history holds: every key is one call of the
// durable check, whichever copy of it counted.
double DistinctKeys(const InvariantResult& durable) {
  return durable.details.at("acknowledged") + durable.details.at("failed") + durable.details.at("in_doubt_committed") +
         durable.details.at("in_doubt_absent");
}

TEST(Duplicates, EveryBuiltinOperationSentTwiceUnderOneKeyTakesEffectOnce) {
  CaseSpec spec;
  spec.name = "duplicates";
  spec.workload = Workload::kLedger;
  spec.workers = 4;
  spec.calls_per_worker = 50;
  spec.donors = 20;  // few donors: the partner's copy contends with the first on one wallet
  spec.mix = {{"deposit", 1}, {"pledge_funds", 1}, {"transfer_to_pocket", 1}, {"allocate_deposit_across_pockets", 1}};
  spec.strategies = {{"deposit", "default"},
                     {"pledge_funds", "default"},
                     {"transfer_to_pocket", "default"},
                     {"allocate_deposit_across_pockets", "default"}};
  spec.ledger.duplicate_rate = 0.5;
  spec.invariants = {"acknowledged_writes_durable", "idempotent",          "money_conserved",
                     "balances_match_ledger",       "no_negative_balance", "allocation_split_exact"};
  spec.seed = 71;
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "") << r.verdict_reason;
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  ExpectInvariantsHold(r, spec);
  for (const OperationResult& op : r.operations) {
    EXPECT_EQ(op.errors(), 0u) << op.name << ": " << (op.error_samples.empty() ? "" : op.error_samples[0]);
  }
  const InvariantResult& durable = InvariantNamed(r, "acknowledged_writes_durable");
  const std::uint64_t calls = TotalCalls(r);
  // Each worker's loop runs 50 times; a re-send is a call more, a partner's
  // copy takes the place of one of the worker's own keys.
  EXPECT_GT(calls, 200u) << "some calls must have been re-sent (about a quarter of them)";
  EXPECT_LE(DistinctKeys(durable), 200) << durable.message;
  EXPECT_GT(static_cast<double>(calls), DistinctKeys(durable))
      << "more calls than keys: duplicates were sent (" << durable.message << ")";
  EXPECT_EQ(durable.details.at("acknowledged"), DistinctKeys(durable)) << durable.message;
}

// A deposit as a scenario's SQL on the built-in schema, in two versions.
const char kDuplicateDeposits[] = R"toml(name = "duplicate_deposits"
seed = 77

[defaults]
workload = "ledger"
workers = 4
calls_per_worker = 50
donors = 20
duplicate_rate = 0.5
invariants = ["idempotent", "acknowledged_writes_durable", "money_conserved", "balances_match_ledger"]

[[operation]]
name = "deposit_no_key_check"
description = "credits and records the deposit whatever its key: known bad"
params.donor = { fixture = "donor" }
params.amount = { money = ["1.00", "100.00"] }
params.key = { unique = true }
statements = [
  { sql = "SELECT id AS wallet_id FROM wallet WHERE user_id = :donor FOR UPDATE", gset = true },
  "UPDATE wallet SET balance = balance + :amount::numeric WHERE id = :wallet_id",
  "INSERT INTO wallet_transaction (wallet_id, amount, kind, idempotency_key) VALUES (:wallet_id, :amount::numeric, 'DEPOSIT', :key)",
]
durable = "SELECT count(*) FROM wallet_transaction WHERE idempotency_key = :key AND kind = 'DEPOSIT'"

[[operation]]
name = "deposit_key_checked"
description = "locks the wallet, then writes only when the key is new"
params.donor = { fixture = "donor" }
params.amount = { money = ["1.00", "100.00"] }
params.key = { unique = true }
statements = [
  { sql = "SELECT id AS wallet_id FROM wallet WHERE user_id = :donor FOR UPDATE", gset = true },
  """WITH ins AS (
       INSERT INTO wallet_transaction (wallet_id, amount, kind, idempotency_key)
       SELECT :wallet_id::bigint, :amount::numeric, 'DEPOSIT', :key::text
        WHERE NOT EXISTS (SELECT 1 FROM wallet_transaction WHERE idempotency_key = :key::text AND kind = 'DEPOSIT')
       RETURNING amount)
     UPDATE wallet SET balance = balance + coalesce((SELECT sum(amount) FROM ins), 0) WHERE id = :wallet_id::bigint""",
]
durable = "SELECT count(*) FROM wallet_transaction WHERE idempotency_key = :key AND kind = 'DEPOSIT'"

[[case]]
name = "no_key_check"
expect = "violation"
violates = ["idempotent", "acknowledged_writes_durable"]
mix.deposit_no_key_check = 1

[[case]]
name = "key_checked"
mix.deposit_key_checked = 1
)toml";

const CaseSpec& CaseNamed(const Scenario& s, const std::string& name) {
  for (const CaseSpec& c : s.cases) {
    if (c.name == name) return c;
  }
  throw std::runtime_error("no case " + name);
}

TEST(Duplicates, ASqlDepositWithoutAKeyCheckIsCaughtApplyingADuplicateTwice) {
  const Scenario s = ParseScenario(kDuplicateDeposits, "duplicate_deposits.toml");
  const CaseSpec& spec = CaseNamed(s, "no_key_check");
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "") << r.verdict_reason;
  EXPECT_EQ(r.verdict, Verdict::kCaught) << r.verdict_reason;
  const InvariantResult& idem = InvariantNamed(r, "idempotent");
  EXPECT_EQ(idem.status, "violated") << idem.message;
  const InvariantResult& durable = InvariantNamed(r, "acknowledged_writes_durable");
  EXPECT_EQ(durable.status, "violated") << durable.message;
  ASSERT_FALSE(durable.samples.empty());
  ASSERT_EQ(durable.sample_columns.back(), "rows_in_database");
  EXPECT_GT(std::stoi(durable.samples[0].back()), 1) << "a key acknowledged with more than one DEPOSIT row";
  EXPECT_LE(static_cast<double>(durable.violations), static_cast<double>(TotalCalls(r)) - DistinctKeys(durable))
      << "only a key sent more than once can hold two rows: " << durable.message;
  EXPECT_EQ(InvariantNamed(r, "money_conserved").status, "held")
      << "the duplicate is a consistent second deposit: only the key shows it";
}

TEST(Duplicates, TheSameSqlDepositWithAKeyCheckUnderTheWalletLockPasses) {
  const Scenario s = ParseScenario(kDuplicateDeposits, "duplicate_deposits.toml");
  const CaseSpec& spec = CaseNamed(s, "key_checked");
  const CaseResult r = testing::RunCase(spec);
  ASSERT_EQ(r.error, "") << r.verdict_reason;
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  ExpectInvariantsHold(r, spec);
  const InvariantResult& durable = InvariantNamed(r, "acknowledged_writes_durable");
  EXPECT_GT(static_cast<double>(TotalCalls(r)), DistinctKeys(durable))
      << "duplicates were sent, and each took effect once (" << durable.message << ")";
}

}  // namespace
}  // namespace ledgerstress
