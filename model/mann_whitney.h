#ifndef LEDGERSTRESS_MODEL_MANN_WHITNEY_H_
#define LEDGERSTRESS_MODEL_MANN_WHITNEY_H_

#include <vector>

namespace ledgerstress {

// Two-sided p-value of the Mann–Whitney U test that samples a and b come
// from the same distribution. Exact (by counting arrangements) when there
// are no ties and both samples have at most 25 values; otherwise the normal
// approximation with tie and continuity corrections. 1 when either sample is
// empty or every value is equal.
double MannWhitneyP(const std::vector<double>& a, const std::vector<double>& b);

// The median of `v` (the mean of the middle two for an even count); 0 when
// empty. What compare and sweep report for repeated runs.
double Median(std::vector<double> v);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_MANN_WHITNEY_H_
