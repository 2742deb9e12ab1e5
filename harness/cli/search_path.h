#ifndef LEDGERSTRESS_HARNESS_CLI_SEARCH_PATH_H_
#define LEDGERSTRESS_HARNESS_CLI_SEARCH_PATH_H_

// Where this binary looks for scenarios given by name
// (harness/scenario/scenario_lookup.h): $LEDGERSTRESS_SCENARIO_PATH, then
//  - installed (bin/ledgerstress): <prefix>/share/ledgerstress/scenarios,
//    found from the binary's own location, so an installed tree works
//    wherever it was installed (the .deb's /usr, `cmake --install --prefix`);
//  - in its build tree: the source tree's scenarios/.
// Compiled in (packaging/install.cmake): LEDGERSTRESS_BUILD_DIR, the
// relative path from bin/ to share/ledgerstress, and LEDGERSTRESS_SOURCE_DIR.

#include <string>
#include <vector>

#include "harness/scenario/scenario_lookup.h"

namespace ledgerstress {
namespace cli {

std::vector<ScenarioDir> ScenarioSearchPath();

// `arg` (a file or a scenario's name) as the file to load; throws
// ScenarioError for a name that is not on the search path.
std::string ScenarioFile(const std::string& arg);

}  // namespace cli
}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_CLI_SEARCH_PATH_H_
