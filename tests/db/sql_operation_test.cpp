// SQL-defined operations through the real engine: the shipped bank
// transfer (the lost update caught, the hardened transfer holding), the
// review's pledge as SQL judged like the C++ one, the check before any
// case runs, and the scenario-format doc's own example.
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/engine/sql_check.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/db/ledger_case.h"
#include "tests/replace_once.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;
using testing::RunCase;

std::string Source(const std::string& rel) { return std::string(LEDGERSTRESS_SOURCE_DIR) + "/" + rel; }

Scenario Load(const std::string& rel, std::vector<std::string> overrides = {"duration=1500ms"}) {
  LoadOptions o;
  o.overrides = std::move(overrides);
  return LoadScenarioFile(Source(rel), o);
}

const CaseSpec& CaseNamed(const Scenario& s, const std::string& name) {
  for (const CaseSpec& c : s.cases) {
    if (c.name == name) return c;
  }
  throw std::runtime_error("no case " + name);
}

const InvariantResult& InvariantNamed(const CaseResult& r, const std::string& name) {
  for (const InvariantResult& i : r.invariants) {
    if (i.name == name) return i;
  }
  throw std::runtime_error("no invariant " + name);
}

// Every invariant the case asked for, built-in and [[sql_invariant]], ran and held.
void ExpectAllHeld(const CaseResult& r, const CaseSpec& spec) {
  ASSERT_FALSE(spec.invariants.empty());
  EXPECT_EQ(r.invariants.size(), spec.invariants.size() + spec.sql_invariants.size());
  for (const InvariantResult& inv : r.invariants) EXPECT_EQ(inv.status, "held") << inv.name << ": " << inv.message;
}

TEST(SqlOperation, TheLostUpdateIsCaughtByTheConservationInvariants) {
  const Scenario s = Load("scenarios/bank_transfer.toml");
  const CaseResult r = RunCase(CaseNamed(s, "lost_update"));
  EXPECT_EQ(r.verdict, Verdict::kCaught) << r.verdict_reason << r.error;
  EXPECT_EQ(InvariantNamed(r, "total_conserved").status, "violated");
  EXPECT_EQ(InvariantNamed(r, "balances_match_transfers").status, "violated");
  EXPECT_EQ(InvariantNamed(r, "acknowledged_writes_durable").status, "held");
}

TEST(SqlOperation, RepeatableReadRefusesTheOverwritesAndRetriedWholeItPasses) {
  const Scenario s = Load("scenarios/bank_transfer.toml");
  const CaseResult refused = RunCase(CaseNamed(s, "repeatable_read"));
  EXPECT_EQ(refused.verdict, Verdict::kCaught) << refused.verdict_reason << refused.error;
  ASSERT_EQ(refused.operations.size(), 1u);
  EXPECT_GT(Outcome(refused.operations[0], "serialization_failure"), 0u);
  EXPECT_EQ(InvariantNamed(refused, "total_conserved").status, "held");

  const CaseResult retried = RunCase(CaseNamed(s, "repeatable_read_retried"));
  EXPECT_EQ(retried.verdict, Verdict::kPass) << retried.verdict_reason << retried.error;
  const OperationResult& op = retried.operations[0];
  EXPECT_EQ(op.errors(), 0u);
  EXPECT_GT(op.failed_attempts.count("serialization_failure") ? op.failed_attempts.at("serialization_failure") : 0u, 0u)
      << "the retries must have had something to retry";
  EXPECT_EQ(op.sleeps_in_transaction, 0u);
}

TEST(SqlOperation, TheHardenedTransferHoldsAndExpectedFailuresAreNoErrors) {
  const Scenario s = Load("scenarios/bank_transfer.toml");
  const CaseSpec& spec = CaseNamed(s, "hardened");
  const CaseResult r = RunCase(spec);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason << r.error;
  ExpectAllHeld(r, spec);
  EXPECT_EQ(spec.sql_invariants.size(), 2u);
  const OperationResult& op = r.operations[0];
  const std::uint64_t ok = Outcome(op, "ok"), expected = Outcome(op, "expected");
  EXPECT_GT(expected, 0u) << "self-transfers and overdrafts are refused by a CHECK";
  EXPECT_EQ(op.errors(), 0u);
  // BEGIN, 4 statements, COMMIT; a refused call stops at its 2nd (overdraft) or 4th (self-transfer) statement.
  EXPECT_GE(op.statements, 6 * ok + 3 * expected);
  EXPECT_LE(op.statements, 6 * ok + 5 * expected);
}

