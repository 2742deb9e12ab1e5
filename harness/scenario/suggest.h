#ifndef LEDGERSTRESS_HARNESS_SCENARIO_SUGGEST_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_SUGGEST_H_

#include <string>
#include <vector>

namespace ledgerstress {

// Edit distance (insertions, deletions, substitutions) between a and b.
std::size_t EditDistance(const std::string& a, const std::string& b);

// The candidate closest to `word`, if it is close enough to be a likely typo
// (distance at most max(2, |word|/3)); otherwise "".
std::string ClosestMatch(const std::string& word,
                         const std::vector<std::string>& candidates);

// Every candidate close enough to `word` to be a likely typo (as
// ClosestMatch), closest first, at most `limit`.
std::vector<std::string> CloseMatches(const std::string& word, const std::vector<std::string>& candidates,
                                      std::size_t limit);

// " (did you mean 'x'?)" when ClosestMatch finds one, else "".
std::string DidYouMean(const std::string& word,
                       const std::vector<std::string>& candidates);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_SUGGEST_H_
