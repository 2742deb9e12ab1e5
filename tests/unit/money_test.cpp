#include "settlement/money.h"

#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

namespace settlement {
namespace {

TEST(Money, ParsesAndFormatsCentsExactly) {
  Cents c;
  ASSERT_TRUE(ParseCents("1234.5", &c));
  EXPECT_EQ(c, 123450);
  ASSERT_TRUE(ParseCents("-0.07", &c));
  EXPECT_EQ(c, -7);
  ASSERT_TRUE(ParseCents("12", &c));
  EXPECT_EQ(c, 1200);
  EXPECT_EQ(FormatCents(123456), "1234.56");
  EXPECT_EQ(FormatCents(-7), "-0.07");
  EXPECT_EQ(FormatCents(0), "0.00");
  for (const char* bad : {"", "1.234", "abc", "1,5", "--1", "."}) EXPECT_FALSE(ParseCents(bad, &c)) << bad;
}

TEST(Money, RatesAreExactToSixDecimals) {
  RatePpm r;
  ASSERT_TRUE(ParseRate("0.029", &r));
  EXPECT_EQ(r, 29000);
  EXPECT_EQ(FormatRate(r), "0.029000");
  EXPECT_FALSE(ParseRate("0.0000001", &r));
  EXPECT_FALSE(ParseRate("-0.1", &r));
  EXPECT_FALSE(ParseRate("1.5", &r));
}

TEST(Money, RoundsHalfUpToTheCent) {
  // 0.10 at 5% = 0.005 -> 0.01 (half-up), not 0.00 (banker's rounding).
  EXPECT_EQ(ApplyRateHalfUp(10, 50000), 1);
  // 0.30 at 5% = 0.015 -> 0.02.
  EXPECT_EQ(ApplyRateHalfUp(30, 50000), 2);
  // 0.29 at 5% = 0.0145 -> 0.01.
  EXPECT_EQ(ApplyRateHalfUp(29, 50000), 1);
  EXPECT_EQ(ApplyRateHalfUp(0, 50000), 0);
  // Huge amounts do not overflow.
  EXPECT_EQ(ApplyRateHalfUp(99999999999999, 1000000), 99999999999999);
}

TEST(Money, ReleaseSplitAlwaysSumsToTheAmount) {
  for (Cents amount = 1; amount < 20000; amount += 7) {
    const ReleaseSplit s = SplitRelease(amount, 50000, 29000);
    ASSERT_EQ(s.net + s.commission + s.fee, amount) << amount;
    ASSERT_EQ(s.commission, ApplyRateHalfUp(amount, 50000));
    ASSERT_EQ(s.fee, ApplyRateHalfUp(amount, 29000));
    ASSERT_GE(s.net, 0);
  }
}

}  // namespace
}  // namespace settlement

#include "settlement/pockets.h"

namespace settlement {
namespace {

TEST(AllocateLargestRemainder, PartsSumExactlyToTheAmount) {
  for (Cents amount : {0LL, 1LL, 2LL, 99LL, 100LL, 101LL, 12345LL, 999999LL}) {
    for (const std::vector<std::int64_t>& w :
         std::vector<std::vector<std::int64_t>>{{50, 30, 20}, {1, 1, 1}, {3}, {7, 0, 13}, {1, 2, 3, 4, 5, 6, 7}}) {
      const auto parts = AllocateLargestRemainder(amount, w);
      ASSERT_EQ(parts.size(), w.size());
      Cents sum = 0;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        sum += parts[i];
        // Never more than one cent away from the exact share.
        const double exact = static_cast<double>(amount) * w[i] / std::accumulate(w.begin(), w.end(), 0.0);
        ASSERT_LT(std::abs(parts[i] - exact), 1.0) << amount;
      }
      ASSERT_EQ(sum, amount);
    }
  }
}

TEST(AllocateLargestRemainder, LeftoverCentsGoToTheLargestRemainders) {
  // 100 cents in thirds: 33.33 each, the extra cent to the first (a tie).
  EXPECT_EQ(AllocateLargestRemainder(100, {1, 1, 1}), (std::vector<Cents>{34, 33, 33}));
  // 10 cents by 50/30/20: exact, nothing left over.
  EXPECT_EQ(AllocateLargestRemainder(10, {50, 30, 20}), (std::vector<Cents>{5, 3, 2}));
  // 7 cents by 50/30/20 = 3.5, 2.1, 1.4: floors 3+2+1 = 6, the cent to 3.5.
  EXPECT_EQ(AllocateLargestRemainder(7, {50, 30, 20}), (std::vector<Cents>{4, 2, 1}));
  EXPECT_THROW(AllocateLargestRemainder(7, {}), std::invalid_argument);
}

}  // namespace
}  // namespace settlement
