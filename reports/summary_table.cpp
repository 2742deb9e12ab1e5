#include "reports/summary_table.h"

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
  std::string out;
  for (const InvariantResult& inv : c.invariants) {
    if (inv.status == "held") continue;
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

std::string Paint(const std::string& verdict, bool color) {
  std::string label = verdict;
  std::transform(label.begin(), label.end(), label.begin(), ::toupper);
  if (!color) return label;
  const char* code = verdict == "pass" || verdict == "caught" ? "32" : verdict == "fail" ? "31" : "33";
  return std::string("\033[") + code + "m" + label + "\033[0m";
}

}  // namespace

std::string RenderSummaryTable(const RunResult& run, bool color) {
  std::vector<std::vector<std::string>> rows = {
      {"case", "expect", "verdict", "calls", "errors", "p50 ms", "p99 ms", "findings"}};
  for (const CaseResult& c : run.cases) {
    std::uint64_t calls = 0, errors = 0;
    double p50 = 0, p99 = 0;
    for (const OperationResult& op : c.operations) {
      calls += op.calls;
      errors += op.errors();
      p50 = std::max(p50, op.latency.p50_ms);
      p99 = std::max(p99, op.latency.p99_ms);
    }
    const std::string name = c.repetitions > 1 ? c.name + " #" + std::to_string(c.repetition) : c.name;
    rows.push_back({name, c.expect, c.verdict, std::to_string(calls), std::to_string(errors), Fixed(p50, 2),
                    Fixed(p99, 2), Findings(c)});
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i + 1 < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      std::string cell = rows[r][i];
      const std::size_t pad = i + 1 < rows[r].size() ? width[i] - cell.size() + 2 : 0;
      if (i == 2 && r > 0) cell = Paint(cell, color);
      const bool numeric = i >= 3 && i <= 6;
      if (numeric && r > 0) out += std::string(pad - 2, ' ') + cell + "  ";
      else out += cell + std::string(pad, ' ');
    }
    out += "\n";
  }
  out += "\nrun " + Paint(run.verdict, color) + ": scenario '" + run.scenario_name + "', seed " +
         std::to_string(run.seed) + ", " + Fixed(run.duration_seconds, 1) + "s";
  if (!run.error.empty()) out += "\nerror: " + run.error;
  return out + "\n";
}

}  // namespace ledgerstress
