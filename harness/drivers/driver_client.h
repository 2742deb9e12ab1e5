#ifndef LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_CLIENT_H_
#define LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/drivers/driver_process.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

class SharedDriver;

// What every worker's driver of one case shares.
struct DriverCase {
  const DriverSpec* spec = nullptr;
  std::vector<std::string> env;  // the whole environment but PGAPPNAME and LEDGERSTRESS_WORKER/SEED
  std::string case_name;
  std::string schema;
  int workers = 0;
  std::string log_dir;  // holds w<i>.stderr; created by the caller
  bool probe = false;   // started only to learn what it offers, before any case runs
  // The case's retry settings, sent in init so that a driver that retries
  // by itself follows the schedule retry_discipline judges it against.
  std::string retry = "none";
  int max_attempts = 3;
  std::int64_t retry_base_delay_ms = 100;
  bool retry_jitter = true;
  // spec->concurrency > 1 (not the probe): the processes the workers
  // share, shared[i] serving workers i*concurrency .. i*concurrency +
  // concurrency - 1. Last: destroyed (its processes killed) first.
  std::vector<std::shared_ptr<SharedDriver>> shared;
};

// The driver could not be started or could not get through init: the case
// is an error. what() names the driver and worker, what went wrong, and
// the last lines of its stderr.
class DriverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A call the driver answered `fail` (definite: nothing took effect).
class DriverCallFailed : public std::runtime_error {
 public:
  DriverCallFailed(std::string sqlstate, const std::string& message)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// A call the driver answered `fail` with `"expected": true`: a business
// rule said no (insufficient funds, sold out). Nothing took effect; the
// outcome is `expected`, not an error.
class DriverCallRefused : public DriverCallFailed {
 public:
  using DriverCallFailed::DriverCallFailed;
};

// A call whose effect is unknown: the driver answered `info`, or it
// misbehaved while the call was in flight (then the message says how).
// Resolved by the call's key after the case, like an in-doubt commit.
class DriverCallInDoubt : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a driver reported of one call besides its outcome (optional fields
// of the reply; docs/driver-protocol.md).
struct DriverCallReport {
  int attempts = 0;                 // 0: not reported
  std::vector<double> backoffs_ms;  // the sleeps between attempts
  int sleeps_in_transaction = 0;
  std::int64_t statements = -1;     // -1: not reported
  std::string value;                // the reply's "value", as JSON ("" when none)
};

// One worker's driver process, spoken to in ledgerstress.driver/1. A
// driver that misbehaves during a call (dies, hangs past call_timeout,
// writes a line that is not the protocol or longer than 1 MiB, answers
// another id) is killed; the call is in doubt (DriverCallInDoubt) and the
// next call starts a new process first, backing off from 100 ms to 5 s.
// With the driver's concurrency above 1 (and not the probe) the worker's
// calls go to the process in DriverCase::shared that serves it instead
// (SharedDriver), with the same outcomes; Shutdown leaves it.
// One thread at a time.
class DriverClient {
 public:
  DriverClient(const DriverCase& c, int worker, std::string application_name, std::uint64_t seed,
               std::function<bool()> stopped);
  ~DriverClient();

  // Starts the process and completes init. Throws DriverError.
  void Start();
  // The operations and strategies init_ok offered.
  const std::map<std::string, std::vector<std::string>>& offered() const;
  // The calls at once init_ok offered ("concurrency"; 1 when absent).
  int offered_concurrency() const { return offered_concurrency_; }

  // Sends one call; returns normally on `ok`, throws DriverCallFailed on
  // `fail` and DriverCallInDoubt on `info` or misbehaviour, DriverError when
  // a restart cannot get through init. `args_json` is a JSON object.
  void Call(const std::string& op, const std::string& strategy, const std::string& args_json,
            DriverCallReport* report);

  // Sends shutdown, waits up to a second for the process to exit, kills it.
  void Shutdown();
  int restarts() const { return restarts_; }
  std::string stderr_path() const;

 private:
  void Restart();
  void Handshake();  // init -> init_ok
  [[noreturn]] void FailInit(const std::string& what);
  [[noreturn]] void Misbehaved(const std::string& what);
  std::string Who() const;

  const DriverCase& case_;
  int worker_;
  std::string application_name_;
  std::uint64_t seed_;
  std::function<bool()> stopped_;
  std::unique_ptr<DriverProcess> process_;
  SharedDriver* shared_ = nullptr;  // owned by case_; null: a process of its own
  bool left_ = false;               // shared_->Leave() was called
  std::map<std::string, std::vector<std::string>> offered_;
  int offered_concurrency_ = 1;
  std::int64_t next_id_ = 1;
  int restarts_ = 0;
  std::chrono::milliseconds backoff_{100};
  std::chrono::steady_clock::time_point restart_at_{};
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_CLIENT_H_
