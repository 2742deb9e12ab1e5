#ifndef LEDGERSTRESS_HARNESS_SCENARIO_RESOLVED_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_RESOLVED_H_

#include <string>
#include <utility>
#include <vector>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

// A case's every setting after defaults and --set, as (key, value) pairs in
// the scenario file's spelling (e.g. ("strategy.saka_get_or_create_wallet",
// "get_or_create")), for the report: it says exactly what ran.
std::vector<std::pair<std::string, std::string>> ResolvedSettings(const CaseSpec& spec);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_RESOLVED_H_
