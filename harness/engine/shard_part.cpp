#include "harness/engine/shard_part.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace ledgerstress {
namespace {

using json = nlohmann::json;

json LatencyJson(const LatencySummary& s) {
  return json{{"count", s.count}, {"min", s.min_ms}, {"mean", s.mean_ms}, {"p50", s.p50_ms}, {"p90", s.p90_ms},
              {"p99", s.p99_ms}, {"p999", s.p999_ms}, {"max", s.max_ms}, {"buckets", s.buckets}};
}

LatencySummary LatencyOf(const json& j) {
  LatencySummary s;
  s.count = j.at("count");
  s.min_ms = j.at("min");
  s.mean_ms = j.at("mean");
  s.p50_ms = j.at("p50");
  s.p90_ms = j.at("p90");
  s.p99_ms = j.at("p99");
  s.p999_ms = j.at("p999");
  s.max_ms = j.at("max");
  s.buckets = j.at("buckets").get<std::vector<std::pair<double, std::uint64_t>>>();
  return s;
}

json OperationJson(const OperationResult& op) {
  json series = json::array();
  for (const SeriesPoint& p : op.series) series.push_back({p.t_s, p.calls, p.errors, p.p50_ms, p.p99_ms});
  return json{{"name", op.name},
              {"strategy", op.strategy},
              {"calls", op.calls},
              {"outcomes", op.outcomes},
              {"latency", LatencyJson(op.latency)},
              {"open_model", op.open_model},
              {"latency_corrected", LatencyJson(op.latency_corrected)},
              {"series", series},
              {"statements", op.statements},
              {"statements_measured", op.statements_measured},
              {"statements_source", op.statements_source},
              {"statements_missing", op.statements_missing},
              {"round_trips", op.round_trips},
              {"error_samples", op.error_samples},
              {"attempts", op.attempts},
              {"backoff_samples", op.backoff_samples},
              {"sleeps_in_transaction", op.sleeps_in_transaction},
              {"off_schedule_backoffs", op.off_schedule_backoffs},
              {"retries_without_backoff", op.retries_without_backoff},
              {"unresolved_in_doubt_retries", op.unresolved_in_doubt_retries},
              {"failed_attempts", op.failed_attempts},
              {"max_attempts_seen", op.max_attempts_seen}};
}

OperationResult OperationOf(const json& j) {
  OperationResult op;
  op.name = j.at("name");
  op.strategy = j.at("strategy");
  op.calls = j.at("calls");
  op.outcomes = j.at("outcomes").get<std::map<std::string, std::uint64_t>>();
  op.latency = LatencyOf(j.at("latency"));
  op.open_model = j.at("open_model");
  op.latency_corrected = LatencyOf(j.at("latency_corrected"));
  for (const json& p : j.at("series")) {
    op.series.push_back(SeriesPoint{p.at(0), p.at(1), p.at(2), p.at(3), p.at(4)});
  }
  op.statements = j.at("statements");
  op.statements_measured = j.at("statements_measured");
  op.statements_source = j.at("statements_source");
  op.statements_missing = j.at("statements_missing");
  op.round_trips = j.at("round_trips");
  op.error_samples = j.at("error_samples").get<std::vector<std::string>>();
  op.attempts = j.at("attempts").get<std::map<int, std::uint64_t>>();
  op.backoff_samples = j.at("backoff_samples").get<std::vector<std::string>>();
  op.sleeps_in_transaction = j.at("sleeps_in_transaction");
  op.off_schedule_backoffs = j.at("off_schedule_backoffs");
  op.retries_without_backoff = j.at("retries_without_backoff");
  op.unresolved_in_doubt_retries = j.at("unresolved_in_doubt_retries");
  op.failed_attempts = j.at("failed_attempts").get<std::map<std::string, std::uint64_t>>();
  op.max_attempts_seen = j.at("max_attempts_seen");
  return op;
}

json ArrivalsJson(const ArrivalReport& a) {
  return json{{"rate", a.rate_per_s}, {"process", a.process}, {"max_start_delay", a.max_start_delay_ms},
              {"started", a.started}, {"dropped", a.dropped}, {"lag", LatencyJson(a.lag)}};
}

ArrivalReport ArrivalsOf(const json& j) {
  ArrivalReport a;
  a.rate_per_s = j.at("rate");
  a.process = j.at("process");
  a.max_start_delay_ms = j.at("max_start_delay");
  a.started = j.at("started");
  a.dropped = j.at("dropped");
  a.lag = LatencyOf(j.at("lag"));
  return a;
}

// A log's calls as hex, two characters a call (JSON arrays of numbers
// would be four times larger).
std::string Hex(const std::vector<std::uint8_t>& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

std::vector<std::uint8_t> Bytes(const std::string& hex) {
  if (hex.size() % 2) throw std::runtime_error("shard part: odd hex length");
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return out;
}

json HistoryJson(const ShardPart& p) {
  json logs = json::array();
  for (const ClientHistory::Log& l : p.logs) {
    logs.push_back({{"prefix", l.key_prefix}, {"calls", Hex(l.calls)}, {"args", l.args}, {"args_end", l.args_end}});
  }
  json dups = json::array();
  for (const ClientHistory::Duplicate& d : p.duplicates) dups.push_back({d.key, d.call, d.args});
  return json{{"logs", logs}, {"duplicates", dups}, {"returns", p.returns}};
}

void HistoryOf(const json& j, ShardPart* p) {
  for (const json& l : j.at("logs")) {
    p->logs.push_back(ClientHistory::Log{l.at("prefix"), Bytes(l.at("calls")), l.at("args"),
                                         l.at("args_end").get<std::vector<std::uint32_t>>()});
  }
  for (const json& d : j.at("duplicates")) {
    p->duplicates.push_back(ClientHistory::Duplicate{d.at(0), d.at(1), d.at(2)});
  }
  p->returns = j.at("returns").get<std::vector<ClientHistory::Return>>();
}

}  // namespace

std::string EncodeShardPart(const ShardPart& p) {
  json ops = json::array();
  for (const OperationResult& op : p.operations) ops.push_back(OperationJson(op));
  const json j{{"shard", p.shard},
               {"host", p.host},
               {"operations", ops},
               {"arrivals", ArrivalsJson(p.arrivals)},
               {"rounds_completed", p.rounds_completed},
               {"workers_seconds", p.workers_seconds},
               {"failure", p.failure},
               {"history", HistoryJson(p)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

ShardPart DecodeShardPart(const std::string& text) {
  try {
    const json j = json::parse(text);
    ShardPart p;
    p.shard = j.at("shard");
    p.host = j.at("host");
    for (const json& op : j.at("operations")) p.operations.push_back(OperationOf(op));
    p.arrivals = ArrivalsOf(j.at("arrivals"));
    p.rounds_completed = j.at("rounds_completed");
    p.workers_seconds = j.at("workers_seconds");
    p.failure = j.at("failure");
    HistoryOf(j.at("history"), &p);
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("a shard's part is not one this version writes: ") + e.what());
  }
}

}  // namespace ledgerstress
