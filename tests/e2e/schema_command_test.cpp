// [schema] command and fixture_command: the team's own programs build each
// case's schema, with the environment a driver gets, checked on a scratch
// schema before any case runs; a failing one is exit 3 with the end of its
// stderr, and nothing it made is left on the server.
#include <signal.h>

#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "harness/pg/embedded_cluster.h"
#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

// Creates the table with psql, through the PG* environment alone.
const char kMigrateSh[] = R"sh(#!/bin/sh
set -eu
echo "migrating into $LEDGERSTRESS_SCHEMA"
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE TABLE counter (id int PRIMARY KEY, v int NOT NULL)'
)sh";

// Fills it, sized by the case's vars.
const char kSeedSh[] = R"sh(#!/bin/sh
set -eu
psql -X -q -v ON_ERROR_STOP=1 -c "INSERT INTO counter SELECT g, 0 FROM generate_series(1, $LEDGERSTRESS_VAR_rows) g"
)sh";

// Hardened increments; the invariant counts the fixture's rows.
const char kScenario[] = R"toml(name = "counter_by_command"
[schema]
command = ["/bin/sh", "migrate.sh"]
fixture_command = ["/bin/sh", "seed.sh"]
[defaults]
vars.rows = 7
[[operation]]
name = "bump"
params.id = { int = [1, 7] }
statements = ["UPDATE counter SET v = v + 1 WHERE id = :id"]
[[sql_invariant]]
name = "rows_seeded"
query = "SELECT count(*) FROM counter"
expect = 7
message = "the fixture command did not seed vars.rows rows"
[[case]]
name = "bump"
workload = "ledger"
workers = 2
duration = "1s"
mix.bump = 1
)toml";

// A Python migration (psycopg2 through the PG* environment) that creates a
// table, then fails.
const char kFailingPy[] = R"py(import sys, psycopg2
conn = psycopg2.connect("")
with conn, conn.cursor() as cur:
    cur.execute("CREATE TABLE half_done (id int)")
print("applied 0001_initial")
sys.stderr.write("Applying shop.0002_orders...\n")
raise RuntimeError("migration 0002 failed: column 'total' cannot be cast")
)py";

// Records the search_path of the command's session and LEDGERSTRESS_SCHEMA.
const char kRecordPy[] = R"py(import os, psycopg2
conn = psycopg2.connect("")
with conn, conn.cursor() as cur:
    cur.execute("SHOW search_path")
    path = cur.fetchone()[0]
    cur.execute("SELECT current_schema()")
    current = cur.fetchone()[0]
    cur.execute("CREATE TABLE counter (id int PRIMARY KEY, v int NOT NULL)")
    cur.execute("INSERT INTO counter SELECT g, 0 FROM generate_series(1, 7) g")
with open(os.environ["RECORD"], "a") as f:
    f.write("%s %s %s %s\n" % (path, current, os.environ["LEDGERSTRESS_SCHEMA"], os.environ.get("PGAPPNAME")))
)py";

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class SchemaCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    EmbeddedCluster::Options o;
    o.dir = (s_ / "cluster").string();
    cluster_ = EmbeddedCluster::Start(o);
    s_.Write("migrate.sh", kMigrateSh);
    s_.Write("seed.sh", kSeedSh);
  }

  Result Run(const std::string& scenario_text, const std::string& signal_when = "") {
    const fs::path scenario = s_.Write("s.toml", scenario_text);
    return RunLs(s_, {"run", scenario.string(), "--dsn", cluster_->Dsn(), "--report-dir", (s_ / "reports").string(),
                      "--format", "json"},
                 signal_when, SIGINT, 180);
  }

  // Objects a run left on the server: its schemas, and tables of ours anywhere.
  std::string Leftovers() {
    pqxx::connection c(cluster_->Dsn());
    pqxx::nontransaction tx(c);
    const pqxx::row r = tx.exec1(
        "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ls\\_%') || ' schemas, ' ||"
        "       (SELECT count(*) FROM pg_tables WHERE tablename IN ('counter', 'half_done')) || ' tables'");
    return r[0].as<std::string>();
  }

  Scratch s_;
  std::unique_ptr<EmbeddedCluster> cluster_;
};

TEST_F(SchemaCommand, TheCommandsBuildTheTablesAndTheSqlOperationsRunAndPassOnThem) {
  const Result r = Run(kScenario);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto j = OnlyReport(s_ / "reports");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["cases"][0]["verdict"], "pass");
  EXPECT_GT(j["cases"][0]["operations"][0]["outcomes"]["ok"].get<int>(), 0) << j["cases"][0].dump();
  EXPECT_EQ(Leftovers(), "0 schemas, 0 tables");
  EXPECT_EQ(r.err.find("migrating into"), std::string::npos) << "the command's output reached the terminal: " << r.err;
}

