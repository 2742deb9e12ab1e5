// The effect of SQL operations' calls, on a scenario's own schema: a
// durable query returning the rows (columns named like params) catches a
// payment booked on the wrong account; a statement's `rows`/`otherwise`
// makes an ON CONFLICT DO NOTHING loser a no-effect call (not a lost write)
// or a business refusal; a case in which nothing took effect fails.
#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "tests/db/ledger_case.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

// Seats 1..5 are booked by many calls at once: one booking per seat wins.
const char kEffects[] = R"toml(name = "effects"
seed = 31

[schema]
sql = """
CREATE TABLE account (id int PRIMARY KEY, balance numeric(14,2) NOT NULL DEFAULT 0);
CREATE TABLE payment (key text PRIMARY KEY, account int NOT NULL, amount numeric(14,2) NOT NULL);
CREATE TABLE booking (seat int PRIMARY KEY, key text NOT NULL);
"""
fixture = "INSERT INTO account SELECT g FROM generate_series(1, 20) g"

[defaults]
workload = "ledger"
workers = 4
calls_per_worker = 40
invariants = ["acknowledged_writes_durable"]

[[operation]]
name = "pay"
params.account = { int = [1, 19] }
params.amount = { money = ["1.00", "9.00"] }
params.key = { unique = true }
statements = [
  "UPDATE account SET balance = balance + :amount::numeric WHERE id = :account",
  "INSERT INTO payment VALUES (:key, :account, :amount::numeric)",
]
durable = "SELECT account, amount FROM payment WHERE key = :key"

[[operation]]
name = "pay_next_account"
description = "known bad: books and credits the account after the one asked for"
params.account = { int = [1, 19] }
params.amount = { money = ["1.00", "9.00"] }
params.key = { unique = true }
statements = [
  "UPDATE account SET balance = balance + :amount::numeric WHERE id = :account + 1",
  "INSERT INTO payment VALUES (:key, :account + 1, :amount::numeric)",
]
durable = "SELECT account, amount FROM payment WHERE key = :key"

[[operation]]
name = "book"
params.seat = { int = [1, 5] }
params.key = { unique = true }
statements = [
  { sql = "INSERT INTO booking VALUES (:seat, :key) ON CONFLICT (seat) DO NOTHING", rows = 1, otherwise = "no_effect" },
]
durable = "SELECT seat FROM booking WHERE key = :key"

[[operation]]
name = "book_unjudged"
params.seat = { int = [1, 5] }
params.key = { unique = true }
statements = ["INSERT INTO booking VALUES (:seat, :key) ON CONFLICT (seat) DO NOTHING"]
durable = "SELECT seat FROM booking WHERE key = :key"

[[operation]]
name = "book_refused"
params.seat = { int = [1, 5] }
params.key = { unique = true }
statements = [
  { sql = "INSERT INTO booking VALUES (:seat, :key) ON CONFLICT (seat) DO NOTHING", rows = 1, otherwise = "expected" },
]
durable = "SELECT seat FROM booking WHERE key = :key"

[[operation]]
name = "book_nothing"
description = "known bad: its INSERT never inserts"
params.seat = { int = [1, 5] }
params.key = { unique = true }
statements = [
  { sql = "INSERT INTO booking SELECT :seat, :key WHERE false", rows = 1, otherwise = "no_effect" },
]
durable = "SELECT seat FROM booking WHERE key = :key"

[[case]]
name = "pay"
mix.pay = 1

[[case]]
name = "book_nothing"
mix.book_nothing = 1

[[case]]
name = "pay_next_account"
expect = "violation"
violates = ["acknowledged_writes_durable"]
mix.pay_next_account = 1

[[case]]
name = "book"
mix.book = 1

[[case]]
name = "book_unjudged"
expect = "violation"
violates = ["acknowledged_writes_durable"]
mix.book_unjudged = 1

[[case]]
name = "book_refused"
mix.book_refused = 1
)toml";

CaseResult RunNamed(const std::string& name) {
  const Scenario s = ParseScenario(kEffects, "effects.toml");
  for (const CaseSpec& c : s.cases) {
    if (c.name == name) return testing::RunCase(c);
  }
  throw std::runtime_error("no case " + name);
}

const InvariantResult& Durable(const CaseResult& r) {
  for (const InvariantResult& i : r.invariants) {
    if (i.name == "acknowledged_writes_durable") return i;
  }
  throw std::runtime_error("acknowledged_writes_durable did not run");
}

TEST(SqlEffect, RowsMatchingTheirCallsHold) {
  const CaseResult r = RunNamed("pay");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  EXPECT_EQ(Durable(r).details.at("acknowledged"), 160) << Durable(r).message;
}

TEST(SqlEffect, APaymentBookedOnTheWrongAccountIsTheWrongEffect) {
  const CaseResult r = RunNamed("pay_next_account");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.verdict, Verdict::kCaught) << r.verdict_reason;
  const InvariantResult& d = Durable(r);
  EXPECT_EQ(d.details.at("wrong_effect"), 160) << d.message;
  EXPECT_EQ(d.details.at("lost"), 0) << "every key holds its row: only the account is wrong";
  ASSERT_FALSE(d.samples.empty());
  EXPECT_NE(d.samples[0][3].find("account="), std::string::npos) << d.samples[0][3];
  EXPECT_NE(d.samples[0][4].find("\"account\":"), std::string::npos) << d.samples[0][4];
}

TEST(SqlEffect, AnOnConflictLoserDeclaredNoEffectPassesAndLeavesNoRow) {
  const CaseResult r = RunNamed("book");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  ASSERT_EQ(r.operations.size(), 1u);
  EXPECT_EQ(r.operations[0].ok(), 5u) << "one booking per seat";
  EXPECT_EQ(r.operations[0].no_effect(), 155u);
  EXPECT_EQ(r.operations[0].errors(), 0u);
  EXPECT_EQ(Durable(r).details.at("no_effect"), 155);
}

TEST(SqlEffect, WithoutTheRowsRuleTheLosersAreAcknowledgedWritesThatAreNotThere) {
  const CaseResult r = RunNamed("book_unjudged");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.verdict, Verdict::kCaught) << r.verdict_reason;
  EXPECT_EQ(Durable(r).details.at("lost"), 155) << Durable(r).message;
}

TEST(SqlEffect, AnOnConflictLoserDeclaredExpectedIsARefusalNotAnError) {
  const CaseResult r = RunNamed("book_refused");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  EXPECT_EQ(r.operations[0].expected(), 155u);
  EXPECT_EQ(r.operations[0].errors(), 0u);
}

TEST(SqlEffect, ACaseInWhichNoCallTookEffectFailsSayingSo) {
  const CaseResult r = RunNamed("book_nothing");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.verdict_reason;
  EXPECT_EQ(Durable(r).status, "held") << "nothing was written, and nothing was claimed";
  bool said = false;
  for (const CheckResult& c : r.checks) {
    if (c.name != "effective_calls") continue;
    EXPECT_FALSE(c.passed);
    EXPECT_NE(c.message.find("160 ended without effect (no_effect)"), std::string::npos) << c.message;
    said = true;
  }
  EXPECT_TRUE(said) << "effective_calls must have run";
}

}  // namespace
}  // namespace ledgerstress
