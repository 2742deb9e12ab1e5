// Scenario lookup by name (harness/scenario/scenario_lookup.h), on real
// directories and files.
#include "harness/scenario/scenario_lookup.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "harness/scenario/scenario.h"

namespace ledgerstress {
namespace {

namespace fs = std::filesystem;

// A fresh directory with `installed/` and `mine/` in it; removed afterwards.
class ScenarioLookup : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ls-lookup-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    installed_ = (root_ / "installed").string();
    mine_ = (root_ / "mine").string();
    for (const char* n : {"ci", "wallet_race", "close_1000", "close_5000", "close_5000_open"}) Touch(installed_, n);
    Touch(mine_, "wallet_race");
    Touch(mine_, "own");
  }
  void TearDown() override { fs::remove_all(root_); }

  static void Touch(const std::string& dir, const std::string& name) {
    fs::create_directories(dir);
    std::ofstream(fs::path(dir) / (name + ".toml")) << "[[case]]\nname = \"x\"\n";
  }
  // The error ResolveScenario throws, or "(resolved to PATH)".
  static std::string ErrorOf(const std::string& arg, const std::vector<ScenarioDir>& dirs) {
    try {
      return "(resolved to " + ResolveScenario(arg, dirs) + ")";
    } catch (const ScenarioError& e) {
      return e.what();
    }
  }

  fs::path root_;
  std::string installed_, mine_;
};

TEST_F(ScenarioLookup, SearchPathIsTheVariableThenInstalledThenSourceEachOnce) {
  const auto dirs = MakeScenarioSearchPath("/a::/b:", "/usr/share/ledgerstress/scenarios", "/src/scenarios");
  ASSERT_EQ(dirs.size(), 4u);
  EXPECT_EQ(dirs[0].path, "/a");
  EXPECT_EQ(dirs[0].origin, "LEDGERSTRESS_SCENARIO_PATH");
  EXPECT_EQ(dirs[1].path, "/b");
  EXPECT_EQ(dirs[2].origin, "installed");
  EXPECT_EQ(dirs[3].origin, "source tree");
  EXPECT_EQ(MakeScenarioSearchPath("/x/../usr/s", "/usr/s/", "").size(), 1u) << "the same directory twice";
  EXPECT_TRUE(MakeScenarioSearchPath("", "", "").empty());
}

TEST_F(ScenarioLookup, ABareWordIsANameAPathOrTomlFileIsAFile) {
  EXPECT_TRUE(IsScenarioName("wallet_race"));
  EXPECT_FALSE(IsScenarioName("wallet_race.toml"));
  EXPECT_FALSE(IsScenarioName("./wallet_race"));
  EXPECT_FALSE(IsScenarioName("scenarios/wallet_race"));
  EXPECT_FALSE(IsScenarioName(""));
}

TEST_F(ScenarioLookup, AnExistingFileIsAFileEvenWithoutSlashOrExtensionADirectoryIsNot) {
  const fs::path before = fs::current_path();
  fs::current_path(root_);
  std::ofstream("wallet_race") << "";
  fs::create_directory("ci");
  const bool file_is_name = IsScenarioName("wallet_race");
  const bool dir_is_name = IsScenarioName("ci");
  fs::current_path(before);
  EXPECT_FALSE(file_is_name);
  EXPECT_TRUE(dir_is_name) << "a directory named like a scenario does not hide it";
}

TEST_F(ScenarioLookup, FindsEveryScenarioByDirectoryAndMarksTheShadowedOnes) {
  std::ofstream(fs::path(installed_) / "notes.txt") << "not a scenario";
  const auto found = FindScenarios(MakeScenarioSearchPath(mine_ + ":" + root_.string() + "/missing", installed_, ""));
  ASSERT_EQ(found.size(), 7u);
  EXPECT_EQ(found[0].name, "own");
  EXPECT_EQ(found[0].dir, mine_);
  EXPECT_EQ(found[1].name, "wallet_race");
  EXPECT_FALSE(found[1].shadowed);
  EXPECT_EQ(found[2].name, "ci");
  EXPECT_EQ(found[2].path, installed_ + "/ci.toml");
  EXPECT_EQ(found[6].name, "wallet_race");
  EXPECT_TRUE(found[6].shadowed) << "mine/ comes first";
}