TEST(SqlOperation, TheReviewsPledgeAsSqlIsJudgedLikeTheCppPledge) {
  const Scenario s = Load("scenarios/sql_pledge.toml");
  for (const char* name : {"cpp_pledge", "sql_pledge", "sql_pledge_with_deposits"}) {
    const CaseSpec& spec = CaseNamed(s, name);
    const CaseResult r = RunCase(spec);
    EXPECT_EQ(r.verdict, Verdict::kPass) << name << ": " << r.verdict_reason << r.error;
    ExpectAllHeld(r, spec);
    EXPECT_EQ(spec.invariants.size(), 9u) << "every built-in invariant";
    for (const OperationResult& op : r.operations) {
      if (op.name == "deposit") continue;
      EXPECT_EQ(op.statements, 8 * op.calls) << name << ": BEGIN, 6 statements, COMMIT, as the C++ pledge";
    }
  }
  const CaseResult bad = RunCase(CaseNamed(s, "sql_pledge_no_ledger_row"));
  EXPECT_EQ(bad.verdict, Verdict::kCaught) << bad.verdict_reason << bad.error;
  EXPECT_EQ(InvariantNamed(bad, "balances_match_ledger").status, "violated");
}

TEST(SqlOperation, KilledBackendsUnderTheSqlPledgeLoseNothingAcknowledged) {
  const Scenario s = Load("scenarios/sql_pledge.toml", {"duration=2s"});
  const CaseSpec& spec = CaseNamed(s, "sql_pledge_backend_kills");
  const CaseResult r = RunCase(spec);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason << r.error;
  EXPECT_GT(r.faults.Figure("backends_killed"), 0);
  EXPECT_EQ(InvariantNamed(r, "acknowledged_writes_durable").status, "held");
}

TEST(SqlOperation, ARaceOnTheScenariosOwnSchemaCatchesCheckThenInsert) {
  const Scenario s = Load("scenarios/sql_race.toml", {});
  const CaseResult bad = RunCase(CaseNamed(s, "check_then_insert"));
  EXPECT_EQ(bad.verdict, Verdict::kCaught) << bad.verdict_reason << bad.error;
  EXPECT_EQ(InvariantNamed(bad, "one_loose_account_per_owner").status, "violated");
  for (const char* name : {"insert_on_conflict", "unique_violation_is_success"}) {
    const CaseSpec& spec = CaseNamed(s, name);
    const CaseResult r = RunCase(spec);
    EXPECT_EQ(r.verdict, Verdict::kPass) << name << ": " << r.verdict_reason << r.error;
    ExpectAllHeld(r, spec);
    EXPECT_EQ(r.operations[0].calls, 200u) << "20 workers x 10 rounds";
    EXPECT_EQ(r.operations[0].errors(), 0u) << "a unique violation listed in success is no error";
  }
}

// The server's check before any case runs.
std::string CheckError(const std::string& text) {
  const Scenario s = ParseScenario(text, "s.toml");
  const std::string schema = testing::FreshSchemaName();
  auto conn = testing::ConnectToSchema(schema);
  try {
    CheckScenarioSql(*conn, s, schema);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

const char kOne[] = R"toml([schema]
sql = """
CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL);
"""
fixture = "INSERT INTO t SELECT g, 0 FROM generate_series(1, :n) g"
[[operation]]
name = "bump"
params.id = { int = [1, "vars.n"] }
statements = [
  { sql = "SELECT v AS old FROM t WHERE id = :id", gset = true },
  "UPDATE t SET v = :old + 1 WHERE id = :id",
]
[[case]]
name = "c"
workload = "ledger"
workers = 2
duration = "1s"
vars.n = 10
mix.bump = 1
)toml";

using testing::ReplaceOnce;

TEST(SqlCheck, HoldsForGoodSqlAndLeavesNothingBehind) {
  const Scenario s = ParseScenario(kOne, "s.toml");
  const std::string schema = testing::FreshSchemaName();
  auto conn = testing::ConnectToSchema(schema);
  CheckScenarioSql(*conn, s, schema);
  pqxx::work tx(*conn);
  EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema)[0].as<int>(), 0)
      << "the scratch schema must be dropped";
}

TEST(SqlCheck, ABrokenStatementIsNamedByItsPosition) {
  EXPECT_EQ(CheckError(ReplaceOnce(kOne, "SET v = :old", "SET vv = :old")),
            "s.toml:11:3: operation 'bump', statement 2: the server refuses it: ERROR:  column \"vv\" of relation \"t\" "
            "does not exist (at line 1, column 14 of it)");
}

