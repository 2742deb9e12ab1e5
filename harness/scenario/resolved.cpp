#include "harness/scenario/resolved.h"

#include "harness/scenario/case_keys.h"

namespace ledgerstress {

std::vector<std::pair<std::string, std::string>> ResolvedSettings(const CaseSpec& c) {
  Settings s;
  for (const CaseKeyDef& key : CaseKeys()) {
    if (key.show && (key.workloads & BitOf(c.workload))) key.show(c, &s);
  }
  return s;
}

}  // namespace ledgerstress
