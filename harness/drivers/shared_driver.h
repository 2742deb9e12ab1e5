#ifndef LEDGERSTRESS_HARNESS_DRIVERS_SHARED_DRIVER_H_
#define LEDGERSTRESS_HARNESS_DRIVERS_SHARED_DRIVER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/drivers/driver_client.h"
#include "harness/drivers/driver_process.h"
#include "harness/drivers/reply_dispatcher.h"

namespace ledgerstress {

// One driver process serving several workers ([drivers.<name>] concurrency
// = k > 1), each with at most one call in flight: up to k calls at once,
// answered in any order, matched by id (ReplyDispatcher). Writes to the
// process's stdin are serialized; one reader thread per process hands its
// replies to the waiting workers.
//
// Misbehaviour ends the process and puts every call in flight in doubt
// (DriverCallInDoubt, the same message for each): it dies, writes a line
// that is not the protocol or is over 1 MiB, answers an id it was not
// asked or one twice, or one call passes call_timeout (a hung event loop
// hangs them all). The next call, from whichever worker, restarts it,
// backing off from 100 ms to 5 s, as a process of its own would be.
//
// Thread-safe: each of its workers calls Start, Call and Leave from its
// own thread. Owned by the case's DriverCase, which outlives the workers.
class SharedDriver {
 public:
  // The process serving `worker_ids` of `c` (c.concurrency > 1), its
  // sessions named `application_name`, its stderr `c.log_dir`/w<a>-<b>.stderr.
  SharedDriver(const DriverCase& c, std::vector<int> worker_ids, std::string application_name, std::uint64_t seed);
  ~SharedDriver();  // kills the process if Leave did not end it
  SharedDriver(const SharedDriver&) = delete;
  SharedDriver& operator=(const SharedDriver&) = delete;

  // Starts the process and completes init, once: later callers wait for
  // the first and share its result. Throws DriverError (the same for
  // every worker when the first start failed), also when init_ok offers
  // fewer calls at once than the driver's concurrency.
  void Start(const std::function<bool()>& stopped);
  const std::map<std::string, std::vector<std::string>>& offered() const { return offered_; }

  // Worker `worker`'s call, as DriverClient::Call (the line also carries
  // "worker"). Throws DriverError when a restart cannot get through init.
  void Call(int worker, const std::string& op, const std::string& strategy, const std::string& args_json,
            DriverCallReport* report, const std::function<bool()>& stopped);

  // One worker is done; the last sends shutdown, waits up to a second for
  // the process to exit, then kills it.
  void Leave();

  std::string stderr_path() const;
  std::string Who() const;  // "driver 'x' (workers 4-7)"
  int restarts() const { return restarts_.load(); }

 private:
  // A new process through init, started by a new reader thread (Serve),
  // which then reads its replies. Throws DriverError. REQUIRES: start_mu_
  // held, no reader running.
  void Launch(const std::function<bool()>& stopped);
  // Launch; on failure its message is kept in start_error_ (and thrown), on success started_ is set.
  void LaunchRememberingFailure(const std::function<bool()>& stopped);
  void Serve(std::promise<std::string> started, std::function<bool()> stopped);
  void StartProcess(const std::function<bool()>& stopped);  // in Serve: through init_ok
  void EnsureRunning(const std::function<bool()>& stopped);
  void ReadLoop(DriverProcess* process);
  void EndProcess(const std::string& problem);  // reader thread: reaps, closes the calls in flight
  // Any thread: signals the process `ticket` was sent to, if it still
  // runs; its reader then ends it with `problem` (the first one given).
  void Kill(const ReplyDispatcher::Ticket& ticket, const std::string& problem);
  bool Write(const ReplyDispatcher::Ticket& ticket, const std::string& line);
  // Sends shutdown (grace > 0) and has the reader wait up to `grace` for the
  // process to exit before killing it. REQUIRES: start_mu_ held.
  void Stop(std::chrono::milliseconds grace);
  [[noreturn]] void FailInit(const std::string& what);

  const DriverCase& case_;
  const std::vector<int> worker_ids_;
  const std::string application_name_;
  const std::uint64_t seed_;
  std::map<std::string, std::vector<std::string>> offered_;  // written once, by the first Start
  ReplyDispatcher calls_;

  std::mutex start_mu_;  // one Start, restart or shutdown at a time
  bool started_ = false;           // GUARDED_BY(start_mu_)
  std::string start_error_;        // GUARDED_BY(start_mu_): the first start's DriverError
  int seats_;                      // GUARDED_BY(start_mu_): workers that have not left
  std::chrono::milliseconds backoff_{100};                 // GUARDED_BY(mu_)
  std::chrono::steady_clock::time_point restart_at_{};     // GUARDED_BY(mu_)
  std::thread reader_;             // GUARDED_BY(start_mu_)

  std::mutex write_mu_;  // one line at a time on stdin; held while the process is replaced
  mutable std::mutex mu_;
  std::unique_ptr<DriverProcess> process_;  // GUARDED_BY(mu_ and write_mu_ to replace)
  bool running_ = false;     // GUARDED_BY(mu_): past init, not yet being reaped
  std::string kill_reason_;  // GUARDED_BY(mu_): why a worker ended it
  std::atomic<bool> shutting_down_{false};
  std::atomic<std::int64_t> stop_grace_ms_{0};  // how long the reader waits for a shut down process to exit
  std::atomic<int> restarts_{0};
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_DRIVERS_SHARED_DRIVER_H_