// The loader refuses it when the gset statement's text names its columns;
// when it cannot (an expression without AS), the server's columns decide.
TEST(SqlCheck, AGsetColumnThatDoesNotExistIsAnUndefinedParameter) {
  const std::string unnamed = ReplaceOnce(kOne, "SELECT v AS old FROM", "SELECT v AS old, v + 0 FROM");
  EXPECT_THAT(CheckError(ReplaceOnce(unnamed, ":old + 1", ":olde + 1")),
              HasSubstr("s.toml:11:3: operation 'bump', statement 2: undefined parameter ':olde': not in params, and no "
                        "earlier statement with gset = true returns a column of that name (they return: ?column?, old)"));
}

TEST(SqlCheck, SchemaAndFixtureErrorsPointIntoTheirSql) {
  EXPECT_THAT(CheckError(ReplaceOnce(kOne, "v int NOT NULL);", "v in NOT NULL);")),
              HasSubstr("s.toml:2:7: [schema]: the server refuses it: ERROR:  syntax error at or near \"in\" (at line 1, column 39 of it)"));
  EXPECT_THAT(CheckError(ReplaceOnce(kOne, "g, 0 FROM", "g, 'x' FROM")),
              HasSubstr("s.toml:5:11: the [schema] fixture, with case 'c''s vars: the server refuses it"));
}

TEST(SqlCheck, SqlInvariantsRunOnTheScenariosOwnSchema) {
  const std::string good = std::string(kOne) + "[[sql_invariant]]\nname = \"v_positive\"\nquery = \"SELECT id FROM t WHERE v < 0\"\nmessage = \"m\"\n";
  EXPECT_EQ(CheckError(good), "(no error)");
  EXPECT_THAT(CheckError(ReplaceOnce(good, "WHERE v < 0", "WHERE w < 0")), HasSubstr("sql_invariant 'v_positive': the server refused the query"));
}

TEST(SqlCheck, SqlInvariantsAreCheckedWithEachCasesVars) {
  const std::string one = std::string(kOne) + "[[sql_invariant]]\nname = \"capped\"\nquery = \"SELECT id FROM t WHERE v > :cap::int\"\n"
                          "message = \"m\"\n";
  const std::string two = ReplaceOnce(one, "vars.n = 10", "vars.n = 10\nvars.cap = 5");
  EXPECT_EQ(CheckError(two), "(no error)");
  const std::string bad = two + "[[case]]\nname = \"d\"\nworkload = \"ledger\"\nworkers = 2\nduration = \"1s\"\n"
                                "vars.n = 10\nvars.cap = \"five\"\nmix.bump = 1\n";
  EXPECT_THAT(CheckError(bad), HasSubstr("sql_invariant 'capped': the server refused the query: ERROR:  invalid input "
                                         "syntax for type integer: \"five\""));
}

TEST(SqlCheck, AGsetColumnBehindAStarNamedLikeAParameterIsRefused) {
  EXPECT_THAT(CheckError(ReplaceOnce(kOne, "SELECT v AS old FROM", "SELECT *, v AS old FROM")),
              HasSubstr("s.toml:10:3: operation 'bump', statement 1: gset column 'id' has the name of params.id"));
  EXPECT_EQ(CheckError(ReplaceOnce(kOne, "SELECT v AS old FROM", "SELECT t.v, v AS old FROM")), "(no error)");
}

// The example of docs/scenario-format.md ("Your own schema and SQL
// operations"), as a reader would copy it.
std::string DocExample() {
  std::ifstream in(Source("docs/scenario-format.md"));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const auto section = doc.find("## Your own schema and SQL operations");
  const auto start = doc.find("```toml\n", section) + 8;
  return doc.substr(start, doc.find("```", start) - start);
}

TEST(SqlOperation, TheDocsExampleRunsAndHolds) {
  LoadOptions o;
  o.overrides = {"duration=1s"};
  const Scenario s = ParseScenario(DocExample(), Source("docs/example.toml"), o);
  const std::string schema = testing::FreshSchemaName();
  auto conn = testing::ConnectToSchema(schema);
  CheckScenarioSql(*conn, s, schema);
  const CaseResult r = RunCase(s.cases[0]);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason << r.error;
  ExpectAllHeld(r, s.cases[0]);
  EXPECT_GT(r.operations[0].calls, 0u);
}

}  // namespace
}  // namespace ledgerstress