TEST_F(ScenarioLookup, ANameIsTheFirstDirectorysFile) {
  EXPECT_EQ(ResolveScenario("ci", MakeScenarioSearchPath(mine_, installed_, "")), installed_ + "/ci.toml");
  EXPECT_EQ(ResolveScenario("wallet_race", MakeScenarioSearchPath(mine_, installed_, "")),
            mine_ + "/wallet_race.toml");
  EXPECT_EQ(ResolveScenario("wallet_race", MakeScenarioSearchPath("", installed_, "")),
            installed_ + "/wallet_race.toml");
}

TEST_F(ScenarioLookup, AnUnknownNameSaysWhereItLookedAndWhatItMayHaveMeant) {
  const auto dirs = MakeScenarioSearchPath(mine_, installed_, "");
  const std::string typo = ErrorOf("walet_race", dirs);
  EXPECT_NE(typo.find("no scenario named 'walet_race' (did you mean 'wallet_race'?) in " + mine_ + ", " + installed_),
            std::string::npos)
      << typo;
  EXPECT_NE(typo.find("list scenarios"), std::string::npos) << typo;
  const std::string part = ErrorOf("close", dirs);
  EXPECT_NE(part.find("(did you mean 'close_1000', 'close_5000' or 'close_5000_open'?)"), std::string::npos) << part;
  const std::string none = ErrorOf("banana", dirs);
  EXPECT_EQ(none.find("did you mean"), std::string::npos) << none;
  EXPECT_NE(ErrorOf("ci", MakeScenarioSearchPath("", "", "")).find("set LEDGERSTRESS_SCENARIO_PATH"),
            std::string::npos);
}

TEST_F(ScenarioLookup, APathStillMeansThatFile) {
  const auto dirs = MakeScenarioSearchPath("", installed_, "");
  EXPECT_EQ(ResolveScenario(mine_ + "/own.toml", dirs), mine_ + "/own.toml");
  EXPECT_EQ(ResolveScenario(mine_ + "/wallet_race.toml", dirs), mine_ + "/wallet_race.toml")
      << "an existing file, though the path has a scenario of that name";
  EXPECT_EQ(ResolveScenario("elsewhere/unknown.toml", dirs), "elsewhere/unknown.toml")
      << "a missing file the search path cannot explain is the loader's to report";
}

TEST_F(ScenarioLookup, AMissingTomlPathOfAShippedScenarioSaysToUseTheName) {
  // From the fresh directory: run from the repository's root, the relative
  // path would name the shipped file.
  const fs::path cwd = fs::current_path();
  fs::current_path(root_);
  const std::string e = ErrorOf("scenarios/wallet_race.toml", MakeScenarioSearchPath("", installed_, ""));
  EXPECT_NE(e.find("scenarios/wallet_race.toml: no such file; a scenario named 'wallet_race' is at " + installed_ +
                   "/wallet_race.toml"),
            std::string::npos)
      << e;
  fs::current_path(cwd);
}

TEST(NamesMeant, PrefersNamesContainingTheWordThenCloseOnes) {
  const std::vector<std::string> names = {"ci", "wallet_race", "sql_race", "crash"};
  EXPECT_EQ(NamesMeant("wallet", names), std::vector<std::string>{"wallet_race"});
  EXPECT_EQ(NamesMeant("race", names), (std::vector<std::string>{"sql_race", "wallet_race"}));
  EXPECT_EQ(NamesMeant("crasj", names), std::vector<std::string>{"crash"});
  EXPECT_TRUE(NamesMeant("banana_split", names).empty());
}

}  // namespace
}  // namespace ledgerstress
