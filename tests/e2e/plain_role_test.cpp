// ledgerstress on a server as a DBA's CI gets it: reached with --dsn as a
// role that is neither superuser nor owner of anything but what it creates,
// with only CREATE on its database, and no extension installed there. Every
// case must get its right verdict or a cannot-run error that says what is
// missing -- never a verdict that is wrong for want of an extension.
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "harness/pg/embedded_cluster.h"
#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

// A server holding the database `plain_db` and the role `plain`, which may
// only log in and create schemas there.
class PlainRole : public ::testing::Test {
 protected:
  void SetUp() override {
    EmbeddedCluster::Options o;
    o.dir = (s_ / "cluster").string();
    cluster_ = EmbeddedCluster::Start(o);
    pqxx::connection admin(cluster_->Dsn());
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE ROLE plain LOGIN");
    tx.exec("CREATE DATABASE plain_db");
    tx.exec("GRANT CREATE ON DATABASE plain_db TO plain");
  }

  std::string PlainDsn() const {
    return "host=" + cluster_->dir() + " port=5432 user=plain dbname=plain_db";
  }

  void InstallInPlainDb(const std::string& extension) {
    pqxx::connection admin("host=" + cluster_->dir() + " port=5432 user=postgres dbname=plain_db");
    pqxx::nontransaction(admin).exec("CREATE EXTENSION " + extension);
  }

  Result Run(const std::string& scenario, const std::string& report_dir, const std::string& cases = "*") {
    return RunLs(s_, {"run", std::string(LEDGERSTRESS_SOURCE_DIR "/scenarios/") + scenario, "--dsn", PlainDsn(),
                      "--report-dir", (s_ / report_dir).string(), "--format", "json", "--case", cases});
  }

  Scratch s_;
  std::unique_ptr<EmbeddedCluster> cluster_;
};

// The verdict a case should get when it runs.
std::string Expected(const nlohmann::json& c) { return c["expect"] == "violation" ? "caught" : "pass"; }

TEST_F(PlainRole, CiGivesEachCaseItsVerdictOrSaysWhatIsMissing) {
  const Result bare = Run("ci.toml", "bare");
  EXPECT_EQ(bare.exit_code, 3) << bare.out << bare.err;
  const auto j = OnlyReport(s_ / "bare");
  int errors = 0, judged = 0;
  std::string cannot_run;  // the --case pattern of the cases that errored
  for (const auto& c : j["cases"]) {
    if (c["verdict"] == "error") {
      ++errors;
      cannot_run += (cannot_run.empty() ? "" : ":") + c["name"].get<std::string>();
      EXPECT_NE(c["cannot_run"].dump().find("CREATE EXTENSION pgrowlocks"), std::string::npos) << c.dump();
    } else {
      ++judged;
      EXPECT_EQ(c["verdict"], Expected(c)) << c["name"] << ": " << c["verdict_reason"];
    }
  }
  EXPECT_GT(errors, 0) << "the lock-footprint checks need pgrowlocks: they cannot pass without it";
  EXPECT_GT(judged, 0) << "the cases that need no extension must still be judged";
  EXPECT_NE(bare.out.find("cannot run: case 'close_1000/batched'"), std::string::npos) << bare.out;

  // With the one extension the gate needs, the cases that could not run get
  // their verdicts (the others were judged above and need nothing more).
  InstallInPlainDb("pgrowlocks");
  ASSERT_FALSE(cannot_run.empty());
  const Result ready = Run("ci.toml", "ready", cannot_run);
  EXPECT_EQ(ready.exit_code, 0) << ready.out << ready.err;
  const auto ready_report = OnlyReport(s_ / "ready");
  EXPECT_EQ(static_cast<int>(ready_report["cases"].size()), errors);
  for (const auto& c : ready_report["cases"]) {
    EXPECT_EQ(c["verdict"], Expected(c)) << c["name"] << ": " << c["verdict_reason"];
  }
}

TEST_F(PlainRole, DeadlocksAreInjectedAndCountedByTheServer) {
  const Result r = Run("deadlock_injection.toml", "r");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto report = OnlyReport(s_ / "r");
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], Expected(c)) << c["name"] << ": " << c["verdict_reason"];
    const auto& f = c["faults"];
    EXPECT_GT(f["deadlocks_injected"].get<int>(), 0) << c["name"] << ": " << f.dump();
    EXPECT_GE(f["server_deadlocks_delta"].get<int>(), f["deadlocks_injected"].get<int>()) << f.dump();
    EXPECT_EQ(f["victim_deadlock_timeout_ms"], 1000) << "a plain role runs with the server's deadlock_timeout";
  }
}

}  // namespace
}  // namespace ledgerstress::e2e
