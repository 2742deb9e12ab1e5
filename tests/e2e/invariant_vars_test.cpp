// [[sql_invariant]] queries read the case's vars (`:name`) at run time:
// a value changed by --set is the one the query checks, and a `:name` no
// case sets stops `validate` and `run` (exit 2) before any case runs.
#include <gtest/gtest.h>

#include "tests/e2e/run_ls.h"
#include "tests/replace_once.h"

namespace ledgerstress::e2e {
namespace {

using ledgerstress::testing::ReplaceOnce;

const char kAccounts[] = R"toml(name = "accounts"
[schema]
sql = "CREATE TABLE account (id bigint PRIMARY KEY, balance numeric(14,2) NOT NULL)"
fixture = "INSERT INTO account SELECT g, :opening FROM generate_series(1, :accounts) g"
[[operation]]
name = "touch"
params.id = { int = [1, "vars.accounts"] }
statements = ["UPDATE account SET balance = balance WHERE id = :id"]
[[sql_invariant]]
name = "total_is_opening_times_accounts"
query = "SELECT sum(balance) FROM account HAVING sum(balance) <> :opening::numeric * :accounts"
message = "the total is not what the accounts opened with"
[[case]]
name = "c"
workload = "ledger"
workers = 2
duration = "300ms"
vars.accounts = 5
vars.opening = "100.00"
mix.touch = 1
)toml";

Result RunAccounts(const Scratch& s, const std::string& toml, std::vector<std::string> extra = {}) {
  const fs::path scenario = s.Write("accounts.toml", toml);
  std::vector<std::string> args = {"run", scenario.string(), "--report-dir", (s / "reports").string(), "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunLs(s, args);
}

TEST(InvariantVars, AnInvariantReadingVarsHoldsWithTheCasesValues) {
  Scratch s;
  const Result r = RunAccounts(s, kAccounts, {"--set", "vars.accounts=7"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto j = OnlyReport(s / "reports");
  EXPECT_EQ(j["cases"][0]["invariants"].back()["status"], "held") << j["cases"][0]["invariants"].dump();
}

TEST(InvariantVars, AnInvariantReadingVarsIsViolatedWhenTheDataDisagrees) {
  Scratch s;
  // The fixture opens each account with 100.00 + 1; the invariant expects 100.00 each.
  const Result r = RunAccounts(s, ReplaceOnce(kAccounts, "SELECT g, :opening FROM", "SELECT g, :opening::numeric + 1 FROM"));
  ASSERT_EQ(r.exit_code, 1) << r.err << r.out;
  const auto j = OnlyReport(s / "reports");
  EXPECT_EQ(j["cases"][0]["invariants"].back()["status"], "violated") << j["cases"][0]["invariants"].dump();
}

TEST(InvariantVars, AnUnsetVariableStopsValidateAndRunNamingTheInvariant) {
  Scratch s;
  const std::string toml = ReplaceOnce(kAccounts, ":opening::numeric * :accounts", ":opening::numeric * :accouns");
  const fs::path scenario = s.Write("accounts.toml", toml);
  const std::string want = scenario.string() + ":11:9: case 'c' does not set vars.accouns (did you mean 'accounts'?), "
                                               "which the query of sql_invariant 'total_is_opening_times_accounts' reads";
  const Result v = RunLs(s, {"validate", scenario.string()});
  EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
  EXPECT_NE(v.err.find(want), std::string::npos) << v.err;
  const Result r = RunAccounts(s, toml);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(want), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("[1/1]"), std::string::npos) << "no case may start: " << r.out;
}

}  // namespace
}  // namespace ledgerstress::e2e
