#ifndef LEDGERSTRESS_HARNESS_SCENARIO_CATALOG_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_CATALOG_H_

#include <string>
#include <vector>

namespace ledgerstress {

// The vocabulary a scenario may use: operations and their strategies,
// invariants, schema options. `ledgerstress list` prints it and the scenario
// loader validates against it.

struct OperationInfo {
  std::string name;
  std::vector<std::string> strategies;  // first is the default
  std::string summary;
};

struct InvariantInfo {
  std::string name;
  std::string summary;
};

struct SchemaOptionInfo {
  std::string name;
  bool default_value;
  std::string summary;
};

const std::vector<OperationInfo>& Operations();
const std::vector<InvariantInfo>& Invariants();
const std::vector<SchemaOptionInfo>& SchemaOptions();

// nullptr when there is no such operation.
const OperationInfo* FindOperation(const std::string& name);

std::vector<std::string> OperationNames();
std::vector<std::string> InvariantNames();
std::vector<std::string> SchemaOptionNames();

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_CATALOG_H_
