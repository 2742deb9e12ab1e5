// End-to-end tests of the ledgerstress binary: `sweep` (every value run, a
// failing one never recommended, bad keys refused up front) and a scenario's
// SQL invariants (hold, fire, refused before any case runs, failing at run
// time). Each test runs the real program on the suite's cluster.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

const char kSmallClose[] = R"(name = "small_close"
[defaults]
workload = "close"
escrows = 300
donors = 50
workers = 2
max_escrows_per_close = 100
invariants = ["no_stranded_escrow", "money_conserved"]
[[case]]
name = "close"
strategy.close_project_success = "keyset"
[[case]]
name = "floor"
strategy.close_project_success = "set_based"
)";

}  // namespace

TEST(Cli, SweepRunsEveryValueAndNeverRecommendsOneWhoseInvariantsFail) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("close.toml", kSmallClose);
  // batched strands 200 of the 300 escrows (its slice is 100): a value whose
  // invariants fail; keyset at two batch sizes passes.
  const Result r = RunLs(s, {"sweep", scenario.string(), "--case", "close", "--vary",
                             "strategy.close_project_success=batched,keyset", "--vary", "release_batch_size=30,300",
                             "--p99-budget", "10s", "--report-dir", (s / "reports").string()});
  ASSERT_EQ(r.exit_code, 1) << r.err << r.out;  // a case missed its expectation at some value
  EXPECT_EQ(r.out.rfind("server: embedded cluster (throwaway) ", 0), 0u) << r.out;  // once, first
  EXPECT_EQ(r.out.find("\nserver: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("strategy.close_project_success  release_batch_size  case"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fail no_stranded_escrow"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("recommendation: strategy.close_project_success=keyset, release_batch_size="),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("strategy.close_project_success=batched, release_batch_size=30 is never recommended"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("not swept: floor (not named by --case)"), std::string::npos) << r.out;
  const auto j = OnlyReport(s / "reports");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["schema"], "ledgerstress.sweep/1");
  ASSERT_EQ(j["points"].size(), 4u);
  EXPECT_EQ(j["points"][0]["cases"][0]["verdict"], "fail");
  EXPECT_EQ(j["points"][2]["cases"][0]["verdict"], "pass");
  EXPECT_EQ(j["points"][2]["cases"][0]["max_escrow_rows_locked"].is_number(), true);
  EXPECT_GT(j["points"][2]["cases"][0]["statements"].get<double>(),
            j["points"][3]["cases"][0]["statements"].get<double>());  // smaller batches, more statements
  EXPECT_EQ(j["recommendation"]["settings"]["strategy.close_project_success"], "keyset");
  bool html = false;
  for (const auto& e : fs::directory_iterator(s / "reports")) html = html || e.path().extension() == ".html";
  EXPECT_TRUE(html);
  EXPECT_TRUE(fs::is_empty(s / "tmp")) << "the embedded cluster's directory was left behind";
}

TEST(Cli, SweepRefusesABadKeyOrValueBeforeRunningAnything) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("close.toml", kSmallClose);
  for (const char* vary : {"release_batchsize=10", "release_batch_size=10,ten", "release_batch_size=10,-1",
                                  "workers"}) {
    const Result r = RunLs(s, {"sweep", scenario.string(), "--vary", std::string(vary), "--report-dir", (s / "reports").string()});
    EXPECT_EQ(r.exit_code, 2) << vary << ": " << r.err;
    EXPECT_NE(r.err.find("--vary '"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.find("starting an embedded"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(s / "reports"));
  }
}

namespace {

// Two scenario-defined invariants over a wallet race: one listing violations
// (a user with several SAKA wallets), one expecting a value.
const char kSqlInvariants[] = R"(name = "sql"
[[sql_invariant]]
name = "at_most_one_saka_wallet"
query = """
SELECT user_id, count(*) AS wallets FROM saka_wallet GROUP BY user_id HAVING count(*) > 1;
"""
message = "a user owns several SAKA wallets"

[[sql_invariant]]
name = "users_exist"
query = "SELECT count(*) > 0 FROM app_user"
expect = true
message = "the fixture has no user"

[[case]]
name = "hardened"
workers = 20
calls_per_worker = 1
rounds = 3
strategy.saka_get_or_create_wallet = "insert_on_conflict"

[[case]]
name = "review"
expect = "violation"
violates = ["at_most_one_saka_wallet"]
workers = 30
calls_per_worker = 1
rounds = 5
strategy.saka_get_or_create_wallet = "select_for_update"
schema.saka_unique_user = false
)";

const nlohmann::json* FindInvariant(const nlohmann::json& c, const std::string& name) {
  for (const auto& inv : c["invariants"]) {
    if (inv["name"] == name) return &inv;
  }
  return nullptr;
}

}  // namespace

