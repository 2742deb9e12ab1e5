// Helpers of the db tests that run a ledger case with injected faults.
#ifndef LEDGERSTRESS_TESTS_DB_LEDGER_CASE_H_
#define LEDGERSTRESS_TESTS_DB_LEDGER_CASE_H_

#include <stdexcept>

#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/engine.h"
#include "harness/engine/fixtures.h"
#include "harness/engine/outcome.h"
#include "harness/invariants/invariants.h"
#include "harness/operations/operation.h"
#include "settlement/connection.h"
#include "settlement/ledger.h"

#include "tests/db/test_cluster.h"

namespace ledgerstress {

inline CaseSpec DeadlockCase(const std::string& retry) {
  CaseSpec c;
  c.name = retry;
  c.workload = Workload::kLedger;
  c.workers = 4;
  c.duration = std::chrono::milliseconds(2500);
  c.donors = 50;
  c.mix = {{"pledge_funds", 3}, {"deposit", 1}};
  c.strategies = {{"pledge_funds", "default"}, {"deposit", "default"}};
  if (!settlement::ParseRetryStrategy(retry, &c.retry)) throw std::invalid_argument("no retry strategy " + retry);
  c.ledger.deadlock_injection = true;
  c.ledger.deadlock_every = std::chrono::milliseconds(200);
  c.max_error_rate = 1;
  c.invariants = {"acknowledged_writes_durable", "money_conserved", "balances_match_ledger", "idempotent"};
  c.seed = 5;
  return c;
}

inline const OperationResult& Pledges(const CaseResult& r) {
  for (const OperationResult& op : r.operations) {
    if (op.name == "pledge_funds") return op;
  }
  throw std::runtime_error("no pledge_funds");
}

inline std::uint64_t Outcome(const OperationResult& op, const char* name) {
  auto it = op.outcomes.find(name);
  return it == op.outcomes.end() ? 0 : it->second;
}

// Every invariant the case asked for ran (a case that checked nothing must
// not pass this) and held.
inline void ExpectInvariantsHold(const CaseResult& r, const CaseSpec& spec) {
  ASSERT_FALSE(spec.invariants.empty());
  EXPECT_EQ(r.invariants.size(), spec.invariants.size()) << "every invariant asked for must have been checked";
  for (const InvariantResult& inv : r.invariants) EXPECT_EQ(inv.status, "held") << inv.name << ": " << inv.message;
}

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_TESTS_DB_LEDGER_CASE_H_
