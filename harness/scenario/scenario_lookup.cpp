#include "harness/scenario/scenario_lookup.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "harness/scenario/scenario.h"
#include "harness/scenario/suggest.h"

namespace fs = std::filesystem;

namespace ledgerstress {
namespace {

const char kExtension[] = ".toml";

bool EndsWithToml(const std::string& s) {
  const std::size_t n = sizeof(kExtension) - 1;
  return s.size() >= n && s.compare(s.size() - n, n, kExtension) == 0;
}

// The directory as an absolute, normal path without a trailing '/'.
std::string SameDirKey(const std::string& dir) {
  std::error_code ec;
  const fs::path abs = fs::absolute(dir, ec);
  std::string s = (ec ? fs::path(dir) : abs).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

void Add(const std::string& path, const std::string& origin, std::vector<ScenarioDir>* out) {
  if (path.empty()) return;
  for (const ScenarioDir& d : *out) {
    if (SameDirKey(d.path) == SameDirKey(path)) return;
  }
  out->push_back({path, origin});
}

// " (did you mean 'a'?)", " (did you mean 'a', 'b' or 'c'?)", or "".
std::string DidYouMeanAny(const std::vector<std::string>& meant) {
  if (meant.empty()) return "";
  std::string out;
  for (std::size_t i = 0; i < meant.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == meant.size() ? " or " : ", ") + ("'" + meant[i] + "'");
  }
  return " (did you mean " + out + "?)";
}

std::string DirList(const std::vector<ScenarioDir>& dirs) {
  std::string out;
  for (const ScenarioDir& d : dirs) out += (out.empty() ? "" : ", ") + d.path;
  return out.empty() ? "no directory (set LEDGERSTRESS_SCENARIO_PATH)" : out;
}

// The first scenario of that name that no earlier directory shadows, or null.
const FoundScenario* Visible(const std::vector<FoundScenario>& found, const std::string& name) {
  for (const FoundScenario& f : found) {
    if (f.name == name && !f.shadowed) return &f;
  }
  return nullptr;
}

}  // namespace

std::vector<ScenarioDir> MakeScenarioSearchPath(const std::string& env_path, const std::string& installed,
                                                const std::string& source) {
  std::vector<ScenarioDir> out;
  for (std::size_t b = 0; b <= env_path.size();) {
    const std::size_t e = std::min(env_path.find(':', b), env_path.size());
    Add(env_path.substr(b, e - b), "LEDGERSTRESS_SCENARIO_PATH", &out);
    b = e + 1;
  }
  Add(installed, "installed", &out);
  Add(source, "source tree", &out);
  return out;
}

bool IsScenarioName(const std::string& arg) {
  if (arg.empty() || arg.find('/') != std::string::npos || EndsWithToml(arg)) return false;
  std::error_code ec;
  return !fs::exists(arg, ec) || fs::is_directory(arg, ec);
}

std::vector<FoundScenario> FindScenarios(const std::vector<ScenarioDir>& dirs) {
  std::vector<FoundScenario> out;
  for (const ScenarioDir& d : dirs) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(d.path, ec)) {
      const std::string file = e.path().filename().string();
      if (EndsWithToml(file) && e.is_regular_file(ec)) names.push_back(file.substr(0, file.size() - 5));
    }
    std::sort(names.begin(), names.end());
    for (const std::string& n : names) {
      const bool shadowed = Visible(out, n) != nullptr;
      out.push_back({n, (fs::path(d.path) / (n + kExtension)).string(), d.path, shadowed});
    }
  }
  return out;
}

std::vector<std::string> NamesMeant(const std::string& word, const std::vector<std::string>& names) {
  std::vector<std::string> meant;
  for (const std::string& n : names) {
    if (!word.empty() && n.find(word) != std::string::npos) meant.push_back(n);
  }
  if (meant.empty()) {
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    for (const std::string& n : names) {
      if (EditDistance(word, n) <= limit) meant.push_back(n);
    }
  }
  std::stable_sort(meant.begin(), meant.end(), [&](const std::string& a, const std::string& b) {
    return EditDistance(word, a) < EditDistance(word, b);
  });
  if (meant.size() > 3) meant.resize(3);
  return meant;
}

std::string ResolveScenario(const std::string& arg, const std::vector<ScenarioDir>& dirs) {
  std::error_code ec;
  if (!IsScenarioName(arg)) {
    if (!EndsWithToml(arg) || fs::exists(arg, ec)) return arg;
    const std::string stem = fs::path(arg).stem().string();
    const std::vector<FoundScenario> found = FindScenarios(dirs);
    if (const FoundScenario* f = Visible(found, stem)) {
      throw ScenarioError(arg + ": no such file; a scenario named '" + stem + "' is at " + f->path +
                          ": give its name ('" + stem + "') to run that one");
    }
    return arg;  // the loader says it cannot read it
  }
  for (const ScenarioDir& d : dirs) {
    const fs::path p = fs::path(d.path) / (arg + kExtension);
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  std::vector<std::string> names;
  for (const FoundScenario& f : FindScenarios(dirs)) {
    if (!f.shadowed) names.push_back(f.name);
  }
  throw ScenarioError("no scenario named '" + arg + "'" + DidYouMeanAny(NamesMeant(arg, names)) + " in " +
                      DirList(dirs) +
                      "; 'ledgerstress list scenarios' shows them; a file is given by its path (with a '/' or "
                      "ending in .toml)");
}

}  // namespace ledgerstress
