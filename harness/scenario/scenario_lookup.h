#ifndef LEDGERSTRESS_HARNESS_SCENARIO_SCENARIO_LOOKUP_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_SCENARIO_LOOKUP_H_

// Finding a scenario by name: `ledgerstress run wallet_race` means
// wallet_race.toml in the first directory of the search path that has it,
// while `run scenarios/wallet_race.toml` (or any word with a '/' or ending in
// .toml, or naming an existing file) means that file. The search path is
// $LEDGERSTRESS_SCENARIO_PATH (colon-separated), then the installed
// share/ledgerstress/scenarios, then the source tree's scenarios/ for a
// binary run from its build tree (harness/cli/search_path.h builds it).

#include <string>
#include <vector>

namespace ledgerstress {

// One directory of the search path and why it is on it.
struct ScenarioDir {
  std::string path;
  std::string origin;  // "LEDGERSTRESS_SCENARIO_PATH", "installed", "source tree"
};

// `env_path`'s entries (colon-separated, empty ones skipped), then
// `installed`, then `source` (each skipped when ""), in that order; a
// directory given twice is kept once, at its first place.
std::vector<ScenarioDir> MakeScenarioSearchPath(const std::string& env_path, const std::string& installed,
                                                const std::string& source);

// Whether `arg` names a scenario rather than a file: no '/', does not end in
// ".toml", and is not an existing file (relative to the working directory;
// a directory of that name does not count).
bool IsScenarioName(const std::string& arg);

// A scenario file on the search path.
struct FoundScenario {
  std::string name;        // the file's name without .toml
  std::string path;        // dir/name.toml
  std::string dir;         // the ScenarioDir's path
  bool shadowed = false;   // a directory earlier on the path has the same name
};

// Every *.toml of every directory, in search-path order, by name within a
// directory. Directories that do not exist or cannot be read are skipped.
std::vector<FoundScenario> FindScenarios(const std::vector<ScenarioDir>& dirs);

// The file `arg` means: itself unless IsScenarioName(arg), else the first
// directory's <arg>.toml. Throws ScenarioError when no directory has it
// ("no scenario named 'x' (did you mean 'y'?) in DIR, DIR; ..."), and when a
// path with .toml does not exist but a scenario of its stem is on the path
// (says to use the name).
std::string ResolveScenario(const std::string& arg, const std::vector<ScenarioDir>& dirs);

// The names `word` may have meant: those containing it, else the closest
// ones by edit distance (ClosestMatch's limit); at most three, best first.
std::vector<std::string> NamesMeant(const std::string& word, const std::vector<std::string>& names);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_SCENARIO_LOOKUP_H_
