#include "harness/engine/progress_line.h"

#include <cstdio>

namespace ledgerstress {

std::string ProgressLine(std::size_t index, std::size_t total, const std::string& name, const CaseProgress& p,
                         std::chrono::steady_clock::time_point start, bool schedules,
                         std::chrono::seconds reconnect_for) {
  char buf[512];
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const unsigned long long calls = p.calls.load();
  std::string planned = p.planned_calls ? "/" + std::to_string(p.planned_calls) : "";
  if (schedules) {
    std::snprintf(buf, sizeof buf, "[%zu/%zu] %s  schedules %llu%s  %.1fs", index + 1, total, name.c_str(), calls,
                  planned.c_str(), elapsed);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "[%zu/%zu] %s  round %d/%d  calls %llu%s  errors %llu  %.1fs", index + 1,
                total, name.c_str(), p.round.load(), p.rounds, calls, planned.c_str(),
                static_cast<unsigned long long>(p.errors.load()), elapsed);
  const int reconnecting = p.reconnecting.load();
  if (reconnecting == 0) return buf;
  return buf + std::string("  ") + std::to_string(reconnecting) + " worker(s) reconnecting to the server" +
         " (each gives up after " + std::to_string(reconnect_for.count()) + " s)";
}

const char* VerdictMark(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "PASS  ";
    case Verdict::kCaught: return "CAUGHT";
    case Verdict::kFail: return "FAIL  ";
    case Verdict::kInterrupted: return "STOP  ";
    default: return "ERROR ";
  }
}

}  // namespace ledgerstress
