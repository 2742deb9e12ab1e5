#include <set>

#include "reports/sweep_report.h"
#include "model/text.h"

namespace ledgerstress {
namespace {

std::string Locked(std::int64_t v) { return v < 0 ? "n/a" : std::to_string(v); }

std::string InvariantCell(const SweepCaseFigures& f) {
  std::string inv;
  for (const std::string& v : f.violated) inv += (inv.empty() ? "" : ",") + v;
  if (f.verdict == Verdict::kPass) return "held";
  if (f.verdict == Verdict::kCaught) return "caught " + inv;
  return VerdictName(f.verdict) + (inv.empty() ? "" : " " + inv);
}

// One row of figures for swept case `f` at point `p`.
std::vector<std::string> FiguresRow(const SweepPoint& p, const SweepCaseFigures& f, bool any_close,
                                    const std::set<std::string>& user_ops) {
  std::vector<std::string> row;
  for (const auto& [k, v] : p.settings) row.push_back(v);
  row.push_back(f.name);
  if (any_close) {
    row.push_back(f.has_close ? Fmt("%.3f", f.close_seconds) : "-");
    row.push_back(f.has_close && f.statements >= 0 ? Fmt("%.0f", f.statements) : "-");
    row.push_back(Locked(f.max_escrow_rows_locked) + "/" + Locked(f.max_wallet_rows_locked));
  } else {
    row.push_back(Fmt("%.0f", f.throughput));
  }
  for (const std::string& op : user_ops) {
    auto it = f.user_p99_ms.find(op);
    row.push_back(it == f.user_p99_ms.end() ? "-" : Fmt("%.1f", it->second) + (f.p99_corrected ? "*" : ""));
  }
  row.push_back(std::to_string(f.errors));
  row.push_back(InvariantCell(f));
  return row;
}

}  // namespace

TextTable SweepTable(const SweepResult& sweep) {
  std::set<std::string> user_ops;
  bool any_close = false;
  for (const SweepPoint& p : sweep.points) {
    for (const SweepCaseFigures& f : p.cases) {
      for (const auto& [op, v] : f.user_p99_ms) user_ops.insert(op);
      any_close = any_close || f.has_close;
    }
  }
  std::vector<std::string> header = sweep.keys;
  header.push_back("case");
  if (any_close) {
    for (const char* h : {"close s", "statements", "max locked esc/wal"}) header.push_back(h);
  } else {
    header.push_back("calls/s");
  }
  for (const std::string& op : user_ops) header.push_back(op + " p99 ms");
  for (const char* h : {"errors", "invariants"}) header.push_back(h);
  std::vector<std::vector<std::string>> rows = {header};
  std::vector<bool> right(sweep.keys.size(), true);
  right.push_back(false);
  for (std::size_t i = right.size(); i + 1 < header.size(); ++i) right.push_back(true);
  right.push_back(false);
  for (const SweepPoint& p : sweep.points) {
    if (p.cases.empty()) {
      std::vector<std::string> row;
      for (const auto& [k, v] : p.settings) row.push_back(v);
      row.push_back("(" + VerdictName(p.verdict) + (p.error.empty() ? "" : ": " + p.error) + ")");
      row.resize(header.size());
      rows.push_back(row);
      continue;
    }
    for (const SweepCaseFigures& f : p.cases) rows.push_back(FiguresRow(p, f, any_close, user_ops));
  }
  return {rows, right};
}

std::string RenderSweepTable(const SweepResult& sweep) {
  const TextTable t = SweepTable(sweep);
  std::string out = AlignedTable(t.rows, t.right);
  for (const auto& [name, why] : sweep.skipped_cases) out += "not swept: " + name + " (" + why + ")\n";
  const SweepRecommendation& r = sweep.recommendation;
  out += "\n";
  out += r.made ? "recommendation: " + r.reason + "\n" : r.reason + "\n";
  for (const std::string& n : r.notes) out += "  - " + n + "\n";
  if (!r.rule.empty()) out += "rule: " + r.rule + "\n";
  return out;
}

}  // namespace ledgerstress
