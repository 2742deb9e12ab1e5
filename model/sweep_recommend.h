#ifndef LEDGERSTRESS_MODEL_SWEEP_RECOMMEND_H_
#define LEDGERSTRESS_MODEL_SWEEP_RECOMMEND_H_

#include "model/sweep_result.h"

namespace ledgerstress {

// The sweep's recommendation, from the figures alone (pure; no database).
//
// Only the cases expected to pass count (a case with expect = "violation"
// demonstrates a known-bad strategy at every value). The rule:
//  1. A point is eligible when each of those cases passed there: a value
//     whose invariants fail (or that errored) is never recommended.
//  2. Its cost is, per case, the close time (or, for cases that close
//     nothing, the time per call) over the best eligible value's; the
//     point's slowdown is the worst case's. Its user p99 is the largest p99
//     of the concurrent user operations over those cases.
//  3. Of the eligible points whose user p99 is within `p99_budget_ms`, those
//     within `tolerance` of the fastest (slowdown <= 1 + tolerance) compete
//     and the lowest user p99 wins: fast enough, and the least harm to users.
//  4. When none is within tolerance, the fastest point within budget wins.
//  5. When no eligible point is within budget, nothing is recommended; the
//     reason names the point closest to the budget.
// The reason carries the numbers; the notes say why each faster or
// ineligible point lost.
SweepRecommendation Recommend(const SweepResult& sweep);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_SWEEP_RECOMMEND_H_
