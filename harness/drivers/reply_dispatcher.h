#ifndef LEDGERSTRESS_HARNESS_DRIVERS_REPLY_DISPATCHER_H_
#define LEDGERSTRESS_HARNESS_DRIVERS_REPLY_DISPATCHER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace ledgerstress {

// The calls in flight on one shared driver process, and the matching of
// its reply lines to them by id. No I/O: the process's reader thread hands
// it lines (Deliver), the calling workers wait on their own id (Await).
// Ids come from one counter that never restarts, so an id is never reused,
// not even by the process started after a restart.
//
// Thread-safe: every member may be called from any thread.
class ReplyDispatcher {
 public:
  struct Ticket {
    std::int64_t id = 0;      // 0: refused (the process is gone; see Await's kClosed text)
    std::uint64_t epoch = 0;  // the process this call is for (Open() counts them)
  };

  // A new id, waited for from now on, for the current process. Refused
  // (id 0) while closed.
  Ticket Expect();

  // Reader thread: hands `line` to the call it answers. Returns "" when it
  // was delivered, else how the line breaks the protocol (the process is
  // misbehaving: the caller ends it and Close()s): not a JSON object with
  // a string type; no integer id; an id not asked of this process; an id
  // answered before; a type other than ok/fail/info; a non-boolean effect.
  std::string Deliver(const std::string& line);

  enum class Wait { kReply, kClosed, kTimeout, kStopped };
  // Waits for the reply to `ticket` until `deadline`, polling `stopped`
  // (may be empty) every 50 ms. kReply: *reply holds it (a JSON object
  // that passed Deliver's checks). kClosed: *problem says why the process
  // ended. kTimeout and kStopped leave the call registered: the caller
  // ends the process and then calls AwaitClose. A refused ticket is
  // kClosed at once.
  Wait Await(const Ticket& ticket, std::chrono::steady_clock::time_point deadline,
             const std::function<bool()>& stopped, nlohmann::json* reply, std::string* problem);
  // After kTimeout or kStopped: waits until Close() (the caller has ended
  // the process, so it comes) and returns its problem; a reply that came
  // meanwhile is ignored: the call is in doubt either way.
  std::string AwaitClose(const Ticket& ticket);

  // Every call still waiting ends with `problem` (kClosed), and so do
  // Expect()s until Open(). Idempotent: the first problem is kept.
  void Close(const std::string& problem);
  // A new process is ready: Expect() gives ids for it again.
  void Open();

  // The epoch of the current process (valid for writing a ticket's line
  // only while open and equal to the ticket's).
  bool IsCurrent(const Ticket& ticket) const;
  // Calls waiting for a reply now.
  std::size_t in_flight() const;

 private:
  struct Slot {
    bool answered = false;
    bool closed = false;
    nlohmann::json reply;
    std::string problem;  // when closed
  };
  std::string Pending() const;  // " (calls 3, 4 in flight)"; REQUIRES: mu_ held

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::int64_t, Slot> slots_;  // GUARDED_BY(mu_)
  std::int64_t next_id_ = 1;            // GUARDED_BY(mu_)
  std::int64_t epoch_first_id_ = 1;     // GUARDED_BY(mu_): ids below were asked of an earlier process
  std::uint64_t epoch_ = 0;             // GUARDED_BY(mu_)
  bool open_ = false;                   // GUARDED_BY(mu_)
  std::string closed_because_ = "the driver process is not running";  // GUARDED_BY(mu_)
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_DRIVERS_REPLY_DISPATCHER_H_
