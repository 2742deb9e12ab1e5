#ifndef LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_RUN_H_
#define LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_RUN_H_

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "harness/engine/explore_plan.h"
#include "harness/engine/explore_schedules.h"
#include "harness/engine/explore_session.h"
#include "model/run_result.h"

namespace ledgerstress {

// Runs one schedule of the explorer's planned steps on its sessions.
//
// The schedule says in which order the sessions take their steps. A step
// is sent, then the runner waits for its reply or for the server to say
// the session waits on a lock held by another of them (BlockCheck); a
// waiting session's later steps are deferred (the next step of the
// schedule that belongs to a session not waiting runs instead), and after
// every step the waiting sessions are asked again, as PostgreSQL's
// isolation tester does, so a step that a COMMIT released returns before
// anything else is sent. When every session with steps left waits, the
// runner waits for one of them (a deadlock the server breaks after its
// deadlock_timeout, or a lock_timeout / statement_timeout).
//
// A call whose step failed (an error, a `rows` rule, a gset that did not
// return one row) skips its remaining statements and ends with ROLLBACK
// at its COMMIT step, holding its locks until then.
//
// Owned by the case's thread.

// How one call of a schedule ended.
struct ExploreCallEnd {
  std::string outcome = "ok";  // an outcome name (harness/engine/outcome.h)
  std::string sqlstate;
  std::string message;
};

// What one schedule did.
struct ScheduleRun {
  std::vector<ExploreStep> trace;
  // The steps in the order they were sent, as (session, step index): the
  // isolation tester's permutation.
  std::vector<std::pair<int, int>> sent;
  // sql[s][i]: step i of session s as sent, its values as literals ("" when skipped).
  std::vector<std::vector<std::string>> sql;
  std::vector<std::vector<ExploreCallEnd>> calls;  // [session][call]
  std::set<std::string> sqlstates;  // raised by some step
  bool blocked = false;             // some step waited on a lock
  std::uint64_t steps_sent = 0;
};

class ScheduleRunner {
 public:
  // REQUIRES: sessions[i] runs plan[i]; every pointer outlives the runner.
  // `give_up`: how long every session may wait before the schedule is an
  // error (the case's statement_timeout and a margin).
  ScheduleRunner(std::vector<ExploreSession*> sessions, BlockCheck* check, const std::vector<ExploreSessionPlan>* plan,
                 std::chrono::milliseconds give_up)
      : sessions_(std::move(sessions)), check_(check), plan_(plan), give_up_(give_up) {}

  // Throws std::runtime_error when a session's connection breaks or
  // nothing moves for give_up.
  ScheduleRun Run(const StepOrder& schedule);

 private:
  struct State;
  void Start(int s);
  bool Settle(int s, bool first_wait);  // true: the step in flight returned
  void Finish(int s, bool was_waiting);
  void SettleWaiters();
  void WaitForAny();

  std::vector<ExploreSession*> sessions_;
  BlockCheck* check_;
  const std::vector<ExploreSessionPlan>* plan_;
  std::chrono::milliseconds give_up_;
  std::vector<State>* states_ = nullptr;
  ScheduleRun* run_ = nullptr;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_RUN_H_
