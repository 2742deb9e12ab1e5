// What the scenario loader's unit tests share.
#ifndef LEDGERSTRESS_TESTS_UNIT_LOAD_ERROR_H_
#define LEDGERSTRESS_TESTS_UNIT_LOAD_ERROR_H_

#include <string>

#include "harness/scenario/scenario_loader.h"

namespace ledgerstress::testing {

// The ScenarioError `text` (as file "s.toml") gives, or "(no error)".
inline std::string LoadError(const std::string& text, const LoadOptions& o = {}) {
  try {
    ParseScenario(text, "s.toml", o);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace ledgerstress::testing

#endif  // LEDGERSTRESS_TESTS_UNIT_LOAD_ERROR_H_
