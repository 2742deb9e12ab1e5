#include "harness/scenario/program_path.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace ledgerstress {

std::string FindOnPath(const std::string& name, const std::string& path_list) {
  for (std::size_t b = 0; b <= path_list.size();) {
    const std::size_t e = std::min(path_list.find(':', b), path_list.size());
    const std::string dir = path_list.substr(b, e - b);
    b = e + 1;
    if (dir.empty() || dir[0] != '/') continue;  // the driver's cwd is not the user's: no relative entries
    const std::string candidate = (fs::path(dir) / name).string();
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string BareProgramMessage(const std::string& name, const std::string& cwd, const std::string& path_list) {
  const std::string found = FindOnPath(name, path_list);
  std::error_code ec;
  const bool here = fs::exists(fs::path(cwd) / name, ec);
  std::string m = "command[0] '" + name + "' is not looked up on PATH: ";
  if (!found.empty()) {
    m += "write \"" + found + "\"";
    if (here) m += " (or \"./" + name + "\" for the file in " + cwd + ")";
  } else if (here) {
    m += "write \"./" + name + "\" for the file in " + cwd;
  } else {
    m += "write the program's absolute path (there is no '" + name + "' on PATH either)";
  }
  return m;
}

}  // namespace ledgerstress
