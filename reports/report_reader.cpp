#include "reports/report_reader.h"

#include <fstream>

#include <nlohmann/json.hpp>

namespace ledgerstress {
namespace {

using nlohmann::json;

template <typename T>
T Get(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

LatencySummary ReadLatency(const json& l) {
  LatencySummary s;
  s.count = Get<std::uint64_t>(l, "count", 0);
  s.min_ms = Get<double>(l, "min_ms", 0);
  s.mean_ms = Get<double>(l, "mean_ms", 0);
  s.p50_ms = Get<double>(l, "p50_ms", 0);
  s.p90_ms = Get<double>(l, "p90_ms", 0);
  s.p99_ms = Get<double>(l, "p99_ms", 0);
  s.p999_ms = Get<double>(l, "p999_ms", 0);
  s.max_ms = Get<double>(l, "max_ms", 0);
  return s;
}

OperationResult ReadOperation(const json& j) {
  OperationResult op;
  op.name = Get<std::string>(j, "name", "");
  op.strategy = Get<std::string>(j, "strategy", "");
  op.calls = Get<std::uint64_t>(j, "calls", 0);
  op.statements = Get<std::uint64_t>(j, "statements", 0);
  op.statements_measured = !(j.contains("statements") && j["statements"].is_null());
  op.statements_source = Get<std::string>(j, "statements_source", op.statements_measured ? "harness" : "");
  op.statements_missing = Get<std::string>(j, "statements_missing", "");
  op.round_trips = Get<std::uint64_t>(j, "round_trips", 0);
  if (j.contains("outcomes")) op.outcomes = j["outcomes"].get<std::map<std::string, std::uint64_t>>();
  op.latency = ReadLatency(j.value("latency", json::object()));
  if (j.contains("latency_corrected") && j["latency_corrected"].is_object()) {
    op.open_model = true;
    op.latency_corrected = ReadLatency(j["latency_corrected"]);
  }
  return op;
}

ArrivalReport ReadArrivals(const json& a) {
  ArrivalReport r;
  r.rate_per_s = Get<double>(a, "rate_per_s", 0);
  r.process = Get<std::string>(a, "process", "");
  r.max_start_delay_ms = Get<double>(a, "max_start_delay_ms", 0);
  r.started = Get<std::uint64_t>(a, "started", 0);
  r.dropped = Get<std::uint64_t>(a, "dropped", 0);
  r.lag = ReadLatency(a.value("lag", json::object()));
  return r;
}

CaseResult ReadCase(const json& j) {
  CaseResult c;
  c.name = Get<std::string>(j, "name", "");
  c.driver = Get<std::string>(j, "driver", "");
  c.expect = Get<std::string>(j, "expect", "pass");
  ParseVerdict(Get<std::string>(j, "verdict", ""), &c.verdict);  // unknown text: kept as not reached
  c.repetition = Get<int>(j, "repetition", 1);
  c.repetitions = Get<int>(j, "repetitions", 1);
  for (const json& op : j.value("operations", json::array())) c.operations.push_back(ReadOperation(op));
  if (j.contains("arrivals") && j["arrivals"].is_object()) c.arrivals = ReadArrivals(j["arrivals"]);
  if (j.contains("close") && j["close"].is_object()) {
    c.close_phase_seconds = Get<double>(j["close"], "phase_s", 0);
    c.escrows_total = Get<std::int64_t>(j["close"], "escrows_total", 0);
    c.closes.resize(j["close"].value("calls", json::array()).size());
  }
  if (j.contains("server") && j["server"].is_object()) {
    const json& s = j["server"];
    c.server.sampled = Get<bool>(s, "sampled", false);
    c.server.missing = Get<std::string>(s, "missing", "");
    c.server.max_escrow_rows_locked = Get<std::int64_t>(s, "max_escrow_rows_locked", -1);
    c.server.max_wallet_rows_locked = Get<std::int64_t>(s, "max_wallet_rows_locked", -1);
    c.server.max_lock_waiters = Get<std::int64_t>(s, "max_lock_waiters", 0);
  } else {
    c.server.max_escrow_rows_locked = -1;
    c.server.max_wallet_rows_locked = -1;
  }
  return c;
}

}  // namespace

bool ReadReportFile(const std::string& path, RunResult* out, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot read";
    return false;
  }
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    *error = path + ": not a JSON report (" + e.what() + ")";
    return false;
  }
  const std::string schema = j.is_object() ? Get<std::string>(j, "schema", "") : "";
  if (schema != kReportSchema) {
    *error = path + ": report schema '" + schema + "' is not " + kReportSchema +
             "; compare reports written by the same report version";
    return false;
  }
  try {
    const json& run = j.value("run", json::object());
    out->run_id = Get<std::string>(run, "id", "");
    out->scenario_name = Get<std::string>(run, "scenario", "");
    ParseVerdict(Get<std::string>(run, "verdict", ""), &out->verdict);
    out->git_commit = run.value("tool", json::object()).value("git_commit", "");
    for (const json& c : j.value("cases", json::array())) out->cases.push_back(ReadCase(c));
  } catch (const json::exception& e) {
    *error = path + ": malformed report (" + e.what() + ")";
    return false;
  }
  return true;
}

}  // namespace ledgerstress
