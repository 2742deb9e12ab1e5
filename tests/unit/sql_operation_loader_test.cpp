// The loader's side of SQL operations: what is compiled and every error,
// with its position, before the server sees anything.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/operations/sql_operation.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/replace_once.h"
#include "tests/unit/load_error.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;

const char kSchema[] = R"toml([schema]
sql = "CREATE TABLE account (id bigint PRIMARY KEY, balance numeric NOT NULL)"
fixture = "INSERT INTO account SELECT g, :opening FROM generate_series(1, :accounts) g"
)toml";

const char kTransfer[] = R"toml(
[[operation]]
name = "transfer"
params.from = { int = [1, "vars.accounts"] }
params.amount = { money = ["1.00", "50.00"] }
params.key = { unique = true }
statements = [
  { sql = "SELECT balance AS old FROM account WHERE id = :from", gset = true },
  "UPDATE account SET balance = :old::numeric - :amount::numeric WHERE id = :from AND :key <> ''",
]
isolation = "repeatable read"
expected = ["23514"]
durable = "SELECT count(*) FROM account WHERE :key = ''"
)toml";

const char kCase[] = R"toml(
[[case]]
name = "c"
workload = "ledger"
workers = 2
duration = "1s"
vars.accounts = 10
vars.opening = "100.00"
mix.transfer = 1
)toml";

std::string Scenario3(const std::string& schema, const std::string& ops, const std::string& cases) {
  return schema + ops + cases;
}

using testing::LoadError;
using testing::ReplaceOnce;

// The load error of the good scenario with one edit to its operation, or to its case.
std::string WithOperationEdit(const std::string& from, const std::string& to) {
  return LoadError(Scenario3(kSchema, ReplaceOnce(kTransfer, from, to), kCase));
}
std::string WithCaseEdit(const std::string& from, const std::string& to) {
  return LoadError(Scenario3(kSchema, kTransfer, ReplaceOnce(kCase, from, to)));
}

TEST(SqlOperationLoader, CompilesParamsGsetColumnsAndTheTransaction) {
  const Scenario s = ParseScenario(Scenario3(kSchema, kTransfer, kCase), "s.toml");
  const OperationDef* def = s.operations->Find("transfer");
  ASSERT_TRUE(def && def->sql);
  const SqlOperation& op = *def->sql;
  ASSERT_EQ(op.params.size(), 3u);  // in key order: amount, from, key
  EXPECT_EQ(op.params[1].name, "from");
  EXPECT_EQ(op.params[1].gen.kind, GeneratorKind::kInt);
  EXPECT_EQ(op.params[1].gen.hi.var, "accounts");
  EXPECT_EQ(op.params[0].gen.kind, GeneratorKind::kMoney);
  EXPECT_EQ(op.params[0].gen.lo.value, 100);  // cents
  EXPECT_EQ(op.columns, (std::vector<std::string>{"old"}));
  EXPECT_EQ(op.statements[1].text, "UPDATE account SET balance = $1::numeric - $2::numeric WHERE id = $3 AND $4 <> ''");
  EXPECT_EQ(op.statements[1].slots, (std::vector<std::size_t>{3, 0, 1, 2}));  // old is slot 3, after the params
  EXPECT_EQ(op.begin, "BEGIN ISOLATION LEVEL REPEATABLE READ");
  EXPECT_EQ(op.durable_sql, "SELECT count(*) FROM account WHERE $1 = ''");
  EXPECT_TRUE(def->Tracked());
  const CaseSpec& c = s.cases[0];
  EXPECT_EQ(c.invariants, (std::vector<std::string>{"acknowledged_writes_durable"}));
  EXPECT_EQ(c.strategies.at("transfer"), "as_written");
  EXPECT_EQ(c.vars.at("opening").text, "100.00");
  EXPECT_TRUE(c.vars.at("opening").is_string);
  ASSERT_TRUE(c.user_schema);
  EXPECT_EQ(c.user_schema->fixture_vars, (std::vector<std::string>{"opening", "accounts"}));
}

