#include "harness/scenario/duration.h"

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, ReadsEveryUnit) {
  milliseconds d;
  ASSERT_TRUE(ParseDuration("500ms", &d));
  EXPECT_EQ(d.count(), 500);
  ASSERT_TRUE(ParseDuration("15s", &d));
  EXPECT_EQ(d.count(), 15000);
  ASSERT_TRUE(ParseDuration("1.5s", &d));
  EXPECT_EQ(d.count(), 1500);
  ASSERT_TRUE(ParseDuration("2m", &d));
  EXPECT_EQ(d.count(), 120000);
  ASSERT_TRUE(ParseDuration("1h", &d));
  EXPECT_EQ(d.count(), 3600000);
  ASSERT_TRUE(ParseDuration("0s", &d));
  EXPECT_EQ(d.count(), 0);
}

TEST(ParseDuration, RejectsMissingUnitNegativeAndGarbage) {
  milliseconds d(42);
  for (const char* bad : {"", "15", "s", "-1s", "1.2.3s", "15 s", "15sec", "1e3s", "99999999999h"}) {
    EXPECT_FALSE(ParseDuration(bad, &d)) << "accepted '" << bad << "'";
  }
  EXPECT_EQ(d.count(), 42) << "a rejected input must leave the output alone";
}

TEST(FormatDuration, RoundTripsThroughParse) {
  for (long long ms : {0LL, 1LL, 250LL, 1000LL, 1500LL, 60000LL, 90000LL, 3600000LL}) {
    milliseconds back;
    const std::string text = FormatDuration(milliseconds(ms));
    ASSERT_TRUE(ParseDuration(text, &back)) << text;
    EXPECT_EQ(back.count(), ms) << text;
  }
}

}  // namespace
}  // namespace ledgerstress
