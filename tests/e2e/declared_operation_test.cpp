// One operation declared once, implemented by SQL in one scenario and by a
// driver in another, on the scenario's own schema, with the same verdicts:
// the driver's bug (the wrong account) is caught as the wrong effect, its
// CHECK violation declared `expected` is a refusal, and a driver that does
// not offer the declared operation stops the run before any case.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"
#include "tests/replace_once.h"

namespace ledgerstress::e2e {
namespace {

using ledgerstress::testing::ReplaceOnce;

const char kPayments[] = LEDGERSTRESS_SOURCE_DIR "/tests/e2e/drivers/payments.py";

// The schema, the declared `pay` and the cases; STATEMENTS is replaced by
// the SQL implementation or by nothing, DRIVER by the case's driver line.
const char kScenario[] = R"toml(name = "payments"
seed = 9
[schema]
sql = """
CREATE TABLE account (id int PRIMARY KEY, balance numeric(14,2) NOT NULL CHECK (balance >= 0));
CREATE TABLE payment (key text PRIMARY KEY, account int NOT NULL, amount numeric(14,2) NOT NULL);
"""
fixture = "INSERT INTO account SELECT g, 40 FROM generate_series(1, 11) g"

[drivers.payments]
command = ["/usr/bin/python3", "PAYMENTS"]

[defaults]
workload = "ledger"
workers = 3
calls_per_worker = 60
invariants = ["acknowledged_writes_durable"]
DRIVER

[[operation]]
name = "pay"
params.account = { int = [1, 10] }
params.amount = { money = ["1.00", "9.00"] }
params.key = { unique = true }
STATEMENTS
expected = ["23514"]
durable = "SELECT account, amount FROM payment WHERE key = :key"

[[sql_invariant]]
name = "balances_match_payments"
query = """SELECT a.id FROM account a LEFT JOIN payment p ON p.account = a.id
           GROUP BY a.id, a.balance HAVING a.balance <> 40 - coalesce(sum(p.amount), 0)"""
message = "a balance differs from its payments"

[[case]]
name = "pay"
mix.pay = 1
CASE
)toml";

const char kSqlStatements[] = R"toml(statements = [
  "UPDATE account SET balance = balance - :amount::numeric WHERE id = :account",
  "INSERT INTO payment VALUES (:key, :account, :amount::numeric)",
])toml";

std::string Scenario(bool driver, const std::string& case_extra = "") {
  std::string s = ReplaceOnce(kScenario, "PAYMENTS", kPayments);
  s = ReplaceOnce(s, "DRIVER", driver ? "driver = \"payments\"" : "");
  s = ReplaceOnce(s, "STATEMENTS", driver ? "" : kSqlStatements);
  return ReplaceOnce(s, "CASE", case_extra);
}

nlohmann::json RunScenario(Scratch& s, const std::string& name, const std::string& text, int* exit_code) {
  const Result r = RunLs(s, {"run", s.Write(name + ".toml", text).string(), "--report-dir", (s / name).string(),
                             "--format", "json"});
  *exit_code = r.exit_code;
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;
  return OnlyReport(s / name);
}

std::uint64_t Outcome(const nlohmann::json& c, const char* name) {
  return c["operations"][0]["outcomes"].value(name, 0u);
}

TEST(DeclaredOperation, TheSameOperationAsSqlAndThroughADriverGetsTheSameVerdict) {
  Scratch s;
  int sql_exit = -1, driver_exit = -1;
  const auto sql = RunScenario(s, "sql", Scenario(false), &sql_exit);
  const auto driver = RunScenario(s, "driver", Scenario(true), &driver_exit);
  EXPECT_EQ(sql_exit, 0);
  EXPECT_EQ(driver_exit, 0);
  for (const auto* j : {&sql, &driver}) {
    const auto& c = (*j)["cases"][0];
    EXPECT_EQ(c["verdict"], "pass") << c.dump();
    EXPECT_GT(Outcome(c, "ok"), 0u);
    EXPECT_GT(Outcome(c, "expected"), 0u) << "11 accounts of 40.00, 180 payments of 1 to 9: some are refused (CHECK)";
    EXPECT_EQ(Outcome(c, "other") + Outcome(c, "unique_violation"), 0u) << c["operations"].dump();
  }
  EXPECT_EQ(driver["cases"][0]["driver"], "payments");
  EXPECT_EQ(driver["cases"][0]["settings"]["strategy.pay"], "correct") << "the driver's first strategy";
}

TEST(DeclaredOperation, TheDriversWrongAccountIsCaughtAsTheWrongEffect) {
  Scratch s;
  int exit_code = -1;
  const auto j = RunScenario(s, "bad", Scenario(true, "strategy.pay = \"wrong_account\"\nexpect = \"violation\"\n"
                                                      "violates = [\"acknowledged_writes_durable\"]\n"),
                             &exit_code);
  EXPECT_EQ(exit_code, 0);
  const auto& c = j["cases"][0];
  EXPECT_EQ(c["verdict"], "caught") << c.dump();
  for (const auto& i : c["invariants"]) {
    if (i["name"] == "acknowledged_writes_durable") EXPECT_GT(i["details"]["wrong_effect"].get<double>(), 0) << i.dump();
    if (i["name"] == "balances_match_payments") EXPECT_EQ(i["status"], "held") << "the bug is consistent with itself";
  }
}

TEST(DeclaredOperation, ADeclaredOperationWithoutADriverOrNotOfferedIsExitTwo) {
  Scratch s;
  std::string no_driver = ReplaceOnce(Scenario(false), kSqlStatements, "");
  Result r = RunLs(s, {"run", s.Write("a.toml", no_driver).string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("has no 'statements': a driver implements it"), std::string::npos) << r.err;

  std::string renamed = ReplaceOnce(ReplaceOnce(Scenario(true), "name = \"pay\"", "name = \"refund\""), "mix.pay",
                                    "mix.refund");
  r = RunLs(s, {"run", s.Write("b.toml", renamed).string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("refund"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pay"), std::string::npos) << "names what the driver offers: " << r.err;
}

}  // namespace
}  // namespace ledgerstress::e2e