TEST(SqlOperationLoader, SetAndVaryChangeVars) {
  LoadOptions o;
  o.overrides = {"vars.accounts=500"};
  const Scenario s = ParseScenario(Scenario3(kSchema, kTransfer, kCase), "s.toml", o);
  EXPECT_EQ(s.cases[0].vars.at("accounts").text, "500");
}

TEST(SqlOperationLoader, UndefinedParameterIsNamedWithASuggestion) {
  EXPECT_EQ(WithOperationEdit("WHERE id = :from\", gset", "WHERE id = :frm\", gset"),
            "s.toml:11:3: undefined parameter ':frm' in operation 'transfer' (did you mean 'from'?): it is "
            "not in params, and no statement before this one has gset = true");
}

TEST(SqlOperationLoader, UnusedParameterIsAnError) {
  EXPECT_EQ(WithOperationEdit("params.key", "params.spare = { worker = true }\nparams.key"),
            "s.toml:9:8: parameter 'spare' of operation 'transfer' is never used: no statement reads :spare");
}

TEST(SqlOperationLoader, GeneratorErrors) {
  EXPECT_THAT(WithOperationEdit("{ unique = true }", "{ uniq = true }"),
              HasSubstr("s.toml:9:16: unknown generator 'uniq' (did you mean 'unique'?)"));
  EXPECT_THAT(WithOperationEdit("\"1.00\"", "\"1.005\""),
              HasSubstr("a bound of 'amount' must be an amount such as \"12.50\""));
  EXPECT_THAT(WithOperationEdit("[\"1.00\", \"50.00\"]", "[\"50.00\", \"1.00\"]"),
              HasSubstr("'amount': the low bound is above the high one"));
  EXPECT_THAT(WithOperationEdit("{ unique = true }", "{ fixture = \"donors\" }"),
              HasSubstr("'fixture' takes one of 'donor', 'owner', 'background_project', 'race_user'"));
}

TEST(SqlOperationLoader, TransactionDurableAndSqlstateRules) {
  EXPECT_THAT(WithOperationEdit("isolation = ", "transaction = false\nisolation = "),
              HasSubstr("'isolation' needs transaction = true"));
  EXPECT_THAT(WithOperationEdit("WHERE :key = ''", "WHERE :from = 1"),
              HasSubstr("'durable' takes exactly one parameter, :key"));
  EXPECT_THAT(WithOperationEdit("expected = ", "success = [\"23505\"]\nexpected = "),
              HasSubstr("an operation with 'durable' cannot have 'success' SQLSTATEs"));
  EXPECT_THAT(WithOperationEdit("\"23514\"", "\"2351\""),
              HasSubstr("s.toml:15:13: 'expected' holds SQLSTATEs"));
  EXPECT_THAT(WithOperationEdit("name = \"transfer\"", "name = \"deposit\""),
              HasSubstr("operation 'deposit' is already defined (a built-in operation)"));
}

TEST(SqlOperationLoader, VariablesReadMustBeSetAndSetMustBeRead) {
  EXPECT_THAT(WithCaseEdit("vars.opening = \"100.00\"\n", ""),
              HasSubstr("s.toml:3:11: case 'c' does not set vars.opening"));
  EXPECT_THAT(WithCaseEdit("vars.accounts = 10", "vars.accounts = 10\nvars.acounts = 3"),
              HasSubstr("vars.acounts is set but nothing reads it"));
  EXPECT_THAT(WithCaseEdit("vars.accounts = 10", "vars.accounts = \"ten\""),
              HasSubstr("vars.accounts = ten bounds 'from' of operation 'transfer': it must be an integer"));
}

