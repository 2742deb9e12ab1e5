#include "reports/summary_table.h"

#include "model/metrics.h"
#include "model/text.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace ledgerstress {
namespace {

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Findings(const CaseResult& c) {
  if (!c.cannot_run.empty()) return "cannot run on this server (see below)";  // no finding about the code
  std::string out;
  for (const InvariantResult& inv : c.invariants) {
    if (inv.status == "held") continue;
    if (inv.status == "error" && c.error.find(inv.Unchecked()) != std::string::npos) continue;  // said below
    out += (out.empty() ? "" : "; ") + inv.name + ": " + inv.message;
  }
  for (const CheckResult& ch : c.checks) {
    if (!ch.passed) out += (out.empty() ? "" : "; ") + ch.name + ": " + ch.message;
  }
  if (!c.error.empty()) out += (out.empty() ? "" : "; ") + c.error;
  if (out.empty() && !c.invariants.empty()) out = "all invariants held";
  if (out.empty()) out = c.verdict_reason;
  return out;
}

std::string Paint(Verdict verdict, bool color) {
  std::string label = VerdictName(verdict);
  std::transform(label.begin(), label.end(), label.begin(), ::toupper);
  if (!color) return label;
  const char* code = GatePasses(verdict) ? "32" : verdict == Verdict::kFail ? "31" : "33";
  return std::string("\033[") + code + "m" + label + "\033[0m";
}

}  // namespace

std::string RenderSummaryTable(const RunResult& run, bool color) {
  std::vector<std::vector<std::string>> rows = {
      {"case", "expect", "verdict", "calls", "ok", "no effect", "expected", "in doubt", "errors", "p50 ms", "p99 ms", "findings"}};
  for (const CaseResult& c : run.cases) {
    const CaseTotals t = TotalsOf(c);
    const std::string name = c.repetitions > 1 ? c.name + " #" + std::to_string(c.repetition) : c.name;
    rows.push_back({name, c.expect, VerdictName(c.verdict), std::to_string(t.calls), std::to_string(t.ok),
                    std::to_string(t.no_effect), std::to_string(t.expected), std::to_string(t.in_doubt), std::to_string(t.errors),
                    t.timed ? Fixed(t.p50_ms, 2) : "-", t.timed ? Fixed(t.p99_ms, 2) : "-", Findings(c)});
  }
  std::string out = AlignedTable(rows, {false, false, false, true, true, true, true, true, true, true, true, false},
                                 [&](std::size_t, std::size_t col, const std::string& cell) {
                                   if (col != 2) return cell;
                                   const std::size_t end = cell.find(' ');
                                   const std::string label = cell.substr(0, end);
                                   std::string name = label;
                                   std::transform(name.begin(), name.end(), name.begin(), ::tolower);
                                   Verdict v = Verdict::kError;
                                   ParseVerdict(name, &v);
                                   return Paint(v, color) + (end == std::string::npos ? "" : cell.substr(end));
                                 });
  out += "\nrun " + Paint(run.verdict, color) + ": scenario '" + run.scenario_name + "', seed " +
         std::to_string(run.seed) + ", " + Fixed(run.duration_seconds, 1) + "s";
  if (!run.error.empty()) out += "\nerror: " + run.error;
  return out + "\n";
}

}  // namespace ledgerstress
