#include "harness/drivers/shared_driver.h"

#include <filesystem>
#include <future>

#include "harness/drivers/driver_reply.h"

namespace ledgerstress {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

SharedDriver::SharedDriver(const DriverCase& c, std::vector<int> worker_ids, std::string application_name,
                           std::uint64_t seed)
    : case_(c), worker_ids_(std::move(worker_ids)), application_name_(std::move(application_name)), seed_(seed),
      seats_(static_cast<int>(worker_ids_.size())) {}

SharedDriver::~SharedDriver() {
  std::lock_guard<std::mutex> lock(start_mu_);
  Stop(std::chrono::milliseconds(0));
}

std::string SharedDriver::stderr_path() const {
  return case_.log_dir + "/w" + std::to_string(worker_ids_.front()) + "-" + std::to_string(worker_ids_.back()) +
         ".stderr";
}

std::string SharedDriver::Who() const {
  return "driver '" + case_.spec->name + "' (workers " + std::to_string(worker_ids_.front()) + "-" +
         std::to_string(worker_ids_.back()) + ")";
}

void SharedDriver::Start(const std::function<bool()>& stopped) {
  std::lock_guard<std::mutex> lock(start_mu_);
  if (!start_error_.empty()) throw DriverError(start_error_);
  if (started_) return;
  LaunchRememberingFailure(stopped);
}

void SharedDriver::LaunchRememberingFailure(const std::function<bool()>& stopped) {
  try {
    Launch(stopped);
  } catch (const DriverError& e) {
    start_error_ = e.what();
    throw;
  }
  started_ = true;
}

void SharedDriver::FailInit(const std::string& what) {
  process_->Finish(std::chrono::milliseconds(200));
  const std::string tail = TailOfFile(stderr_path(), 10);
  throw DriverError(Who() + " did not get through init: " + what + " (" + process_->how_it_ended() + "); " +
                    (tail.empty() ? "its stderr (" + stderr_path() + ") is empty"
                                  : "its stderr (" + stderr_path() + ") ends: " + tail));
}

void SharedDriver::StartProcess(const std::function<bool()>& stopped) {
  DriverProcess::Launch launch{case_.spec->command, case_.spec->cwd, case_.env, stderr_path()};
  launch.env.push_back("PGAPPNAME=" + application_name_);
  launch.env.push_back("LEDGERSTRESS_WORKER=" + std::to_string(worker_ids_.front()));
  launch.env.push_back("LEDGERSTRESS_SEED=" + std::to_string(seed_));
  std::error_code ec;
  if (std::filesystem::file_size(stderr_path(), ec) >= static_cast<std::uintmax_t>(DriverProcess::kMaxFileBytes)) {
    std::filesystem::rename(stderr_path(), stderr_path() + ".1", ec);  // a flood: keep it, start afresh
  }
  std::unique_ptr<DriverProcess> p;
  try {
    p = std::make_unique<DriverProcess>(launch);
  } catch (const std::exception& e) {
    throw DriverError(Who() + " cannot be started: " + e.what());
  }
  {
    std::lock_guard<std::mutex> w(write_mu_);
    std::lock_guard<std::mutex> lock(mu_);
    process_ = std::move(p);  // no reader and no writer: running_ is false
  }
  if (!process_->WriteLine(InitMessage(case_, worker_ids_, seed_).dump())) FailInit("it does not read its stdin");
  std::string line;
  const auto r = process_->ReadLine(Clock::now() + case_.spec->start_timeout, stopped, &line);
  if (r != DriverProcess::Read::kLine) {
    FailInit(std::string(ReadProblem(r)) +
             (r == DriverProcess::Read::kTimeout
                  ? " within start_timeout (" + std::to_string(case_.spec->start_timeout.count()) + " ms)"
                  : ""));
  }
  std::map<std::string, std::vector<std::string>> offered;
  int takes = 1;
  if (const std::string problem = ReadInitOk(line, &offered, &takes); !problem.empty()) FailInit(problem);
  if (takes < case_.spec->concurrency) FailInit(ConcurrencyShortfall(*case_.spec, takes));
  if (!started_) offered_ = std::move(offered);
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = true;
    kill_reason_.clear();
  }
  calls_.Open();
}

void SharedDriver::Serve(std::promise<std::string> started, std::function<bool()> stopped) {
  try {
    StartProcess(stopped);
  } catch (const DriverError& e) {
    started.set_value(e.what());
    return;
  }
  DriverProcess* process = process_.get();
  started.set_value("");
  ReadLoop(process);
}

void SharedDriver::Launch(const std::function<bool()>& stopped) {
  // A process dies with the thread that started it (PR_SET_PDEATHSIG), and
  // the worker that first calls may finish long before the others: its
  // reader thread, which lives exactly as long as it, starts it.
  std::promise<std::string> started;
  std::future<std::string> result = started.get_future();
  reader_ = std::thread(&SharedDriver::Serve, this, std::move(started), stopped);
  const std::string error = result.get();
  if (error.empty()) return;
  reader_.join();
  throw DriverError(error);
}

