#include "harness/drivers/driver_client.h"

#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "harness/drivers/driver_reply.h"
#include "harness/drivers/shared_driver.h"
#include "harness/operations/no_effect.h"

namespace ledgerstress {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

}  // namespace

DriverClient::DriverClient(const DriverCase& c, int worker, std::string application_name, std::uint64_t seed,
                           std::function<bool()> stopped)
    : case_(c), worker_(worker), application_name_(std::move(application_name)), seed_(seed),
      stopped_(std::move(stopped)) {
  if (c.probe || c.spec->concurrency == 1) return;
  const std::size_t i = static_cast<std::size_t>(worker / c.spec->concurrency);
  if (worker >= 0 && i < c.shared.size()) shared_ = c.shared[i].get();
}

DriverClient::~DriverClient() {
  if (shared_ && !left_) shared_->Leave();
  if (process_) process_->Kill();
}

const std::map<std::string, std::vector<std::string>>& DriverClient::offered() const {
  return shared_ ? shared_->offered() : offered_;
}

std::string DriverClient::stderr_path() const { return case_.log_dir + "/w" + std::to_string(worker_) + ".stderr"; }

std::string DriverClient::Who() const {
  return "driver '" + case_.spec->name + "' (" + (case_.probe ? std::string("asked what it offers") : "worker " + std::to_string(worker_)) + ")";
}

void DriverClient::Start() {
  if (!case_.probe && case_.spec->concurrency > 1) {
    if (!shared_) throw DriverError(Who() + ": no shared process serves this worker (concurrency " +
                                    std::to_string(case_.spec->concurrency) + ")");
    shared_->Start(stopped_);
    return;
  }
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
  if (!process_->WriteLine(InitMessage(case_, {worker_}, seed_).dump())) FailInit("it does not read its stdin");
  std::string line;
  const auto r = process_->ReadLine(Clock::now() + case_.spec->start_timeout, stopped_, &line);
  if (r != DriverProcess::Read::kLine) {
    FailInit(std::string(ReadProblem(r)) +
             (r == DriverProcess::Read::kTimeout
                  ? " within start_timeout (" + std::to_string(case_.spec->start_timeout.count()) + " ms)"
                  : ""));
  }
  if (const std::string problem = ReadInitOk(line, &offered_, &offered_concurrency_); !problem.empty()) FailInit(problem);
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
  if (shared_) return shared_->Call(worker_, op, strategy, args_json, report, stopped_);
  if (!process_) Restart();
  const std::int64_t id = next_id_++;
  const std::string call = CallLine(id, op, strategy, args_json, /*worker=*/-1);
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
  if (shared_ && !left_) {
    left_ = true;
    shared_->Leave();
  }
  if (!process_) return;
  process_->WriteLine("{\"type\":\"shutdown\"}");
  process_->Finish(std::chrono::milliseconds(1000));
  process_.reset();
}

}  // namespace ledgerstress
