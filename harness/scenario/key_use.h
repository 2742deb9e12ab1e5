#ifndef LEDGERSTRESS_HARNESS_SCENARIO_KEY_USE_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_KEY_USE_H_

#include <string>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

// Whether changing `key` (a case key in the scenario file's spelling:
// "release_batch_size", "workers", "strategy.close_project_success") can
// change what `spec` does, as the case-key table (case_keys.h) says:
// release_batch_size is read only by the batched and keyset closes,
// max_escrows_per_close only by batched, strategy.OP only by a case that
// calls OP; every other key is read by every case. A sweep runs only the
// cases that read a key it varies.
bool CaseReadsKey(const CaseSpec& spec, const std::string& key);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_KEY_USE_H_
