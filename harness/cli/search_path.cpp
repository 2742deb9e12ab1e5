#include "harness/cli/search_path.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace ledgerstress {
namespace cli {
namespace {

// The directory of the running binary, "" when /proc does not say.
fs::path ExecutableDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

bool InBuildTree(const fs::path& exe_dir) {
  std::error_code ec;
  return !exe_dir.empty() && fs::equivalent(exe_dir, LEDGERSTRESS_BUILD_DIR, ec);
}

}  // namespace

std::vector<ScenarioDir> ScenarioSearchPath() {
  const char* env = std::getenv("LEDGERSTRESS_SCENARIO_PATH");
  const fs::path exe_dir = ExecutableDir();
  std::string installed, source;
  if (InBuildTree(exe_dir)) {
    source = LEDGERSTRESS_SOURCE_DIR "/scenarios";
  } else if (!exe_dir.empty()) {
    installed = (exe_dir / LEDGERSTRESS_BIN_TO_PKGDATA / "scenarios").lexically_normal().string();
  }
  return MakeScenarioSearchPath(env ? env : "", installed, source);
}

std::string ScenarioFile(const std::string& arg) { return ResolveScenario(arg, ScenarioSearchPath()); }

}  // namespace cli
}  // namespace ledgerstress
