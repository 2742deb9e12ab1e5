#ifndef LEDGERSTRESS_HARNESS_SCENARIO_CATALOG_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_CATALOG_H_

#include <string>
#include <vector>

#include "harness/invariants/invariant_table.h"
#include "harness/operations/operation.h"

namespace ledgerstress {

// The vocabulary a scenario may use: operations and their strategies (the
// operation table, harness/operations/operation.h), invariants (the
// invariant table, harness/invariants/invariant_table.h), schema options.
// `ledgerstress list` prints it and the scenario loader validates against
// it.

struct SchemaOptionInfo {
  std::string name;
  bool default_value;
  std::string summary;
};

const std::vector<SchemaOptionInfo>& SchemaOptions();

std::vector<std::string> InvariantNames();
std::vector<std::string> SchemaOptionNames();

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_CATALOG_H_
