#ifndef LEDGERSTRESS_HARNESS_SCENARIO_DURATION_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_DURATION_H_

#include <chrono>
#include <string>

namespace ledgerstress {

// Parses a duration written as a number and a unit: "500ms", "15s", "1.5s",
// "2m", "1h". Returns false (leaving *out alone) for anything else,
// including negative numbers and a missing unit.
bool ParseDuration(const std::string& text, std::chrono::milliseconds* out);

// Formats a duration the way ParseDuration reads it back ("15s", "250ms").
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_DURATION_H_