TEST(SqlOperationLoader, TheScenariosOwnSchemaRefusesWhatNeedsTheBuiltinOne) {
  const std::string ops = kTransfer;
  EXPECT_THAT(LoadError(Scenario3(kSchema, ops, ReplaceOnce(kCase, "mix.transfer = 1", "mix.deposit = 1"))),
              HasSubstr("operation 'deposit' runs on the built-in tables"));
  EXPECT_THAT(LoadError(Scenario3(kSchema, ops, ReplaceOnce(kCase, "mix.transfer = 1", "mix.transfer = 1\ninvariants = [\"money_conserved\"]"))),
              HasSubstr("invariant 'money_conserved' reads the built-in tables"));
  EXPECT_THAT(LoadError(Scenario3(kSchema, ops, ReplaceOnce(kCase, "mix.transfer = 1", "mix.transfer = 1\nschema.saka_unique_user = false"))),
              HasSubstr("'schema.saka_unique_user' is an option of the built-in schema"));
  EXPECT_THAT(LoadError(Scenario3(kSchema, ReplaceOnce(ops, "{ unique = true }", "{ fixture = \"donor\" }"), kCase)),
              HasSubstr("draws from the built-in schema's fixture"));
  EXPECT_THAT(LoadError(Scenario3(kSchema, ops, ReplaceOnce(kCase, "workers = 2", "workers = 2\ndeadlock_injection = true"))),
              HasSubstr("deadlock_injection targets the built-in pledges' wallets"));
}

TEST(SqlOperationLoader, OnTheBuiltinSchemaFixtureGeneratorsFitTheWorkload) {
  const std::string op = R"toml(
[[operation]]
name = "touch"
params.u = { fixture = "race_user" }
statements = ["SELECT 1 FROM app_user WHERE id = :u"]
[[case]]
name = "c"
workload = "ledger"
workers = 2
duration = "1s"
mix.touch = 1
)toml";
  EXPECT_THAT(LoadError(op), HasSubstr("{ fixture = \"race_user\" } needs workload = \"race\"; case 'c' is ledger"));
  const Scenario s = ParseScenario(ReplaceOnce(op, "workload = \"ledger\"\nworkers = 2\nduration = \"1s\"", "workers = 2\ncalls_per_worker = 1"), "s.toml");
  EXPECT_EQ(s.cases[0].invariants.size(), 9u);  // every built-in invariant applies on the built-in schema
}

TEST(SqlOperationLoader, SchemaTableRules) {
  EXPECT_THAT(LoadError(std::string("[schema]\nfixture = \"x\"\n") + kCase), HasSubstr("s.toml:1:1: [schema] needs 'sql'"));
  EXPECT_THAT(LoadError(std::string("[schema]\nsql = \"x\"\nfile = \"y.sql\"\n") + kCase), HasSubstr("give 'sql' or 'file', not both"));
  EXPECT_THAT(LoadError(std::string("[schema]\nsaka_unique_user = true\n") + kCase),
              HasSubstr("unknown key 'saka_unique_user' in [schema] (schema options such as saka_unique_user go in a case's schema table)"));
  EXPECT_THAT(LoadError(std::string("[schema]\nfile = \"no-such.sql\"\n") + kCase), HasSubstr("'file': cannot read ./no-such.sql"));
}

TEST(SqlOperationLoader, BoundsAndFilesThatCannotBeRead) {
  EXPECT_THAT(WithOperationEdit("[1, \"vars.accounts\"]", "[1, 99999999999999999]"),
              HasSubstr("a bound of 'from' must be within +-10^15"));
  EXPECT_THAT(LoadError(std::string("[schema]\nfile = \"/dev/zero\"\n") + kCase), HasSubstr("/dev/zero is not a regular file"));
}

TEST(SqlOperationLoader, SchemaFileIsReadRelativeToTheScenario) {
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/bank.sql") << "CREATE TABLE account (id bigint PRIMARY KEY, balance numeric NOT NULL);\n";
  const std::string text = Scenario3("[schema]\nfile = \"bank.sql\"\nfixture = \"SELECT :opening, :accounts\"\n", kTransfer, kCase);
  const Scenario s = ParseScenario(text, dir + "/s.toml");
  EXPECT_THAT(s.user_schema->sql, HasSubstr("CREATE TABLE account"));
}

TEST(SqlOperationLoader, TheShippedScenariosLoad) {
  for (const char* f : {"/scenarios/bank_transfer.toml", "/scenarios/sql_pledge.toml", "/scenarios/sql_race.toml",
                        "/bench/pledge_sql.toml", "/tests/fuzz/corpus/sql_operations.toml"}) {
    const Scenario s = LoadScenarioFile(std::string(LEDGERSTRESS_SOURCE_DIR) + f);
    EXPECT_FALSE(s.cases.empty()) << f;
  }
}

}  // namespace
}  // namespace ledgerstress
