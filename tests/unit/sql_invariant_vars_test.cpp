// [[sql_invariant]] queries read the case's vars as `:name`, as the
// [schema] fixture does: replaced by literals when the case is loaded, and
// a `:name` the case does not set is a load error at the query.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "tests/replace_once.h"
#include "tests/unit/load_error.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;
using testing::LoadError;
using testing::ReplaceOnce;

const char kScenario[] = R"toml([schema]
sql = "CREATE TABLE account (id bigint PRIMARY KEY, balance numeric NOT NULL)"
fixture = "INSERT INTO account SELECT g, :opening FROM generate_series(1, :accounts) g"

[[operation]]
name = "touch"
params.id = { int = [1, "vars.accounts"] }
statements = ["UPDATE account SET balance = balance WHERE id = :id"]

[[sql_invariant]]
name = "total_conserved"
query = "SELECT sum(balance) FROM account HAVING sum(balance) <> :opening * :accounts"
message = "money was created or destroyed"

[[case]]
name = "c"
workload = "ledger"
workers = 2
duration = "1s"
vars.accounts = 10
vars.opening = "100.00"
mix.touch = 1
)toml";

TEST(SqlInvariantVars, TheQueryHoldsTheCasesValuesAsLiterals) {
  const Scenario s = ParseScenario(kScenario, "s.toml");
  ASSERT_EQ(s.cases[0].sql_invariants.size(), 1u);
  EXPECT_EQ(s.cases[0].sql_invariants[0].query,
            "SELECT sum(balance) FROM account HAVING sum(balance) <> '100.00' * 10");
}

TEST(SqlInvariantVars, SetChangesTheValueTheQueryReads) {
  LoadOptions o;
  o.overrides = {"vars.accounts=50"};
  const Scenario s = ParseScenario(kScenario, "s.toml", o);
  EXPECT_THAT(s.cases[0].sql_invariants[0].query, HasSubstr("<> '100.00' * 50"));
}

TEST(SqlInvariantVars, AVariableNoCaseSetsIsALoadErrorAtTheQuery) {
  const std::string text = ReplaceOnce(kScenario, ":opening * :accounts", ":opening * :acounts");
  EXPECT_THAT(LoadError(text), HasSubstr("s.toml:12:9: case 'c' does not set vars.acounts (did you mean "
                                         "'accounts'?), which the query of sql_invariant 'total_conserved' reads"));
}

TEST(SqlInvariantVars, AVariableOnlyTheInvariantReadsCountsAsRead) {
  std::string text = ReplaceOnce(kScenario, ":opening FROM", "0 FROM");
  EXPECT_EQ(LoadError(text), "(no error)");
  text = ReplaceOnce(text, "<> :opening * :accounts", "<> 0");
  EXPECT_THAT(LoadError(text), HasSubstr("vars.opening is set but nothing reads it"));
}

TEST(SqlInvariantVars, CastsAndStringsAreNoVariables) {
  const std::string text = ReplaceOnce(kScenario, "HAVING sum(balance) <> :opening * :accounts",
                                       "HAVING sum(balance)::text <> ':x' || :opening::text || :accounts");
  const Scenario s = ParseScenario(text, "s.toml");
  EXPECT_THAT(s.cases[0].sql_invariants[0].query, HasSubstr("::text <> ':x' || '100.00'::text || 10"));
}

}  // namespace
}  // namespace ledgerstress
