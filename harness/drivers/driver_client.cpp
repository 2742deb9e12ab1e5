#include "harness/drivers/driver_client.h"

#include "harness/operations/no_effect.h"

#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "harness/operations/no_effect.h"

namespace ledgerstress {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

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

std::string Shorten(const std::string& s) { return s.size() > 200 ? s.substr(0, 200) + "..." : s; }

// The reply's error object, as one line ("[40P01] deadlock detected").
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

}  // namespace

DriverClient::DriverClient(const DriverCase& c, int worker, std::string application_name, std::uint64_t seed,
                           std::function<bool()> stopped)
    : case_(c), worker_(worker), application_name_(std::move(application_name)), seed_(seed),
      stopped_(std::move(stopped)) {}

DriverClient::~DriverClient() {
  if (process_) process_->Kill();
}

std::string DriverClient::stderr_path() const { return case_.log_dir + "/w" + std::to_string(worker_) + ".stderr"; }

std::string DriverClient::Who() const {
  return "driver '" + case_.spec->name + "' (" + (case_.probe ? std::string("asked what it offers") : "worker " + std::to_string(worker_)) + ")";
}

void DriverClient::Start() {
  DriverProcess::Launch launch;
  launch.argv = case_.spec->command;
  launch.cwd = case_.spec->cwd;
  launch.env = case_.env;
  launch.env.push_back("PGAPPNAME=" + application_name_);
  launch.env.push_back("LEDGERSTRESS_WORKER=" + std::to_string(worker_));
  launch.env.push_back("LEDGERSTRESS_SEED=" + std::to_string(seed_));
  launch.stderr_path = stderr_path();
  std::error_code ec;
  if (std::filesystem::file_size(stderr_path(), ec) >= static_cast<std::uintmax_t>(DriverProcess::kMaxFileBytes)) {
    std::filesystem::rename(stderr_path(), stderr_path() + ".1", ec);  // a flood: keep it, start afresh
  }
  try {
    process_ = std::make_unique<DriverProcess>(launch);
  } catch (const std::exception& e) {
    throw DriverError(Who() + " cannot be started: " + e.what());
  }
  Handshake();
}

void DriverClient::FailInit(const std::string& what) {
  process_->Finish(std::chrono::milliseconds(200));
  const std::string tail = TailOfFile(stderr_path(), 10);
  throw DriverError(Who() + " did not get through init: " + what + " (" + process_->how_it_ended() + "); " +
                    (tail.empty() ? "its stderr (" + stderr_path() + ") is empty"
                                  : "its stderr (" + stderr_path() + ") ends: " + tail));
}

void DriverClient::Handshake() {
  const json init = {{"type", "init"},
                     {"protocol", 1},
                     {"worker", worker_},
                     {"workers", case_.workers},
                     {"case", case_.case_name},
                     {"schema", case_.schema},
                     {"seed", seed_},
                     {"probe", case_.probe},
                     {"retry", {{"strategy", case_.retry},
                                {"max_attempts", case_.max_attempts},
                                {"base_delay_ms", case_.retry_base_delay_ms},
                                {"jitter", case_.retry_jitter}}}};
  if (!process_->WriteLine(init.dump())) FailInit("it does not read its stdin");
  std::string line;
  const auto r = process_->ReadLine(Clock::now() + case_.spec->start_timeout, stopped_, &line);
  if (r != DriverProcess::Read::kLine) {
    FailInit(std::string(ReadProblem(r)) +
             (r == DriverProcess::Read::kTimeout
                  ? " within start_timeout (" + std::to_string(case_.spec->start_timeout.count()) + " ms)"
                  : ""));
  }
  const json reply = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!reply.is_object() || reply.value("type", "") != "init_ok") {
    FailInit("expected {\"type\":\"init_ok\",...}, got: " + Shorten(line));
  }
  const auto ops = reply.find("operations");
  if (ops == reply.end() || !ops->is_object() || ops->empty()) FailInit("init_ok needs \"operations\": {name: [strategies]}");
  offered_.clear();
  for (const auto& [op, strategies] : ops->items()) {
    if (!strategies.is_array() || strategies.empty()) FailInit("init_ok: operations." + op + " must be a non-empty array");
    for (const json& s : strategies) {
      if (!s.is_string()) FailInit("init_ok: operations." + op + " must hold strategy names (strings)");
      offered_[op].push_back(s.get<std::string>());
    }
  }
}

