#include "harness/cli/common.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace ledgerstress {
namespace cli {

int Error(int code, const std::string& message) {
  std::fprintf(stderr, "ledgerstress: error: %s\n", message.c_str());
  return code;
}

void Warn(const std::string& message) { std::fprintf(stderr, "ledgerstress: warning: %s\n", message.c_str()); }

std::string ScenarioDir() {
  if (const char* d = std::getenv("LEDGERSTRESS_SCENARIO_DIR"); d && *d) return d;
  if (std::filesystem::is_directory("scenarios")) return "scenarios";
  return LEDGERSTRESS_SOURCE_DIR "/scenarios";
}

}  // namespace cli
}  // namespace ledgerstress