TEST(Cli, SqlInvariantsHoldAndFireAgainstTheRealDatabase) {
  Scratch s;
  const fs::path scenario = s.Write("sql.toml", kSqlInvariants);
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto j = OnlyReport(s / "reports");
  ASSERT_TRUE(j.is_object());
  const auto* held = FindInvariant(j["cases"][0], "at_most_one_saka_wallet");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ((*held)["status"], "held");
  EXPECT_EQ((*FindInvariant(j["cases"][0], "users_exist"))["status"], "held");
  const auto* fired = FindInvariant(j["cases"][1], "at_most_one_saka_wallet");
  ASSERT_NE(fired, nullptr);
  EXPECT_EQ((*fired)["status"], "violated");
  EXPECT_GT((*fired)["violations"].get<int>(), 0);
  EXPECT_EQ((*fired)["samples"]["columns"][1], "wallets");
  EXPECT_EQ(j["cases"][1]["verdict"], "caught");
}

TEST(Cli, SqlInvariantTheServerRefusesExitsTwoBeforeAnyCaseRuns) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"FROM saka_wallet GROUP", "FROM saka_walet GROUP"},               // unknown table
      {"SELECT user_id, count(*)", "SELEC user_id, count(*)"},             // syntax
      {"SELECT user_id, count(*) AS wallets FROM saka_wallet GROUP BY user_id HAVING count(*) > 1;",
       "DELETE FROM app_user RETURNING id"},                               // a write
      {"SELECT user_id, count(*) AS wallets FROM saka_wallet GROUP BY user_id HAVING count(*) > 1;",
       "SELECT 1; COMMIT; DROP TABLE app_user"},                           // a second statement
  };
  for (const auto& [from, to] : bad) {
    // The first on a throwaway cluster of its own, which must be gone after
    // exit 2; the others on the suite's.
    Scratch s(&from == &bad.front().first ? Server::kOwn : Server::kShared);
    std::string text = kSqlInvariants;
    text.replace(text.find(from), from.size(), to);
    const fs::path scenario = s.Write("sql.toml", text);
    const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()});
    EXPECT_EQ(r.exit_code, 2) << to << ": " << r.err;
    EXPECT_NE(r.err.find("ledgerstress: error: " + scenario.string() + ":4:9: sql_invariant 'at_most_one_saka_wallet': "
                         "the server refused the query"),
              std::string::npos)
        << to << ": " << r.err;
    EXPECT_EQ(r.err.find("hardened"), std::string::npos) << "a case ran: " << r.err;
    EXPECT_FALSE(fs::exists(s / "reports")) << to;
    EXPECT_TRUE(fs::is_empty(s / "tmp")) << to;
  }
}

// A [[sql_invariant]] the pre-run check accepts (on empty tables its WHERE
// never divides) that fails once the case has made rows: the case's error,
// the stdout line, stderr and every report name it and the server's words.
TEST(Cli, AnInvariantThatFailsAtRunTimeIsNamedWithTheServersMessage) {
  Scratch s;
  const fs::path scenario = s.Write("div.toml", R"(name = "div"
[[sql_invariant]]
name = "credit_ratio"
query = "SELECT user_id FROM saka_wallet WHERE 1 / (user_id - user_id) > 0"
message = "never"
[[case]]
name = "credit"
workers = 4
calls_per_worker = 1
strategy.saka_get_or_create_wallet = "insert_on_conflict"
)");
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "r").string(), "--format",
                             "json,html,junit,md"});
  const std::string said = "invariant 'credit_ratio' could not be checked: ERROR:  division by zero";
  EXPECT_EQ(r.exit_code, 3) << r.err << r.out;
  EXPECT_NE(r.err.find("\nledgerstress: error: case 'credit': " + said + "\n"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\nerror: case 'credit': " + said + "\n"), std::string::npos) << r.out;
  const auto j = OnlyReport(s / "r");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["run"]["error"], "case 'credit': " + said);
  EXPECT_EQ(j["cases"][0]["error"], said);
  EXPECT_EQ(j["cases"][0]["verdict_reason"], said);
  EXPECT_EQ((*FindInvariant(j["cases"][0], "credit_ratio"))["message"], "ERROR:  division by zero");
  int reports = 0;
  for (const auto& e : fs::directory_iterator(s / "r")) {
    if (!e.is_regular_file()) continue;
    ++reports;
    const std::string text = Slurp(e.path());  // HTML and XML escape the quotes around the name
    EXPECT_NE(text.find("credit_ratio"), std::string::npos) << e.path();
    EXPECT_NE(text.find(" could not be checked: ERROR:  division by zero"), std::string::npos) << e.path();
  }
  EXPECT_EQ(reports, 4);
}

}  // namespace ledgerstress::e2e
