// A driver's command[0] is run as written (no PATH search): a bare name is
// refused at load time with the absolute path PATH would give.
#include "harness/scenario/program_path.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "tests/unit/load_error.h"

namespace ledgerstress {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A directory of the running test's own holding an executable `node` and a
// plain file `notes`, removed at the end.
class DriverCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("driver_command_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "bin");
    std::ofstream(dir_ / "bin" / "node") << "#!/bin/sh\n";
    chmod((dir_ / "bin" / "node").c_str(), 0755);
    std::ofstream(dir_ / "bin" / "notes") << "not a program\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A scenario whose driver runs `program`, with PATH set to our bin/.
  std::string ScenarioText(const std::string& program) const {
    return "[drivers.mine]\ncommand = [\"" + program + "\", \"driver.js\"]\nenv = { PATH = \"/nonexistent:" +
           (dir_ / "bin").string() + "\" }\n[[case]]\nname = \"a\"\ndriver = \"mine\"\nworkers = 1\n"
           "calls_per_worker = 1\n";
  }

  fs::path dir_;
};

TEST_F(DriverCommand, FindOnPathFindsOnlyExecutableFilesInAbsoluteDirectories) {
  const std::string bin = (dir_ / "bin").string();
  EXPECT_EQ(FindOnPath("node", "/nonexistent::" + bin), bin + "/node");
  EXPECT_EQ(FindOnPath("notes", bin), "");  // not executable
  EXPECT_EQ(FindOnPath("node", "relative/bin:"), "");
  EXPECT_EQ(FindOnPath("bin", dir_.string()), "");  // a directory
}

TEST_F(DriverCommand, ABareNameIsRefusedWithThePathPathWouldGive) {
  EXPECT_EQ(testing::LoadError(ScenarioText("node")),
            "s.toml:2:11: [drivers.mine] command[0] 'node' is not looked up on PATH: write \"" +
                (dir_ / "bin" / "node").string() + "\"");
  EXPECT_THAT(testing::LoadError(ScenarioText("nodejs")),
              HasSubstr("command[0] 'nodejs' is not looked up on PATH: write the program's absolute path "
                        "(there is no 'nodejs' on PATH either)"));
}

TEST_F(DriverCommand, ABareNameOfAFileInCwdSuggestsDotSlash) {
  EXPECT_EQ(BareProgramMessage("notes", (dir_ / "bin").string(), "/nonexistent"),
            "command[0] 'notes' is not looked up on PATH: write \"./notes\" for the file in " +
                (dir_ / "bin").string());
  EXPECT_EQ(BareProgramMessage("node", (dir_ / "bin").string(), (dir_ / "bin").string()),
            "command[0] 'node' is not looked up on PATH: write \"" + (dir_ / "bin" / "node").string() +
                "\" (or \"./node\" for the file in " + (dir_ / "bin").string() + ")");
}

TEST_F(DriverCommand, AbsoluteAndRelativePathsWithASlashLoad) {
  const Scenario abs = ParseScenario(ScenarioText((dir_ / "bin" / "node").string()), "s.toml");
  EXPECT_EQ(abs.cases[0].driver->command[0], (dir_ / "bin" / "node").string());
  const Scenario rel = ParseScenario(ScenarioText("./driver"), "s.toml");
  EXPECT_EQ(rel.cases[0].driver->command[0], (fs::current_path() / "driver").string());
}

}  // namespace
}  // namespace ledgerstress
