// [schema] command and fixture_command: read as a driver's command is (no
// PATH search), and exclusive with the SQL they replace.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "tests/unit/load_error.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;

const char kCase[] = "[[case]]\nname = \"a\"\nworkload = \"ledger\"\nworkers = 1\nduration = \"1s\"\nmix.bump = 1\n"
                     "[[operation]]\nname = \"bump\"\nstatements = [\"UPDATE counter SET v = v + 1\"]\n";

std::string WithSchema(const std::string& schema) { return "[schema]\n" + schema + kCase; }

TEST(SchemaCommandLoader, ACommandReplacesTheSqlAndItsRelativeProgramIsMadeAbsolute) {
  const Scenario s = ParseScenario(WithSchema("command = [\"./migrate.sh\", \"--all\"]\ncwd = \"app\"\n"
                                              "env = { DJANGO_SETTINGS_MODULE = \"shop.settings\" }\n"),
                                   "/srv/team/s.toml", {});
  ASSERT_TRUE(s.user_schema);
  EXPECT_EQ(s.user_schema->command.argv, (std::vector<std::string>{"/srv/team/app/migrate.sh", "--all"}));
  EXPECT_EQ(s.user_schema->cwd, "/srv/team/app");
  EXPECT_EQ(s.user_schema->env.at(0).second, "shop.settings");
  EXPECT_TRUE(s.user_schema->sql.empty());
  EXPECT_FALSE(s.user_schema->fixture_command.given());
}

TEST(SchemaCommandLoader, ABareProgramNameIsRefusedWithThePathPathWouldGive) {
  EXPECT_THAT(testing::LoadError(WithSchema("command = [\"sh\", \"migrate.sh\"]\n")),
              HasSubstr("s.toml:2:11: [schema] command: command[0] 'sh' is not looked up on PATH: write \"/"));
  EXPECT_THAT(testing::LoadError(WithSchema("sql = \"CREATE TABLE counter (v int)\"\nfixture_command = [\"sh\"]\n")),
              HasSubstr("[schema] fixture_command: command[0] 'sh' is not looked up on PATH"));
}

TEST(SchemaCommandLoader, SqlAndACommandTogetherAreRefused) {
  EXPECT_THAT(testing::LoadError(WithSchema("sql = \"CREATE TABLE counter (v int)\"\ncommand = [\"/bin/true\"]\n")),
              HasSubstr("give 'sql'/'file' or 'command', not both"));
  EXPECT_THAT(testing::LoadError(WithSchema("command = [\"/bin/true\"]\nfixture = \"SELECT 1\"\n"
                                            "fixture_command = [\"/bin/true\"]\n")),
              HasSubstr("give 'fixture'/'fixture_file' or 'fixture_command', not both"));
}

TEST(SchemaCommandLoader, NeitherSqlNorACommandIsRefusedNamingBoth) {
  EXPECT_THAT(testing::LoadError(WithSchema("fixture = \"SELECT 1\"\n")),
              HasSubstr("[schema] needs 'sql' (the tables, inline), 'file' (a .sql file) or 'command'"));
}

TEST(SchemaCommandLoader, CwdOrEnvWithoutACommandIsRefused) {
  EXPECT_THAT(testing::LoadError(WithSchema("sql = \"CREATE TABLE counter (v int)\"\ncwd = \"app\"\n")),
              HasSubstr("s.toml:3:7: [schema] 'cwd' and 'env' are for 'command' and 'fixture_command'"));
}

TEST(SchemaCommandLoader, AnEmptyCommandIsRefused) {
  EXPECT_THAT(testing::LoadError(WithSchema("command = []\n")), HasSubstr("'command' must be a non-empty array"));
}

TEST(SchemaCommandLoader, TheFixtureCommandReadsEveryVariable) {
  const std::string vars = "[defaults]\nvars.rows = 5\n";
  const std::string text = vars + WithSchema("command = [\"/bin/true\"]\nfixture_command = [\"/bin/true\"]\n");
  EXPECT_EQ(testing::LoadError(text), "(no error)");
  EXPECT_THAT(testing::LoadError(vars + WithSchema("command = [\"/bin/true\"]\n")),
              HasSubstr("vars.rows is set but nothing reads it"));
}

}  // namespace
}  // namespace ledgerstress
