#include "reports/close_table.h"

#include "model/text.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace ledgerstress {
namespace {


std::string Count(std::int64_t v) { return v < 0 ? "n/a" : std::to_string(v); }

const OperationResult* Find(const CaseResult& c, const std::string& name) {
  for (const OperationResult& op : c.operations) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

}  // namespace

TextTable CloseTable(const RunResult& run) {
  double floor = 0;
  for (const CaseResult& c : run.cases) {
    const OperationResult* close = Find(c, "close_project_success");
    if (close && close->strategy == "set_based" && c.close_phase_seconds > 0) {
      floor = floor == 0 ? c.close_phase_seconds : std::min(floor, c.close_phase_seconds);
    }
  }
  std::vector<std::vector<std::string>> rows = {{"case", "strategy", "escrows", "close s", "x set_based",
                                                 "statements", "round trips", "server stmts", "max locked esc/wal",
                                                 "lock waiters", "pledge p99 ms", "deposit p99 ms", "verdict"}};
  for (const CaseResult& c : run.cases) {
    const OperationResult* close = Find(c, "close_project_success");
    if (!close || c.closes.empty()) continue;
    const OperationResult* pledge = Find(c, "pledge_funds");
    const OperationResult* deposit = Find(c, "deposit");
    auto p99 = [](const OperationResult* op) {  // from the intended start under an arrival_rate
      if (!op || !op->calls) return std::string("-");
      return op->open_model ? Fmt("%.1f", op->latency_corrected.p99_ms) + "*" : Fmt("%.1f", op->latency.p99_ms);
    };
    rows.push_back({c.name, close->strategy, std::to_string(c.escrows_total), Fmt("%.3f", c.close_phase_seconds),
                    floor > 0 ? Fmt("%.2f", c.close_phase_seconds / floor) : "n/a",
                    close->statements_measured ? std::to_string(close->statements) : std::string("-"),
                    std::to_string(close->round_trips),
                    Count(c.server.statements_delta),
                    Count(c.server.max_escrow_rows_locked) + "/" + Count(c.server.max_wallet_rows_locked),
                    std::to_string(c.server.max_lock_waiters), p99(pledge), p99(deposit), VerdictName(c.verdict)});
  }
  if (rows.size() == 1) return {};
  return {rows, {false, false, true, true, true, true, true, true, true, true, true, true, false}};
}

std::string RenderCloseTable(const RunResult& run) {
  const TextTable t = CloseTable(run);
  return t.rows.empty() ? "" : AlignedTable(t.rows, t.right);
}

}  // namespace ledgerstress
