// `run` and `sweep` options that choose what runs and where: --case PATTERN
// (only the cases it selects run, and only they are in the reports),
// --embedded, and the "server: ..." line that names the server on stdout.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

// Two quick race cases and a third that would take a minute: a filter that
// let it through would time the test out.
const char kThree[] = R"(name = "three"
[defaults]
workers = 4
strategy.saka_get_or_create_wallet = "insert_on_conflict"
[[case]]
name = "race/hardened"
calls_per_worker = 1
[[case]]
name = "race/again"
calls_per_worker = 1
[[case]]
name = "long"
duration = "60s"
)";

// Stops the `db start` cluster of `scratch` (RunLs's LEDGERSTRESS_DB_DIR) however the test ends.
struct DbStopper {
  const Scratch& scratch;
  ~DbStopper() { RunLs(scratch, {"db", "stop"}); }
};

std::vector<std::string> CaseNames(const nlohmann::json& report) {
  std::vector<std::string> names;
  for (const auto& c : report["cases"]) names.push_back(c["name"]);
  return names;
}

}  // namespace

TEST(RunOptions, CaseRunsOnlyTheMatchingCasesAndTheReportsHoldOnlyThem) {
  Scratch s;
  const fs::path scenario = s.Write("three.toml", kThree);
  const Result r = RunLs(s, {"run", scenario.string(), "--case", "race/*", "--report-dir", (s / "r").string(),
                             "--format", "json,md,junit"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(CaseNames(OnlyReport(s / "r")), (std::vector<std::string>{"race/hardened", "race/again"}));
  EXPECT_EQ(r.out.find("\nlong "), std::string::npos) << r.out;
  for (const auto& e : fs::directory_iterator(s / "r")) {
    const std::string text = Slurp(e.path());
    EXPECT_EQ(text.find("name=\"long\""), std::string::npos) << e.path();  // JUnit
    EXPECT_EQ(text.find("| long |"), std::string::npos) << e.path();        // Markdown
  }
  // ':' separates patterns, a repeated option adds some, '?' is one character.
  const Result two = RunLs(s, {"run", scenario.string(), "--case", "race/hardened:nothing*", "--case", "race/ag?in",
                               "--report-dir", (s / "r2").string(), "--format", "json"});
  EXPECT_EQ(two.exit_code, 2) << two.err;  // every pattern must match a case
  EXPECT_NE(two.err.find("--case 'nothing*': no case matches"), std::string::npos) << two.err;
  const Result both = RunLs(s, {"run", scenario.string(), "--case", "race/hardened", "--case", "race/ag?in",
                                "--report-dir", (s / "r4").string(), "--format", "json"});
  ASSERT_EQ(both.exit_code, 0) << both.err << both.out;
  EXPECT_EQ(CaseNames(OnlyReport(s / "r4")), (std::vector<std::string>{"race/hardened", "race/again"}));
}

TEST(RunOptions, ACasePatternThatMatchesNothingExitsTwoBeforeAnythingRunsNamingWhatItMayHaveMeant) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("three.toml", kThree);
  const Result r = RunLs(s, {"run", scenario.string(), "--case", "race/hardend", "--report-dir", (s / "r").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, "ledgerstress: error: " + scenario.string() +
                       ": --case 'race/hardend': no case matches (did you mean 'race/hardened'?)\n");
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(s / "r"));
  const Result part = RunLs(s, {"run", scenario.string(), "--case", "hardened"});
  EXPECT_NE(part.err.find("--case 'hardened': no case matches (did you mean '*hardened*'? it matches "
                          "'race/hardened')"),
            std::string::npos)
      << part.err;
  // sweep --case is the same option, with the same meaning and message.
  const Result sweep = RunLs(s, {"sweep", scenario.string(), "--case", "race/hardend", "--vary", "workers=2,3"});
  EXPECT_EQ(sweep.exit_code, 2) << sweep.err;
  EXPECT_NE(sweep.err.find(": --case 'race/hardend': no case matches (did you mean 'race/hardened'?)"),
            std::string::npos)
      << sweep.err;
  EXPECT_EQ(sweep.err.find("starting an embedded"), std::string::npos) << sweep.err;
  EXPECT_TRUE(fs::is_empty(s / "tmp"));
}

TEST(RunOptions, TheServerLineNamesTheUsersServerWithoutItsPasswordAndEmbeddedPassesItOver) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("three.toml", kThree);
  const Env env = {{"DATABASE_URL", "postgresql://ls:sekret-pw@127.0.0.1:1/nope?connect_timeout=3"}};
  const Result named = RunLsWith(s, env, {"run", scenario.string(), "--case", "race/hardened", "--report-dir",
                                          (s / "r").string()});
  EXPECT_EQ(named.exit_code, 3) << named.err;  // nothing listens there
  EXPECT_EQ(named.out.rfind("server: $DATABASE_URL postgresql://ls:***@127.0.0.1:1/nope?connect_timeout=3\n", 0), 0u)
      << named.out;
  EXPECT_EQ((named.out + named.err).find("sekret"), std::string::npos);

  const Result embedded = RunLsWith(s, env, {"run", scenario.string(), "--case", "race/hardened", "--embedded",
                                             "--report-dir", (s / "r2").string()});
  ASSERT_EQ(embedded.exit_code, 0) << embedded.err << embedded.out;
  EXPECT_EQ(embedded.out.rfind("server: embedded cluster (throwaway) " + (s / "tmp").string() + "/", 0), 0u)
      << embedded.out;
  EXPECT_EQ(OnlyReport(s / "r2")["server"]["source"], "embedded cluster");
  EXPECT_TRUE(fs::is_empty(s / "tmp")) << "the throwaway cluster was left behind";

  const Result both = RunLs(s, {"run", scenario.string(), "--embedded", "--dsn", "postgresql://me@db/app"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  EXPECT_NE(both.err.find("--embedded starts a cluster of its own: it cannot go with --dsn"), std::string::npos)
      << both.err;
  EXPECT_EQ(RunLs(s, {"sweep", scenario.string(), "--embedded", "--dsn", "x", "--vary", "workers=2"}).exit_code, 2);
}

TEST(RunOptions, ADbStartClusterIsNamedOnStdoutAndEmbeddedPassesItOver) {
  Scratch s(Server::kOwn);
  const fs::path scenario = s.Write("three.toml", kThree);
  const Result start = RunLs(s, {"db", "start", "--max-connections", "40"});
  DbStopper stopper{s};
  ASSERT_EQ(start.exit_code, 0) << start.err << start.out;
  const Result kept = RunLs(s, {"run", scenario.string(), "--case", "race/hardened", "--report-dir",
                                (s / "r").string()});
  ASSERT_EQ(kept.exit_code, 0) << kept.err << kept.out;
  EXPECT_EQ(kept.out.rfind("server: db start cluster host=" + (s / "no-db").string() + " port=", 0), 0u) << kept.out;

  const Result embedded = RunLs(s, {"run", scenario.string(), "--case", "race/hardened", "--embedded",
                                    "--report-dir", (s / "r2").string()});
  ASSERT_EQ(embedded.exit_code, 0) << embedded.err << embedded.out;
  EXPECT_EQ(embedded.out.rfind("server: embedded cluster (throwaway) ", 0), 0u) << embedded.out;
  EXPECT_EQ(OnlyReport(s / "r2")["server"]["source"], "embedded cluster");
  EXPECT_EQ(RunLs(s, {"db", "status"}).exit_code, 0) << "--embedded stopped the db start cluster";
}

}  // namespace ledgerstress::e2e