void DriverClient::Misbehaved(const std::string& what) {
  process_->Finish(std::chrono::milliseconds(100));  // a driver that is exiting says how
  std::string how = process_->how_it_ended();
  process_.reset();
  std::error_code ec;
  if (std::filesystem::file_size(stderr_path(), ec) >= static_cast<std::uintmax_t>(DriverProcess::kMaxFileBytes)) {
    how += "; its stderr reached 64 MiB, the most a driver may write (" + stderr_path() + ")";
  }
  restart_at_ = Clock::now() + backoff_;
  backoff_ = std::min(2 * backoff_, std::chrono::milliseconds(5000));
  throw DriverCallInDoubt(Who() + " " + what + " (" + how + "); it will be restarted");
}

void DriverClient::Restart() {
  while (Clock::now() < restart_at_) {
    if (stopped_ && stopped_()) throw DriverCallInDoubt(Who() + " was not restarted: the run is being interrupted");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ++restarts_;
  Start();
}

void DriverClient::Call(const std::string& op, const std::string& strategy, const std::string& args_json,
                        DriverCallReport* report) {
  if (!process_) Restart();
  const std::int64_t id = next_id_++;
  const std::string call = "{\"type\":\"call\",\"id\":" + std::to_string(id) + ",\"op\":" + json(op).dump() +
                           ",\"strategy\":" + json(strategy).dump() + ",\"args\":" + args_json + "}";
  if (!process_->WriteLine(call)) Misbehaved("stopped reading its stdin");
  std::string line;
  const auto r = process_->ReadLine(Clock::now() + case_.spec->call_timeout, stopped_, &line);
  if (r != DriverProcess::Read::kLine) {
    Misbehaved(std::string(ReadProblem(r)) +
               (r == DriverProcess::Read::kTimeout ? " within call_timeout (" + std::to_string(case_.spec->call_timeout.count()) + " ms)" : ""));
  }
  const json reply = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!reply.is_object() || !reply.contains("type") || !reply["type"].is_string()) {
    Misbehaved("wrote a line that is not a protocol message: " + Shorten(line));
  }
  if (!reply.contains("id") || !reply["id"].is_number_integer() || reply["id"].get<std::int64_t>() != id) {
    Misbehaved("answered " + (reply.contains("id") ? "id " + reply["id"].dump() : "without an id") +
               " while call " + std::to_string(id) + " was in flight");
  }
  const std::string type = reply["type"].get<std::string>();
  ReadReport(reply, report);
  backoff_ = std::chrono::milliseconds(100);  // it answered in protocol: the next failure backs off from the start
  if (type == "ok") {
    if (!reply.contains("effect")) return;
    if (!reply["effect"].is_boolean()) Misbehaved("answered ok with an \"effect\" that is not true or false");
    if (reply["effect"].get<bool>()) return;
    throw CallTookNoEffect(Who() + " said the call took no effect");
  }
  std::string sqlstate;
  const std::string message = ErrorText(reply, &sqlstate);
  const std::string text = (sqlstate.empty() ? "" : "[" + sqlstate + "] ") + message;
  if (type == "fail" && reply.value("expected", false) == true) throw DriverCallRefused(sqlstate, text);
  if (type == "fail") throw DriverCallFailed(sqlstate, text);
  if (type == "info") throw DriverCallInDoubt(message);
  Misbehaved("answered with type '" + Shorten(type) + "' (expected ok, fail or info)");
}

void DriverClient::Shutdown() {
  if (!process_) return;
  process_->WriteLine("{\"type\":\"shutdown\"}");
  process_->Finish(std::chrono::milliseconds(1000));
  process_.reset();
}

}  // namespace ledgerstress
