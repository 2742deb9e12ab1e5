#include "reports/metrics.h"

#include <algorithm>

namespace ledgerstress {
namespace {

const OperationResult* FindOp(const CaseResult& c, const std::string& name) {
  for (const OperationResult& op : c.operations) {
    if (op.name == name) return &op;
  }
  return nullptr;
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
  const auto dot = metric.find('.');
  const OperationResult* op = dot == std::string::npos ? nullptr : FindOp(c, metric.substr(0, dot));
  if (!op || op->calls == 0) {
    *why = "the operation made no call";
    return false;
  }
  const std::string m = metric.substr(dot + 1);
  const LatencySummary& l = op->latency;
  if (m == "latency.p50") *out = l.p50_ms;
  else if (m == "latency.p90") *out = l.p90_ms;
  else if (m == "latency.p99") *out = l.p99_ms;
  else if (m == "latency.p999") *out = l.p999_ms;
  else if (m == "latency.max") *out = l.max_ms;
  else if (m == "latency.mean") *out = l.mean_ms;
  else if (m == "error_rate") *out = static_cast<double>(op->errors()) / static_cast<double>(op->calls);
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
    t.errors += op.errors();
    t.p50_ms = std::max(t.p50_ms, op.latency.p50_ms);
    t.p99_ms = std::max(t.p99_ms, op.latency.p99_ms);
  }
  return t;
}

std::vector<std::pair<std::string, double>> AllMetrics(const CaseResult& c) {
  std::vector<std::pair<std::string, double>> out;
  std::vector<std::string> names;
  for (const OperationResult& op : c.operations) {
    for (const char* m : {".latency.p50", ".latency.p90", ".latency.p99", ".latency.max", ".latency.mean",
                          ".error_rate", ".calls", ".statements"}) {
      names.push_back(op.name + m);
    }
    if (op.name == "close_project_success") names.push_back(op.name + ".duration");
  }
  for (const char* m : {"server.max_escrow_rows_locked", "server.max_wallet_rows_locked", "server.max_lock_waiters"}) {
    names.push_back(m);
  }
  for (const std::string& n : names) {
    double v;
    std::string why;
    if (MetricValue(c, n, &v, &why)) out.emplace_back(n, v);
  }
  return out;
}

}  // namespace ledgerstress