TEST_F(SchemaCommand, TheCommandsSessionsHaveTheCaseSchemaAsSearchPath) {
  const fs::path record = s_ / "record.txt";
  s_.Write("record.py", kRecordPy);
  std::string text = ReplaceAll(kScenario, "command = [\"/bin/sh\", \"migrate.sh\"]",
                                "command = [\"/usr/bin/python3\", \"record.py\"]\nenv = { RECORD = \"" +
                                    record.string() + "\" }");
  text = ReplaceAll(text, "fixture_command = [\"/bin/sh\", \"seed.sh\"]\n", "");
  text = ReplaceAll(text, "vars.rows = 7\n", "");
  const Result r = Run(text);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const std::string run_id = OnlyReport(s_ / "reports")["run"]["id"];
  std::ifstream in(record);
  std::string path, current, env, app;
  ASSERT_TRUE(in >> path >> current >> env >> app) << "the scratch check did not run the command";
  EXPECT_EQ(path, "ls_" + run_id + "_sqlcheck");
  EXPECT_EQ(current, path);
  EXPECT_EQ(env, path);
  EXPECT_EQ(app, "ledgerstress/" + run_id + "/schema-command");
  ASSERT_TRUE(in >> path >> current >> env >> app) << "the case did not run the command";
  EXPECT_EQ(path, "ls_" + run_id + "_1");
  EXPECT_EQ(current, path);
  EXPECT_EQ(env, path);
}

TEST_F(SchemaCommand, AFailingCommandExitsThreeWithItsStderrTailBeforeAnyCaseAndLeavesNothing) {
  s_.Write("migrate.py", kFailingPy);
  const Result r = Run(ReplaceAll(kScenario, "[\"/bin/sh\", \"migrate.sh\"]", "[\"/usr/bin/python3\", \"migrate.py\"]"));
  EXPECT_EQ(r.exit_code, 3) << r.err << r.out;
  EXPECT_NE(r.err.find("s.toml:3:11: [schema] command (/usr/bin/python3 migrate.py) failed in schema ls_"),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find("RuntimeError: migration 0002 failed: column 'total' cannot be cast"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Applying shop.0002_orders..."), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("[1/1]"), std::string::npos) << "no case may start: " << r.err;
  EXPECT_EQ(Leftovers(), "0 schemas, 0 tables");
}

TEST_F(SchemaCommand, ACommandFailingInACaseExitsThreeAndTheCaseSchemaIsDropped) {
  // Succeeds once (the scratch check), fails the second time (the case).
  s_.Write("migrate.sh", std::string(kMigrateSh) + "if [ -e once ]; then echo 'second run: lock file held' >&2; "
                                                   "exit 4; fi\ntouch once\n");
  const Result r = Run(kScenario);
  EXPECT_EQ(r.exit_code, 3) << r.err << r.out;
  EXPECT_NE(r.err.find("second run: lock file held"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(exit 4)"), std::string::npos) << r.err;
  EXPECT_EQ(Leftovers(), "0 schemas, 0 tables");
}

TEST_F(SchemaCommand, NoPasswordOfTheDsnIsPrintedFromTheCommandsStderr) {
  s_.Write("migrate.sh", "#!/bin/sh\necho \"connecting with PGPASSWORD=$PGPASSWORD\" >&2\nexit 1\n");
  const fs::path scenario = s_.Write("s.toml", kScenario);
  const Result r = RunLs(s_, {"run", scenario.string(), "--dsn", cluster_->Dsn() + " password=hunter2sekrit",
                              "--report-dir", (s_ / "reports").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 3) << r.err << r.out;
  EXPECT_NE(r.err.find("connecting with PGPASSWORD="), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("hunter2sekrit"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("hunter2sekrit"), std::string::npos) << r.out;
  EXPECT_EQ(Slurp(OnlyReport(s_ / "reports").is_object() ? Reports(s_ / "reports")[0] : fs::path()).find("hunter2sekrit"),
            std::string::npos);
}

TEST_F(SchemaCommand, AnInterruptedCommandIsKilledAndReapedAndTheRunExits130) {
  const fs::path hang = s_.Write("hang.sh", "#!/bin/sh\nwhile :; do sleep 1; done\n");
  const auto t0 = std::chrono::steady_clock::now();
  const Result r = Run(ReplaceAll(kScenario, "\"migrate.sh\"", "\"" + hang.string() + "\""),
                       "running the [schema] command");
  EXPECT_EQ(r.exit_code, 130) << r.err << r.out;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(60));
  EXPECT_EQ(ProcessesMentioning(hang.string()), 0) << "the command outlived the run";
  EXPECT_EQ(Leftovers(), "0 schemas, 0 tables");
}

TEST(SchemaCommandLoad, ABareProgramNameIsRefusedAtLoadWithItsAbsolutePath) {
  Scratch s;
  const fs::path scenario = s.Write("s.toml", ReplaceAll(kScenario, "\"/bin/sh\", \"migrate.sh\"", "\"sh\", \"migrate.sh\""));
  const Result r = RunLs(s, {"validate", scenario.string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(scenario.string() + ":3:11: [schema] command: command[0] 'sh' is not looked up on PATH: write \"/"),
            std::string::npos) << r.err;
}

}  // namespace
}  // namespace ledgerstress::e2e
