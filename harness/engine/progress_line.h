#ifndef LEDGERSTRESS_HARNESS_ENGINE_PROGRESS_LINE_H_
#define LEDGERSTRESS_HARNESS_ENGINE_PROGRESS_LINE_H_

#include <chrono>
#include <cstddef>
#include <string>

#include "harness/engine/engine.h"
#include "model/verdict.h"

namespace ledgerstress {

// What `run` prints while case `index` of `total` runs, e.g.
//   [3/15] close_1000/keyset  round 1/1  calls 209  errors 0  5.0s
//   [15/15] explore/...  schedules 40/70  5.0s       (schedules: an explore case)
// and, while workers are reconnecting, "  4 worker(s) reconnecting to the
// server (each gives up after 20 s)" with `reconnect_for` as the 20.
// Reads `p`'s atomics: callable from the progress thread while the case runs.
std::string ProgressLine(std::size_t index, std::size_t total, const std::string& name, const CaseProgress& p,
                         std::chrono::steady_clock::time_point start, bool schedules,
                         std::chrono::seconds reconnect_for);

// The 6-character mark before a finished case's verdict reason: "PASS  ",
// "CAUGHT", "FAIL  ", "STOP  " (interrupted), "ERROR " (anything else).
const char* VerdictMark(Verdict v);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_PROGRESS_LINE_H_
