#include "harness/drivers/driver_reply.h"

#include "harness/operations/no_effect.h"

namespace ledgerstress {

using json = nlohmann::json;

const char* ReadProblem(DriverProcess::Read r) {
  switch (r) {
    case DriverProcess::Read::kTimeout: return "did not answer";
    case DriverProcess::Read::kEof: return "closed its stdout (it exited or crashed)";
    case DriverProcess::Read::kTooLong: return "wrote a line longer than 1 MiB";
    case DriverProcess::Read::kStopped: return "was stopped: the run is being interrupted";
    case DriverProcess::Read::kLine: break;
  }
  return "";
}

std::string ConcurrencyShortfall(const DriverSpec& spec, int takes) {
  return "[drivers." + spec.name + "] concurrency = " + std::to_string(spec.concurrency) + " sends up to " +
         std::to_string(spec.concurrency) + " calls at once, and driver '" + spec.name + "' answered init with " +
         (takes == 0 ? std::string("a \"concurrency\" that is not a positive integer")
                     : "\"concurrency\": " + std::to_string(takes) + (takes == 1 ? " (none given means 1)" : "")) +
         ": a driver that takes several calls at once says how many in init_ok";
}

std::string Shorten(const std::string& s) { return s.size() > 200 ? s.substr(0, 200) + "..." : s; }

std::string ErrorText(const json& reply, std::string* sqlstate) {
  const auto e = reply.find("error");
  if (e == reply.end() || !e->is_object()) return "no error given";
  if (e->contains("sqlstate") && (*e)["sqlstate"].is_string()) *sqlstate = (*e)["sqlstate"].get<std::string>();
  const std::string message = e->contains("message") && (*e)["message"].is_string() ? (*e)["message"].get<std::string>() : "";
  return message.empty() ? "no message" : message;
}

void ReadReport(const json& reply, DriverCallReport* report) {
  if (!report) return;
  if (auto a = reply.find("attempts"); a != reply.end() && a->is_number_integer()) report->attempts = a->get<int>();
  if (auto b = reply.find("backoffs_ms"); b != reply.end() && b->is_array()) {
    for (const json& ms : *b) {
      if (ms.is_number()) report->backoffs_ms.push_back(ms.get<double>());
    }
  }
  if (auto s = reply.find("sleeps_in_transaction"); s != reply.end() && s->is_number_integer()) {
    report->sleeps_in_transaction = s->get<int>();
  }
  if (auto s = reply.find("statements"); s != reply.end() && s->is_number_integer()) report->statements = s->get<std::int64_t>();
  if (auto v = reply.find("value"); v != reply.end()) report->value = v->dump();
}

json InitMessage(const DriverCase& c, const std::vector<int>& worker_ids, std::uint64_t seed) {
  json init = {{"type", "init"},
               {"protocol", 1},
               {"worker", worker_ids.empty() ? 0 : worker_ids.front()},
               {"workers", c.workers},
               {"case", c.case_name},
               {"schema", c.schema},
               {"seed", seed},
               {"probe", c.probe},
               {"retry", {{"strategy", c.retry},
                          {"max_attempts", c.max_attempts},
                          {"base_delay_ms", c.retry_base_delay_ms},
                          {"jitter", c.retry_jitter}}}};
  if (c.spec->concurrency > 1) init["concurrency"] = c.spec->concurrency;
  if (c.spec->concurrency > 1 && !c.probe) init["worker_ids"] = worker_ids;
  return init;
}

std::string ReadInitOk(const std::string& line, std::map<std::string, std::vector<std::string>>* offered,
                       int* concurrency) {
  const json reply = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!reply.is_object() || reply.value("type", "") != "init_ok") return "expected {\"type\":\"init_ok\",...}, got: " + Shorten(line);
  const auto ops = reply.find("operations");
  if (ops == reply.end() || !ops->is_object() || ops->empty()) return "init_ok needs \"operations\": {name: [strategies]}";
  offered->clear();
  for (const auto& [op, strategies] : ops->items()) {
    if (!strategies.is_array() || strategies.empty()) return "init_ok: operations." + op + " must be a non-empty array";
    for (const json& s : strategies) {
      if (!s.is_string()) return "init_ok: operations." + op + " must hold strategy names (strings)";
      (*offered)[op].push_back(s.get<std::string>());
    }
  }
  *concurrency = 1;
  if (const auto k = reply.find("concurrency"); k != reply.end()) {
    // Not an error in itself: a driver only has to say it when the scenario asks for calls at once.
    const bool valid = k->is_number_integer() && k->get<std::int64_t>() >= 1;
    *concurrency = valid ? static_cast<int>(std::min<std::int64_t>(k->get<std::int64_t>(), 1 << 20)) : 0;
  }
  return "";
}

std::string CallLine(std::int64_t id, const std::string& op, const std::string& strategy,
                     const std::string& args_json, int worker) {
  return "{\"type\":\"call\",\"id\":" + std::to_string(id) +
         (worker >= 0 ? ",\"worker\":" + std::to_string(worker) : std::string()) + ",\"op\":" + json(op).dump() +
         ",\"strategy\":" + json(strategy).dump() + ",\"args\":" + args_json + "}";
}

std::string ReplyTypeProblem(const json& reply) {
  const std::string type = reply["type"].get<std::string>();
  if (type != "ok" && type != "fail" && type != "info") {
    return "answered with type '" + Shorten(type) + "' (expected ok, fail or info)";
  }
  if (type == "ok" && reply.contains("effect") && !reply["effect"].is_boolean()) {
    return "answered ok with an \"effect\" that is not true or false";
  }
  return "";
}

void ApplyReply(const json& reply, const std::string& who, DriverCallReport* report) {
  ReadReport(reply, report);
  const std::string type = reply["type"].get<std::string>();
  if (type == "ok") {
    if (!reply.contains("effect") || reply["effect"].get<bool>()) return;
    throw CallTookNoEffect(who + " said the call took no effect");
  }
  std::string sqlstate;
  const std::string message = ErrorText(reply, &sqlstate);
  const std::string text = (sqlstate.empty() ? "" : "[" + sqlstate + "] ") + message;
  if (type == "fail" && reply.value("expected", false) == true) throw DriverCallRefused(sqlstate, text);
  if (type == "fail") throw DriverCallFailed(sqlstate, text);
  throw DriverCallInDoubt(message);
}

}  // namespace ledgerstress
