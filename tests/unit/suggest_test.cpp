#include "harness/scenario/suggest.h"

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("threads", "threds"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(DidYouMean, SuggestsTheClosestKnownKey) {
  const std::vector<std::string> keys = {"workers", "rounds", "duration", "calls_per_worker"};
  EXPECT_EQ(DidYouMean("worker", keys), " (did you mean 'workers'?)");
  EXPECT_EQ(DidYouMean("rouns", keys), " (did you mean 'rounds'?)");
  EXPECT_EQ(DidYouMean("calls_per_workers", keys), " (did you mean 'calls_per_worker'?)");
}

TEST(DidYouMean, StaysSilentWhenNothingIsClose) {
  EXPECT_EQ(DidYouMean("banana", {"workers", "rounds"}), "");
  EXPECT_EQ(ClosestMatch("x", {}), "");
}

}  // namespace
}  // namespace ledgerstress
