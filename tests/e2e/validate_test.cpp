// `ledgerstress validate` catches without a server what `run` used to be
// the first to catch: a strategy or operation a driver does not offer (it
// asks the driver, as run does), an undefined parameter behind an earlier
// gset statement, and a gset column named like a parameter.
#include <gtest/gtest.h>

#include "tests/e2e/run_ls.h"
#include "tests/replace_once.h"

namespace ledgerstress::e2e {
namespace {

using ledgerstress::testing::ReplaceOnce;

const char kTiny[] = LEDGERSTRESS_SOURCE_DIR "/tests/e2e/drivers/tiny.py";

std::string DriverScenario(const std::string& extra) {
  return "name = \"tiny\"\n[drivers.tiny]\ncommand = [\"/usr/bin/python3\", \"" + std::string(kTiny) +
         "\"]\n[[case]]\nname = \"c\"\ndriver = \"tiny\"\nworkload = \"ledger\"\nworkers = 2\nduration = \"1s\"\n"
         "mix = { deposit = 1, pledge_funds = 1 }\n" + extra;
}

const char kCounter[] = R"toml([schema]
sql = "CREATE TABLE counter (id int PRIMARY KEY, v int NOT NULL)"
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

TEST(Validate, AsksTheDriverAndPassesWhatItOffers) {
  Scratch s;
  const fs::path f = s.Write("t.toml", DriverScenario("strategy.pledge_funds = \"other\"\n"));
  const Result r = RunLs(s, {"validate", f.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(f.string() + ": ok (1 case)"), std::string::npos) << r.out;
}

TEST(Validate, AStrategyTheDriverDoesNotOfferIsInvalid) {
  Scratch s;
  const fs::path f = s.Write("t.toml", DriverScenario("strategy.pledge_funds = \"hardened\"\n"));
  const Result r = RunLs(s, {"validate", f.string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("t.toml:11:25: strategy 'hardened' for 'pledge_funds' is not offered by driver 'tiny'; "
                       "it offers: deposit ('plain'); pledge_funds ('plain', 'other')"),
            std::string::npos)
      << r.err;
}

TEST(Validate, ADriverThatCannotGetThroughInitExitsThreeWithItsStderr) {
  Scratch s;
  const fs::path f = s.Write("t.toml", ReplaceOnce(DriverScenario(""), "[[case]]", "env = { TINY_MODE = \"bad_init\" }\n[[case]]"));
  const Result r = RunLs(s, {"validate", f.string()});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find(f.string() + ": "), std::string::npos) << r.err;
}

TEST(Validate, AnUndefinedParameterAfterAGsetStatementIsInvalid) {
  Scratch s;
  EXPECT_EQ(RunLs(s, {"validate", s.Write("ok.toml", kCounter).string()}).exit_code, 0);
  const fs::path f = s.Write("c.toml", ReplaceOnce(kCounter, "SET v = :old + 1", "SET v = :odl + 1"));
  const Result r = RunLs(s, {"validate", f.string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("c.toml:8:3: undefined parameter ':odl' in operation 'bump', statement 2 (did you mean 'old'?)"),
            std::string::npos)
      << r.err;
}

TEST(Validate, AGsetColumnNamedLikeAParameterIsInvalid) {
  Scratch s;
  const fs::path f = s.Write("c.toml", ReplaceOnce(kCounter, "SELECT v AS old FROM", "SELECT v AS old, id FROM"));
  const Result r = RunLs(s, {"validate", f.string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("c.toml:7:3: operation 'bump', statement 1: gset column 'id' has the name of params.id"),
            std::string::npos)
      << r.err;
}

TEST(Validate, AGsetColumnNamedLikeAParameterBehindAStarIsRefusedByRunsServerCheck) {
  Scratch s;
  const fs::path f = s.Write("c.toml", ReplaceOnce(kCounter, "SELECT v AS old FROM", "SELECT *, v AS old FROM"));
  EXPECT_EQ(RunLs(s, {"validate", f.string()}).exit_code, 0) << "the text does not tell what * returns";
  const Result r = RunLs(s, {"run", f.string(), "--report-dir", (s / "r").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("c.toml:7:3: operation 'bump', statement 1: gset column 'id' has the name of params.id"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("[1/1]"), std::string::npos) << "no case may start: " << r.err;
}

}  // namespace
}  // namespace ledgerstress::e2e
