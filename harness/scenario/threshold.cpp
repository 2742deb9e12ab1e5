#include "harness/scenario/threshold.h"

#include <cctype>
#include <cstdlib>

#include "harness/scenario/duration.h"

namespace ledgerstress {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool ParseNumber(const std::string& s, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

}  // namespace

namespace {

// Whether a case (of the close workload or not, open model or not) has the
// row's metric for operation `op` ("" for a case-level row).
bool CaseHas(const MetricRow& r, const std::string& op, bool close_workload, bool open_model) {
  switch (r.when) {
    case MetricWhen::kAlways: return true;
    case MetricWhen::kCloseOperation: return op == "close_project_success";
    case MetricWhen::kOpenModel: return open_model && op != "close_project_success";
    case MetricWhen::kCloseWorkload: return close_workload;
  }
  return false;
}

}  // namespace

std::vector<std::string> KnownMetrics(const std::vector<std::string>& operations, bool close_workload,
                                      bool open_model) {
  std::vector<std::string> m;
  for (const std::string& op : operations) {
    for (const MetricRow& r : MetricRows()) {
      if (r.per_operation && CaseHas(r, op, close_workload, open_model)) m.push_back(op + "." + r.name);
    }
  }
  for (const MetricRow& r : MetricRows()) {
    if (!r.per_operation && CaseHas(r, "", close_workload, open_model)) m.push_back(r.name);
  }
  return m;
}

bool ParseThreshold(const std::string& metric, MetricKind kind, const std::string& text, Threshold* out,
                    std::string* error) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string op;
  while (i < text.size() && (text[i] == '<' || text[i] == '>' || text[i] == '=')) op += text[i++];
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string value = text.substr(i);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
  if (op != "<" && op != "<=" && op != ">" && op != ">=") {
    *error = "a threshold starts with <, <=, > or >=, as in \"< 50ms\"";
    return false;
  }
  double limit = 0;
  switch (kind) {
    case MetricKind::kLatencyMs:
    case MetricKind::kSeconds: {
      std::chrono::milliseconds d;
      if (!ParseDuration(value, &d)) {
        *error = "'" + metric + "' is a time: write a duration such as \"< 50ms\" or \"< 2s\"";
        return false;
      }
      limit = kind == MetricKind::kLatencyMs ? static_cast<double>(d.count()) : static_cast<double>(d.count()) / 1000;
      break;
    }
    case MetricKind::kRatio: {
      const bool percent = EndsWith(value, "%");
      if (!ParseNumber(percent ? value.substr(0, value.size() - 1) : value, &limit) ||
          (percent ? limit > 100 : limit > 1) || limit < 0) {
        *error = "'" + metric + "' is a rate: write \"< 1%\" or \"< 0.01\"";
        return false;
      }
      if (percent) limit /= 100;
      break;
    }
    case MetricKind::kCount:
      if (!ParseNumber(value, &limit) || limit < 0) {
        *error = "'" + metric + "' is a count: write a number such as \"<= 100\"";
        return false;
      }
      break;
  }
  *out = Threshold{metric, op, limit, op + " " + value};
  return true;
}

bool ThresholdHolds(const Threshold& t, double v) {
  if (t.op == "<") return v < t.limit;
  if (t.op == "<=") return v <= t.limit;
  if (t.op == ">") return v > t.limit;
  return v >= t.limit;
}

}  // namespace ledgerstress
