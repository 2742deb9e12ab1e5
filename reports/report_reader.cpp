#include "reports/report_reader.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "model/operation_json.h"

namespace ledgerstress {
namespace {

using nlohmann::json;

template <typename T>
T Get(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

CaseResult ReadCase(const json& j) {
  CaseResult c;
  c.name = Get<std::string>(j, "name", "");
  c.driver = Get<std::string>(j, "driver", "");
  c.expect = Get<std::string>(j, "expect", "pass");
  ParseVerdict(Get<std::string>(j, "verdict", ""), &c.verdict);  // unknown text: kept as not reached
  c.repetition = Get<int>(j, "repetition", 1);
  c.repetitions = Get<int>(j, "repetitions", 1);
  for (const json& op : j.value("operations", json::array())) c.operations.push_back(OperationFromJson(op));
  if (j.contains("arrivals") && j["arrivals"].is_object()) c.arrivals = ArrivalsFromJson(j["arrivals"]);
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
