#include "model/sweep_figures.h"

#include "model/mann_whitney.h"

#include <algorithm>

namespace ledgerstress {
namespace {

const char kClose[] = "close_project_success";

// How bad a repetition's verdict is: the worst one speaks for the point.
int VerdictRank(Verdict v) {
  switch (v) {
    case Verdict::kPass: return 0;
    case Verdict::kCaught: return 1;
    case Verdict::kFail: return 2;
    case Verdict::kSkipped:
    case Verdict::kInterrupted: return 3;
    default: return 4;  // error
  }
}

}  // namespace

double SweepCaseFigures::WorstUserP99(std::string* op) const {
  double worst = 0;
  for (const auto& [name, p99] : user_p99_ms) {
    if (p99 >= worst) {
      worst = p99;
      if (op) *op = name;
    }
  }
  return worst;
}

std::string SweepPoint::Label() const {
  std::string out;
  for (const auto& [k, v] : settings) out += (out.empty() ? "" : ", ") + k + "=" + v;
  return out;
}

std::vector<SweepCaseFigures> SweepFiguresOf(const RunResult& run) {
  std::vector<SweepCaseFigures> out;
  std::vector<std::vector<const CaseResult*>> reps;
  for (const CaseResult& c : run.cases) {
    auto it = std::find_if(out.begin(), out.end(), [&](const SweepCaseFigures& f) { return f.name == c.name; });
    if (it == out.end()) {
      SweepCaseFigures f;
      f.name = c.name;
      f.expect = c.expect;
      f.verdict = c.verdict;
      out.push_back(f);
      reps.emplace_back();
      it = out.end() - 1;
    }
    reps[static_cast<std::size_t>(it - out.begin())].push_back(&c);
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    SweepCaseFigures& f = out[i];
    std::vector<double> throughput, statements;
    std::map<std::string, std::vector<double>> p99;
    for (const CaseResult* c : reps[i]) {
      if (VerdictRank(c->verdict) > VerdictRank(f.verdict)) f.verdict = c->verdict;
      for (const InvariantResult& inv : c->invariants) {
        if (inv.status == "violated" && std::find(f.violated.begin(), f.violated.end(), inv.name) == f.violated.end()) {
          f.violated.push_back(inv.name);
        }
      }
      if (c->verdict == Verdict::kSkipped) continue;
      f.max_escrow_rows_locked = std::max(f.max_escrow_rows_locked, c->server.max_escrow_rows_locked);
      f.max_wallet_rows_locked = std::max(f.max_wallet_rows_locked, c->server.max_wallet_rows_locked);
      std::uint64_t calls = 0;
      bool has_close = false;
      for (const OperationResult& op : c->operations) {
        calls += op.calls;
        f.errors += op.errors();
        if (op.name == kClose) {
          has_close = true;
          if (op.statements_measured) statements.push_back(static_cast<double>(op.statements));
        }
      }
      f.calls += calls;
      const bool close_case = has_close && !c->closes.empty();
      f.has_close = f.has_close || close_case;
      for (const OperationResult& op : c->operations) {
        if (op.calls == 0 || (close_case && op.name == kClose)) continue;
        p99[op.name].push_back(op.open_model ? op.latency_corrected.p99_ms : op.latency.p99_ms);
        f.p99_corrected = f.p99_corrected || op.open_model;
      }
      if (close_case) f.close_seconds_each.push_back(c->close_phase_seconds);
      const double secs = c->workers_seconds > 0 ? c->workers_seconds : c->run_seconds;
      if (secs > 0) throughput.push_back(static_cast<double>(calls) / secs);
    }
    f.close_seconds = Median(f.close_seconds_each);
    f.throughput = Median(throughput);
    f.statements = statements.empty() ? -1 : Median(statements);
    for (const auto& [name, v] : p99) f.user_p99_ms[name] = Median(v);
  }
  return out;
}

}  // namespace ledgerstress
