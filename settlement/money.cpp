#include "settlement/money.h"

#include <cctype>
#include <cstdlib>

namespace settlement {
namespace {

// Parses [-]digits[.digits] with at most `max_decimals` decimals into an
// integer scaled by 10^max_decimals.
bool ParseScaled(const std::string& text, int max_decimals, std::int64_t* out) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::int64_t whole = 0, frac = 0;
  int digits = 0, decimals = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
    if (whole > 100000000000000LL) return false;
    whole = whole * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++decimals) {
      if (decimals >= max_decimals) return false;
      frac = frac * 10 + (text[i] - '0');
    }
  }
  if (i != text.size() || digits + decimals == 0) return false;
  for (int d = decimals; d < max_decimals; ++d) frac *= 10;
  std::int64_t scale = 1;
  for (int d = 0; d < max_decimals; ++d) scale *= 10;
  *out = (whole * scale + frac) * (negative ? -1 : 1);
  return true;
}

}  // namespace

bool ParseCents(const std::string& text, Cents* out) { return ParseScaled(text, 2, out); }

std::string FormatCents(Cents c) {
  const bool negative = c < 0;
  const std::uint64_t a = negative ? static_cast<std::uint64_t>(-(c + 1)) + 1 : static_cast<std::uint64_t>(c);
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return (negative ? "-" : "") + std::to_string(a / 100) + "." + frac;
}

bool ParseRate(const std::string& text, RatePpm* out) {
  RatePpm r;
  if (!ParseScaled(text, 6, &r) || r < 0 || r > 1000000) return false;
  *out = r;
  return true;
}

std::string FormatRate(RatePpm r) {
  std::string frac = std::to_string(r % 1000000);
  while (frac.size() < 6) frac = "0" + frac;
  return std::to_string(r / 1000000) + "." + frac;
}

Cents ApplyRateHalfUp(Cents amount, RatePpm rate) {
  // amount * rate / 10^6 with exact integers; amounts up to numeric(14,2)
  // times 10^6 fit in 64 bits only below ~9.2e12 cents, so widen.
  const __int128 product = static_cast<__int128>(amount) * rate;
  return static_cast<Cents>((product + 500000) / 1000000);
}

ReleaseSplit SplitRelease(Cents amount, RatePpm commission_rate, RatePpm fee_rate) {
  ReleaseSplit s;
  s.commission = ApplyRateHalfUp(amount, commission_rate);
  s.fee = ApplyRateHalfUp(amount, fee_rate);
  s.net = amount - s.commission - s.fee;
  return s;
}

}  // namespace settlement
