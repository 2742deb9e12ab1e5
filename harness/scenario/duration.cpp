#include "harness/scenario/duration.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace ledgerstress {

bool ParseDuration(const std::string& text, std::chrono::milliseconds* out) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0 || i == text.size()) return false;
  const std::string number = text.substr(0, i);
  const std::string unit = text.substr(i);
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(value)) return false;
  double ms_per_unit;
  if (unit == "ms") ms_per_unit = 1;
  else if (unit == "s") ms_per_unit = 1000;
  else if (unit == "m" || unit == "min") ms_per_unit = 60000;
  else if (unit == "h") ms_per_unit = 3600000;
  else return false;
  const double ms = value * ms_per_unit;
  if (ms > 1e12) return false;  // over 30 years: surely a typo
  *out = std::chrono::milliseconds(static_cast<long long>(std::llround(ms)));
  return true;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  const long long ms = d.count();
  if (ms != 0 && ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms != 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace ledgerstress
