#include "harness/cli/common.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "harness/errors.h"

namespace ledgerstress {
namespace cli {

int Error(int code, const std::string& message) {
  std::fprintf(stderr, "ledgerstress: error: %s\n", message.c_str());
  return code;
}

void Warn(const std::string& message) { std::fprintf(stderr, "ledgerstress: warning: %s\n", message.c_str()); }

std::optional<int> ParseFormats(const std::string& list, const std::vector<std::string>& known,
                                std::vector<std::string>* out) {
  std::string names;
  for (const std::string& k : known) names += (names.empty() ? "" : ", ") + k;
  for (std::size_t b = 0; b <= list.size();) {
    const std::size_t e = std::min(list.find(',', b), list.size());
    const std::string f = list.substr(b, e - b);
    if (std::find(known.begin(), known.end(), f) == known.end()) {
      return Error(kExitUsage, "unknown --format '" + f + "' (known: " + names + ")");
    }
    out->push_back(f);
    b = e + 1;
  }
  return std::nullopt;
}

}  // namespace cli
}  // namespace ledgerstress