void SharedDriver::EnsureRunning(const std::function<bool()>& stopped) {
  std::lock_guard<std::mutex> lock(start_mu_);
  if (!start_error_.empty()) throw DriverError(start_error_);
  {
    std::lock_guard<std::mutex> l(mu_);
    if (running_) return;
  }
  // The reader ends the process (and sets restart_at_) before it returns.
  if (reader_.joinable()) reader_.join();
  for (;;) {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (Clock::now() >= restart_at_) break;
    }
    if (stopped && stopped()) throw DriverCallInDoubt(Who() + " was not restarted: the run is being interrupted");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (started_) ++restarts_;
  LaunchRememberingFailure(stopped);
}

bool SharedDriver::Write(const ReplyDispatcher::Ticket& ticket, const std::string& line) {
  std::lock_guard<std::mutex> w(write_mu_);
  if (!calls_.IsCurrent(ticket)) return true;  // its process ended meanwhile: Await says how
  return process_->WriteLine(line);            // replaced only under write_mu_
}

void SharedDriver::Kill(const ReplyDispatcher::Ticket& ticket, const std::string& problem) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!running_ || !calls_.IsCurrent(ticket)) return;  // already ending, or another process
  if (kill_reason_.empty()) kill_reason_ = problem;
  process_->Signal();  // the reader sees EOF and ends it with kill_reason_
}

void SharedDriver::Call(int worker, const std::string& op, const std::string& strategy, const std::string& args_json,
                        DriverCallReport* report, const std::function<bool()>& stopped) {
  ReplyDispatcher::Ticket ticket;
  while (ticket.id == 0) {  // refused only when the process died since EnsureRunning
    EnsureRunning(stopped);
    ticket = calls_.Expect();
  }
  if (!Write(ticket, CallLine(ticket.id, op, strategy, args_json, worker))) Kill(ticket, "stopped reading its stdin");
  json reply;
  std::string problem;
  const auto timeout = case_.spec->call_timeout;
  switch (calls_.Await(ticket, Clock::now() + timeout, stopped, &reply, &problem)) {
    case ReplyDispatcher::Wait::kReply: {
      std::lock_guard<std::mutex> lock(mu_);
      backoff_ = std::chrono::milliseconds(100);  // it answered in protocol: the next failure backs off from the start
    }
      ApplyReply(reply, Who(), report);
      return;
    case ReplyDispatcher::Wait::kClosed: throw DriverCallInDoubt(problem);
    case ReplyDispatcher::Wait::kTimeout:
      Kill(ticket, "did not answer call " + std::to_string(ticket.id) + " within call_timeout (" +
                       std::to_string(timeout.count()) + " ms)");
      break;
    case ReplyDispatcher::Wait::kStopped: Kill(ticket, "was stopped: the run is being interrupted"); break;
  }
  throw DriverCallInDoubt(calls_.AwaitClose(ticket));
}

void SharedDriver::ReadLoop(DriverProcess* process) {
  std::string line;
  for (;;) {
    const auto r = process->ReadLine(Clock::now() + std::chrono::hours(1), [this] { return shutting_down_.load(); },
                                     &line);
    if (shutting_down_.load()) {
      // Reaped here, not by Stop(): the process dies with this thread (PR_SET_PDEATHSIG),
      // so the thread must outlive its graceful exit.
      std::lock_guard<std::mutex> w(write_mu_);
      process->Finish(std::chrono::milliseconds(stop_grace_ms_.load()));
      return;
    }
    if (r == DriverProcess::Read::kTimeout) continue;
    if (r != DriverProcess::Read::kLine) return EndProcess(ReadProblem(r));
    if (const std::string problem = calls_.Deliver(line); !problem.empty()) return EndProcess(problem);
  }
}

void SharedDriver::EndProcess(const std::string& problem) {
  std::string why = problem;
  bool ours = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = false;  // from here on nobody signals it: it is being reaped
    if (!kill_reason_.empty()) why = kill_reason_, ours = true;
  }
  std::lock_guard<std::mutex> w(write_mu_);  // no line is being written when the pipes close
  process_->Finish(std::chrono::milliseconds(100));  // a driver that is exiting says how
  std::string how = ours ? "killed by the harness" : process_->how_it_ended();
  std::error_code ec;
  if (std::filesystem::file_size(stderr_path(), ec) >= static_cast<std::uintmax_t>(DriverProcess::kMaxFileBytes)) {
    how += "; its stderr reached 64 MiB, the most a driver may write (" + stderr_path() + ")";
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    restart_at_ = Clock::now() + backoff_;
    backoff_ = std::min(2 * backoff_, std::chrono::milliseconds(5000));
  }
  calls_.Close(Who() + " " + why + " (" + how + "); every call in flight is in doubt; it will be restarted");
}

void SharedDriver::Stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = false;
  }
  stop_grace_ms_ = grace.count();
  shutting_down_ = true;  // before the shutdown line: its EOF is not a crash
  if (process_ && grace.count() > 0) {
    std::lock_guard<std::mutex> w(write_mu_);
    process_->WriteLine("{\"type\":\"shutdown\"}");
  }
  if (reader_.joinable()) {
    reader_.join();  // the reader waits up to `grace` for the process to exit, then kills it
  } else if (process_) {
    std::lock_guard<std::mutex> w(write_mu_);
    process_->Finish(grace);
  }
  calls_.Close(Who() + " was shut down");
}

void SharedDriver::Leave() {
  std::lock_guard<std::mutex> lock(start_mu_);
  if (--seats_ == 0) Stop(std::chrono::milliseconds(1000));
}

}  // namespace ledgerstress
