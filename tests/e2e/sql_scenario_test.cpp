// The ledgerstress binary on scenarios that bring their own SQL: the
// shipped bank transfer passes its gate, and SQL the server refuses or a
// parameter nobody defined stops the run with exit 2 before any case runs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"
#include "tests/replace_once.h"

namespace ledgerstress::e2e {
namespace {

const char kCounter[] = R"toml(name = "counter"
[schema]
file = "counter.sql"
[[operation]]
name = "bump"
params.id = { int = [1, 5] }
statements = [
  { sql = "SELECT v AS old FROM counter WHERE id = :id", gset = true },
  "UPDATE counter SET v = :old + 1 WHERE id = :id",
]
[[case]]
name = "c"
workload = "ledger"
workers = 2
duration = "1s"
mix.bump = 1
)toml";

const char kCounterSql[] = R"toml(CREATE TABLE counter (id int PRIMARY KEY, v int NOT NULL);
INSERT INTO counter SELECT g, 0 FROM generate_series(1, 5) g;
)toml";

using ledgerstress::testing::ReplaceOnce;

TEST(SqlScenario, TheBankTransferExitsZeroWithTheLostUpdateCaught) {
  Scratch s;
  const Result r = RunLs(s, {"run", std::string(LEDGERSTRESS_SOURCE_DIR) + "/scenarios/bank_transfer.toml", "--set",
                             "duration=1500ms", "--report-dir", (s / "reports").string(), "--format", "json"},
                         "", SIGINT, 240);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto j = OnlyReport(s / "reports");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["cases"][0]["name"], "lost_update");
  EXPECT_EQ(j["cases"][0]["verdict"], "caught");
  EXPECT_EQ(j["cases"][3]["name"], "hardened");
  EXPECT_EQ(j["cases"][3]["verdict"], "pass");
  EXPECT_EQ(j["cases"][3]["operations"][0]["strategy"], "as_written");
  EXPECT_GT(j["cases"][3]["operations"][0]["outcomes"]["expected"].get<int>(), 0);
  // Rows locked do not apply to a schema of its own: the report says why
  // the figure is missing, the summary does not print it as a problem.
  EXPECT_NE(j["cases"][0]["server"]["missing"].get<std::string>().find("own schema has no escrow_contract"),
            std::string::npos) << j["cases"][0]["server"].dump();
  EXPECT_EQ(r.out.find("own schema has no escrow_contract"), std::string::npos) << r.out;
}

TEST(SqlScenario, ABrokenStatementExitsTwoBeforeAnyCaseRuns) {
  Scratch s;
  s.Write("counter.sql", kCounterSql);
  const fs::path scenario = s.Write("counter.toml", ReplaceOnce(kCounter, "SET v = :old", "SET vv = :old"));
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err << r.out;
  EXPECT_NE(r.err.find(scenario.string() + ":9:3: operation 'bump', statement 2: the server refuses it: ERROR:  column "
                                           "\"vv\" of relation \"counter\" does not exist"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("[1/1]"), std::string::npos) << "no case may start: " << r.err;
}

TEST(SqlScenario, AnUndefinedParameterExitsTwoNamingIt) {
  Scratch s;
  s.Write("counter.sql", kCounterSql);
  const fs::path scenario = s.Write("counter.toml", ReplaceOnce(kCounter, "WHERE id = :id\", gset", "WHERE id = :ident\", gset"));
  const Result r = RunLs(s, {"validate", scenario.string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(scenario.string() + ":8:3: undefined parameter ':ident' in operation 'bump'"), std::string::npos)
      << r.err;
}

TEST(SqlScenario, ASchemaFileErrorNamesTheLineInsideIt) {
  Scratch s;
  s.Write("counter.sql", ReplaceOnce(kCounterSql, "v int NOT NULL", "v integr NOT NULL"));
  const fs::path scenario = s.Write("counter.toml", kCounter);
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find((s / "counter.sql").string() + ":1:45: [schema] file (" + scenario.string() +
                       ":3:8): the server refuses it: ERROR:  type \"integr\" does not exist"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("[1/1]"), std::string::npos) << "no case may start: " << r.err;
}

TEST(SqlScenario, AFixtureFileErrorNamesTheLineInsideItPastTheVariables) {
  Scratch s;
  s.Write("counter.sql", kCounterSql);
  s.Write("fill.sql", "-- one counter more\nINSERT INTO counter VALUES (:extra,\n  :start + nosuch);\n");
  const fs::path scenario = s.Write(
      "counter.toml", ReplaceOnce(ReplaceOnce(kCounter, "file = \"counter.sql\"", "file = \"counter.sql\"\nfixture_file = \"fill.sql\""),
                                  "mix.bump = 1", "mix.bump = 1\nvars.extra = 6\nvars.start = 1000"));
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find((s / "fill.sql").string() + ":3:12: [schema] fixture_file (" + scenario.string() +
                       ":4:16), with case 'c''s vars: the server refuses it: ERROR:  column \"nosuch\" does not exist"),
            std::string::npos)
      << r.err;
}

TEST(SqlScenario, AGoodCounterRunsAndCountsItsStatements) {
  Scratch s;
  s.Write("counter.sql", kCounterSql);
  const fs::path scenario = s.Write("counter.toml", kCounter);
  const Result r = RunLs(s, {"run", scenario.string(), "--report-dir", (s / "reports").string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto j = OnlyReport(s / "reports");
  const auto& op = j["cases"][0]["operations"][0];
  ASSERT_GT(op["calls"].get<int>(), 0);
  EXPECT_EQ(op["statements"].get<int>(), 4 * op["calls"].get<int>()) << "BEGIN, 2 statements, COMMIT";
}

}  // namespace
}  // namespace ledgerstress::e2e
