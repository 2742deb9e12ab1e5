#ifndef LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_SESSION_H_
#define LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_SESSION_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/pg/target.h"

namespace ledgerstress {

// One of the explorer's sessions: its own connection, to which it sends
// one step at a time without waiting (libpq's asynchronous API), so that
// a step blocked on a lock leaves the explorer free to run the others.
// Owned and used by the case's thread only.

// What a step returned.
struct StepReply {
  bool ok = false;
  std::string sqlstate;  // "" when ok
  std::string message;   // the server's first line, when not ok
  std::string command;   // the command tag ("COMMIT", "ROLLBACK", "UPDATE 1")
  std::int64_t rows = 0;  // rows returned (SELECT) or touched (INSERT/UPDATE/DELETE)
  // The first row's columns by name (gset reads them); a NULL column is
  // in null_columns instead.
  std::map<std::string, std::string> first_row;
  std::vector<std::string> null_columns;
};

class ExploreSession {
 public:
  // Connects with `settings`. Throws InfrastructureError (as Connect).
  ExploreSession(const Target& target, const SessionSettings& settings);
  ~ExploreSession();
  ExploreSession(const ExploreSession&) = delete;
  ExploreSession& operator=(const ExploreSession&) = delete;

  int pid() const { return pid_; }
  // Sends `sql` with text values ($1 ..), without waiting for its reply.
  // REQUIRES: no step in flight. Throws std::runtime_error when libpq cannot send.
  void Send(const std::string& sql, const std::vector<std::string>& values);
  // Whether the reply of the step in flight has arrived, waiting at most
  // `wait` for it. Throws std::runtime_error when the connection broke.
  bool Ready(std::chrono::microseconds wait);
  // The reply of the step in flight. REQUIRES: Ready() said so.
  StepReply Take();
  // Between schedules: ends whatever transaction is open (ROLLBACK),
  // waiting for it, and leaves the session as fresh as a new one (DISCARD
  // ALL, then the settings again), so that nothing a call left in it (a
  // plain SET or set_config, a temporary table, a session advisory lock, a
  // PREPARE) reaches the next schedule, which `schedule` replays alone.
  // Throws std::runtime_error (InfrastructureError) when the connection broke.
  void Reset();

 private:
  Target target_;
  SessionSettings settings_;
  std::unique_ptr<settlement::Connection> conn_;
  int pid_ = 0;
  bool in_flight_ = false;
};

// Asks the server whether a session waits on a lock held by one of the
// others (pg_isolation_test_session_is_blocked, as PostgreSQL's isolation
// tester asks), from a connection of its own. Owned by the case's thread.
class BlockCheck {
 public:
  BlockCheck(const Target& target, const SessionSettings& settings, const std::vector<int>& pids);
  // Throws pqxx errors when the question cannot be asked.
  bool Blocked(int pid);

 private:
  std::unique_ptr<settlement::Connection> conn_;
  std::string pids_;  // "{1,2,3}"
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_SESSION_H_
