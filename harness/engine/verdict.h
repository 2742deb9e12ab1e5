#ifndef LEDGERSTRESS_HARNESS_ENGINE_VERDICT_H_
#define LEDGERSTRESS_HARNESS_ENGINE_VERDICT_H_

#include "harness/scenario/scenario.h"
#include "model/run_result.h"

namespace ledgerstress {

// Adds the error-rate check to result->checks, then sets result->verdict and
// verdict_reason from the invariants and checks already in `result`:
//   expect pass:      "pass" when every invariant held and every check passed;
//   expect violation: "caught" when the invariants named in `violates` (any
//                     invariant or check, when none is named) were violated;
//   otherwise "fail". An invariant whose check errored makes it "error",
//   with result->error and verdict_reason both "invariant 'NAME' could not be
//   checked: <the server's first line>" (each such invariant, '; '-separated).
// Leaves a verdict of "error" or "interrupted" already set untouched.
void DecideVerdict(const CaseSpec& spec, CaseResult* result);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_VERDICT_H_
