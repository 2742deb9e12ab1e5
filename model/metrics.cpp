#include "model/metrics.h"

#include <algorithm>

#include "model/metric_catalog.h"
#include "model/text.h"

namespace ledgerstress {
namespace {

const OperationResult* FindOp(const CaseResult& c, const std::string& name) {
  for (const OperationResult& op : c.operations) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

bool LatencyValue(const LatencySummary& l, const std::string& q, double* out) {
  if (q == "p50") *out = l.p50_ms;
  else if (q == "p90") *out = l.p90_ms;
  else if (q == "p99") *out = l.p99_ms;
  else if (q == "p999") *out = l.p999_ms;
  else if (q == "max") *out = l.max_ms;
  else if (q == "mean") *out = l.mean_ms;
  else return false;
  return true;
}

// "arrivals.dropped", "arrivals.dropped_ratio", "arrivals.started", "arrivals.lag.p99", ...
bool ArrivalValue(const CaseResult& c, const std::string& m, double* out, std::string* why) {
  const ArrivalReport& a = c.arrivals;
  if (a.rate_per_s <= 0) {
    *why = "not measured: the case has no arrival_rate (a closed loop)";
    return false;
  }
  const std::uint64_t offered = a.started + a.dropped;
  if (m == "dropped") *out = static_cast<double>(a.dropped);
  else if (m == "started") *out = static_cast<double>(a.started);
  else if (m == "dropped_ratio") *out = offered ? static_cast<double>(a.dropped) / static_cast<double>(offered) : 0;
  else if (m.rfind("lag.", 0) == 0 && a.started > 0 && LatencyValue(a.lag, m.substr(4), out)) return true;
  else {
    *why = m.rfind("lag.", 0) == 0 ? "no call started" : "unknown metric";
    return false;
  }
  return true;
}

}  // namespace

bool MetricValue(const CaseResult& c, const std::string& metric, double* out, std::string* why) {
  if (metric.rfind("server.", 0) == 0) {
    const std::string m = metric.substr(7);
    std::int64_t v = -1;
    if (m == "max_escrow_rows_locked") v = c.server.max_escrow_rows_locked;
    else if (m == "max_wallet_rows_locked") v = c.server.max_wallet_rows_locked;
    else if (m == "max_lock_waiters") v = c.server.sampled ? c.server.max_lock_waiters : -1;
    if (v < 0) {
      *why = "not measured" + (c.server.missing.empty() ? std::string() : ": " + c.server.missing);
      return false;
    }
    *out = static_cast<double>(v);
    return true;
  }
  if (metric.rfind("arrivals.", 0) == 0) return ArrivalValue(c, metric.substr(9), out, why);
  const auto dot = metric.find('.');
  const OperationResult* op = dot == std::string::npos ? nullptr : FindOp(c, metric.substr(0, dot));
  if (!op || op->calls == 0) {
    *why = "the operation made no call";
    return false;
  }
  const std::string m = metric.substr(dot + 1);
  if (m.rfind("latency.", 0) == 0 && LatencyValue(op->latency, m.substr(8), out)) return true;
  if (m.rfind("corrected.", 0) == 0) {
    if (!op->open_model) {
      *why = "not measured: the case has no arrival_rate (a closed loop), so no call has an intended start";
      return false;
    }
    if (LatencyValue(op->latency_corrected, m.substr(10), out)) return true;
  }
  if (m == "error_rate") *out = static_cast<double>(op->errors()) / static_cast<double>(op->calls);
  else if (m == "calls") *out = static_cast<double>(op->calls);
  else if (m == "statements" && !op->statements_measured) {
    *why = "not measured: " + (op->statements_missing.empty() ? std::string("the driver does not report them")
                                                                 : op->statements_missing) +
           " (add \"statements\" to its replies)";
    return false;
  } else if (m == "statements") *out = static_cast<double>(op->statements) / static_cast<double>(op->calls);
  else if (m == "duration" && !c.closes.empty()) *out = c.close_phase_seconds;
  else {
    *why = "unknown metric";
    return false;
  }
  return true;
}

CaseTotals TotalsOf(const CaseResult& c) {
  CaseTotals t;
  for (const OperationResult& op : c.operations) {
    t.calls += op.calls;
    t.ok += op.ok();
    t.no_effect += op.no_effect();
    t.expected += op.expected();
    t.in_doubt += op.in_doubt();
    t.errors += op.errors();
    t.p50_ms = std::max(t.p50_ms, op.latency.p50_ms);
    t.p99_ms = std::max(t.p99_ms, op.latency.p99_ms);
    t.timed = t.timed || op.latency.count > 0;
  }
  return t;
}

std::string ArrivalsLine(const CaseResult& c) {
  const ArrivalReport& a = c.arrivals;
  if (a.rate_per_s <= 0) return "";
  const std::uint64_t offered = a.started + a.dropped;
  std::string line = "open model, " + Fmt("%g", a.rate_per_s) + "/s " + a.process + ": " + std::to_string(a.started) +
                     " calls started, " + std::to_string(a.dropped) + " dropped (" +
                     Fmt("%.1f", offered ? 100.0 * static_cast<double>(a.dropped) / static_cast<double>(offered) : 0) +
                     "%, no worker free within " + Fmt("%g", a.max_start_delay_ms) + " ms); schedule lag p50 " +
                     Fmt("%.2f", a.lag.p50_ms) + " ms, p99 " + Fmt("%.2f", a.lag.p99_ms) + " ms";
  for (const OperationResult& op : c.operations) {
    if (!op.open_model) continue;
    line += "; " + op.name + " p99 " + Fmt("%.2f", op.latency_corrected.p99_ms) + " ms from the intended start, " +
            Fmt("%.2f", op.latency.p99_ms) + " ms from the actual start";
  }
  return line;
}

namespace {

// Whether compare lists the row's metric for `op` (null: a case-level row)
// of case `c`; MetricValue then says whether it was measured.
bool Compared(const MetricRow& r, const OperationResult* op, const CaseResult& c) {
  if (!r.compared) return false;
  switch (r.when) {
    case MetricWhen::kAlways:
    case MetricWhen::kCloseWorkload: return true;
    case MetricWhen::kCloseOperation: return op && op->name == "close_project_success";
    case MetricWhen::kOpenModel: return op ? op->open_model : c.arrivals.rate_per_s > 0;
  }
  return false;
}

}  // namespace

std::vector<std::pair<std::string, double>> AllMetrics(const CaseResult& c) {
  std::vector<std::string> names;
  for (const OperationResult& op : c.operations) {
    for (const MetricRow& r : MetricRows()) {
      if (r.per_operation && Compared(r, &op, c)) names.push_back(op.name + "." + r.name);
    }
  }
  for (const MetricRow& r : MetricRows()) {
    if (!r.per_operation && Compared(r, nullptr, c)) names.push_back(r.name);
  }
  std::vector<std::pair<std::string, double>> out;
  for (const std::string& n : names) {
    double v;
    std::string why;
    if (MetricValue(c, n, &v, &why)) out.emplace_back(n, v);
  }
  return out;
}

}  // namespace ledgerstress
