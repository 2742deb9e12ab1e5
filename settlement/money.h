#ifndef LEDGERSTRESS_SETTLEMENT_MONEY_H_
#define LEDGERSTRESS_SETTLEMENT_MONEY_H_

#include <cstdint>
#include <string>

namespace settlement {

// Money is an exact integer number of cents in C++ (never floating point)
// and numeric(14,2) in SQL.
using Cents = std::int64_t;

// A rate (commission, fee) in parts per million: 0.05 is 50000.
using RatePpm = std::int64_t;

// "1234.5", "-0.07", "12" -> cents. Returns false on anything else or on
// more than two decimals.
bool ParseCents(const std::string& text, Cents* out);
// 123456 -> "1234.56", -7 -> "-0.07".
std::string FormatCents(Cents c);

// "0.05", "0.029", "1" -> ppm. Returns false for negatives, more than six
// decimals, or values above 1.
bool ParseRate(const std::string& text, RatePpm* out);
// 29000 -> "0.029000": exact, for SQL numeric parameters.
std::string FormatRate(RatePpm r);

// amount * rate, rounded half-up to the cent, as the review's
// quantize(cents, ROUND_HALF_UP). REQUIRES: amount >= 0.
Cents ApplyRateHalfUp(Cents amount, RatePpm rate);

// How one escrow's amount is split on release: each part rounded half-up,
// net takes the remainder so that net + commission + fee == amount.
struct ReleaseSplit {
  Cents net = 0;
  Cents commission = 0;
  Cents fee = 0;
};
ReleaseSplit SplitRelease(Cents amount, RatePpm commission_rate, RatePpm fee_rate);

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_MONEY_H_
