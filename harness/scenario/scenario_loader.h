#ifndef LEDGERSTRESS_HARNESS_SCENARIO_SCENARIO_LOADER_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_SCENARIO_LOADER_H_

#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

struct LoadOptions {
  // `--set key=value` pairs applied to every case after its own keys and the
  // [defaults] table, e.g. "workers=10", "duration=15s",
  // "strategy.saka_get_or_create_wallet=insert_on_conflict".
  std::vector<std::string> overrides;
  // The same from a sweep's `--vary` (one value each), applied after
  // `overrides`; messages name them "--vary 'key=value'".
  std::vector<std::string> varied;
  // `--seed N`: replaces the scenario's seed.
  std::optional<std::uint64_t> seed;
};

// Reads and validates a scenario file. Strict: an unknown key, a value of the
// wrong type or out of range, a missing or duplicate key all throw
// ScenarioError naming the file, line and column, with a suggestion when the
// key looks like a typo.
Scenario LoadScenarioFile(const std::string& path, const LoadOptions& options = {});

// The same from text already read; `path` only names the source in messages.
Scenario ParseScenario(const std::string& text, const std::string& path,
                       const LoadOptions& options = {});

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_SCENARIO_LOADER_H_
