#include "model/operation_json.h"

namespace ledgerstress {
namespace {

using nlohmann::json;

template <typename T>
T Get(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

json RetriesJson(const OperationResult& op) {
  json attempts = json::object();
  for (const auto& [n, calls] : op.attempts) attempts[std::to_string(n)] = calls;
  return {{"attempts", attempts},
          {"max_attempts_seen", op.max_attempts_seen},
          {"failed_attempts", op.failed_attempts},
          {"sleeps_in_transaction", op.sleeps_in_transaction},
          {"off_schedule_backoffs", op.off_schedule_backoffs},
          {"retries_without_backoff", op.retries_without_backoff},
          {"unresolved_in_doubt_retries", op.unresolved_in_doubt_retries},
          {"observed_backoffs", op.backoff_samples}};
}

void RetriesFromJson(const json& r, OperationResult* op) {
  const json attempts = r.value("attempts", json::object());  // kept: items() refers to it
  for (const auto& item : attempts.items()) op->attempts[std::stoi(item.key())] = item.value().get<std::uint64_t>();
  op->max_attempts_seen = Get<int>(r, "max_attempts_seen", 0);
  op->failed_attempts = Get<std::map<std::string, std::uint64_t>>(r, "failed_attempts", {});
  op->sleeps_in_transaction = Get<std::uint64_t>(r, "sleeps_in_transaction", 0);
  op->off_schedule_backoffs = Get<std::uint64_t>(r, "off_schedule_backoffs", 0);
  op->retries_without_backoff = Get<std::uint64_t>(r, "retries_without_backoff", 0);
  op->unresolved_in_doubt_retries = Get<std::uint64_t>(r, "unresolved_in_doubt_retries", 0);
  op->backoff_samples = Get<std::vector<std::string>>(r, "observed_backoffs", {});
}

std::vector<SeriesPoint> SeriesFromJson(const json& s) {
  std::vector<SeriesPoint> out;
  const json rows = s.value("rows", json::array());
  for (const json& p : rows) {
    out.push_back(SeriesPoint{p.at(0), p.at(1), p.at(2), p.at(3), p.at(4)});
  }
  return out;
}

}  // namespace

json LatencyToJson(const LatencySummary& l) {
  json buckets = json::array();
  for (const auto& [hi, n] : l.buckets) buckets.push_back({hi, n});
  return {{"count", l.count},   {"min_ms", l.min_ms}, {"mean_ms", l.mean_ms}, {"p50_ms", l.p50_ms},
          {"p90_ms", l.p90_ms}, {"p99_ms", l.p99_ms}, {"p999_ms", l.p999_ms}, {"max_ms", l.max_ms},
          {"histogram", {{"unit", "ms"}, {"buckets", buckets}}}};
}

LatencySummary LatencyFromJson(const json& l) {
  LatencySummary s;
  s.count = Get<std::uint64_t>(l, "count", 0);
  s.min_ms = Get<double>(l, "min_ms", 0);
  s.mean_ms = Get<double>(l, "mean_ms", 0);
  s.p50_ms = Get<double>(l, "p50_ms", 0);
  s.p90_ms = Get<double>(l, "p90_ms", 0);
  s.p99_ms = Get<double>(l, "p99_ms", 0);
  s.p999_ms = Get<double>(l, "p999_ms", 0);
  s.max_ms = Get<double>(l, "max_ms", 0);
  if (auto h = l.find("histogram"); h != l.end() && h->is_object()) {
    const json buckets = h->value("buckets", json::array());
    for (const json& b : buckets) s.buckets.emplace_back(b.at(0), b.at(1));
  }
  return s;
}

json OperationToJson(const OperationResult& op) {
  json series = json::array();
  for (const SeriesPoint& p : op.series) series.push_back({p.t_s, p.calls, p.errors, p.p50_ms, p.p99_ms});
  return {{"name", op.name},
          {"strategy", op.strategy},
          {"calls", op.calls},
          {"errors", op.errors()},
          {"outcomes", op.outcomes},
          {"statements", op.statements_measured ? json(op.statements) : json(nullptr)},
          {"statements_source", op.statements_measured ? json(op.statements_source) : json(nullptr)},
          {"statements_missing", op.statements_measured ? json(nullptr) : json(op.statements_missing)},
          {"round_trips", op.round_trips},
          {"latency", LatencyToJson(op.latency)},
          {"latency_corrected", op.open_model ? LatencyToJson(op.latency_corrected) : json(nullptr)},
          {"series", {{"columns", {"t_s", "calls", "errors", "p50_ms", "p99_ms"}}, {"rows", series}}},
          {"error_samples", op.error_samples},
          {"retries", RetriesJson(op)}};
}

OperationResult OperationFromJson(const json& j) {
  OperationResult op;
  op.name = Get<std::string>(j, "name", "");
  op.strategy = Get<std::string>(j, "strategy", "");
  op.calls = Get<std::uint64_t>(j, "calls", 0);
  op.statements = Get<std::uint64_t>(j, "statements", 0);
  op.statements_measured = !(j.contains("statements") && j["statements"].is_null());
  op.statements_source = Get<std::string>(j, "statements_source", op.statements_measured ? "harness" : "");
  op.statements_missing = Get<std::string>(j, "statements_missing", "");
  op.round_trips = Get<std::uint64_t>(j, "round_trips", 0);
  op.outcomes = Get<std::map<std::string, std::uint64_t>>(j, "outcomes", {});
  op.latency = LatencyFromJson(j.value("latency", json::object()));
  if (j.contains("latency_corrected") && j["latency_corrected"].is_object()) {
    op.open_model = true;
    op.latency_corrected = LatencyFromJson(j["latency_corrected"]);
  }
  op.series = SeriesFromJson(j.value("series", json::object()));
  op.error_samples = Get<std::vector<std::string>>(j, "error_samples", {});
  RetriesFromJson(j.value("retries", json::object()), &op);
  return op;
}

json ArrivalsToJson(const ArrivalReport& a) {
  const std::uint64_t offered = a.started + a.dropped;
  return {{"rate_per_s", a.rate_per_s},
          {"process", a.process},
          {"max_start_delay_ms", a.max_start_delay_ms},
          {"started", a.started},
          {"dropped", a.dropped},
          {"dropped_ratio", offered ? static_cast<double>(a.dropped) / static_cast<double>(offered) : 0.0},
          {"lag", LatencyToJson(a.lag)}};
}

ArrivalReport ArrivalsFromJson(const json& a) {
  ArrivalReport r;
  r.rate_per_s = Get<double>(a, "rate_per_s", 0);
  r.process = Get<std::string>(a, "process", "");
  r.max_start_delay_ms = Get<double>(a, "max_start_delay_ms", 0);
  r.started = Get<std::uint64_t>(a, "started", 0);
  r.dropped = Get<std::uint64_t>(a, "dropped", 0);
  r.lag = LatencyFromJson(a.value("lag", json::object()));
  return r;
}

}  // namespace ledgerstress
