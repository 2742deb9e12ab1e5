#include "harness/engine/explore_run.h"

#include <algorithm>
#include <deque>
#include <map>
#include <stdexcept>

#include "harness/engine/outcome.h"
#include "harness/operations/sql_text.h"

namespace ledgerstress {

struct ScheduleRunner::State {
  int next = 0;       // the next step to send
  int in_flight = -1;  // the step sent whose reply has not been read
  bool waiting = false;
  bool failed = false;  // the current call failed: skip to its ROLLBACK
  std::vector<std::string> values;  // the current call's slots: params, then gset columns
  std::vector<char> null;
};

namespace {

using Clock = std::chrono::steady_clock;

bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// The statement with its values written in as literals (NULL for an absent gset column).
std::string WithLiterals(const SqlStatement& st, const std::vector<std::string>& values, const std::vector<char>& null) {
  std::map<std::string, std::string> literals;
  for (std::size_t k = 0; k < st.slots.size(); ++k) {
    literals[st.names[k]] = null[st.slots[k]] ? "NULL" : QuoteLiteral(values[st.slots[k]]);
  }
  return SubstituteLiterals(st.sql, literals);
}

std::string ResultText(const StepReply& r) {
  if (!r.ok) return "error " + r.sqlstate + ": " + r.message;
  if (r.command.rfind("SELECT", 0) == 0) return std::to_string(r.rows) + (r.rows == 1 ? " row" : " rows");
  return r.command;
}

// How a failed step ends its call, by the operation's rules.
ExploreCallEnd Failure(const SqlOperation& op, const StepReply& r) {
  if (Has(op.success_sqlstates, r.sqlstate)) return ExploreCallEnd{"ok", r.sqlstate, r.message};
  if (Has(op.expected_sqlstates, r.sqlstate)) return ExploreCallEnd{"expected", r.sqlstate, r.message};
  return ExploreCallEnd{OutcomeName(OutcomeOfSqlstate(r.sqlstate)), r.sqlstate, r.message};
}

// A statement's `rows` and gset rules on a reply that succeeded: "" when they hold.
std::string RuleBroken(const SqlStatement& st, const StepReply& r, std::string* outcome) {
  if (st.rows >= 0 && r.rows != st.rows) {
    *outcome = st.otherwise == SqlStatement::Otherwise::kNoEffect ? "no_effect"
               : st.otherwise == SqlStatement::Otherwise::kExpected ? "expected" : "other";
    return std::to_string(r.rows) + " row(s), not " + std::to_string(st.rows);
  }
  if (st.gset && r.rows != 1) {
    *outcome = "other";
    return "gset returned " + std::to_string(r.rows) + " rows; it must return exactly one";
  }
  return "";
}

}  // namespace

ScheduleRun ScheduleRunner::Run(const StepOrder& schedule) {
  std::vector<State> states(sessions_.size());
  ScheduleRun run;
  run.sql.resize(sessions_.size());
  for (std::size_t s = 0; s < sessions_.size(); ++s) {
    run.sql[s].resize((*plan_)[s].steps.size());
    run.calls.emplace_back((*plan_)[s].calls.size());
  }
  states_ = &states;
  run_ = &run;
  std::deque<int> pending(schedule.begin(), schedule.end());
  for (;;) {
    SettleWaiters();
    const auto next = std::find_if(pending.begin(), pending.end(), [&](int s) { return !states[s].waiting; });
    if (next != pending.end()) {
      const int s = *next;
      pending.erase(next);
      Start(s);
      continue;
    }
    const bool any_waiting = std::any_of(states.begin(), states.end(), [](const State& st) { return st.waiting; });
    if (!any_waiting) break;
    WaitForAny();
  }
  states_ = nullptr;
  run_ = nullptr;
  return run;
}

void ScheduleRunner::Start(int s) {
  State& st = (*states_)[s];
  const int index = st.next++;
  const ExploreStepPlan& step = (*plan_)[s].steps[index];
  const ExploreCallPlan& call = (*plan_)[s].calls[step.call];
  const SqlOperation& op = *call.op;
  std::string sql, shown;
  std::vector<std::string> values;
  if (step.kind == ExploreStepKind::kBegin) {
    st.failed = false;
    st.values = call.params;
    st.values.resize(op.slot_count());
    st.null.assign(op.slot_count(), 0);
    for (std::size_t c = op.params.size(); c < op.slot_count(); ++c) st.null[c] = 1;
    sql = shown = op.begin;
  } else if (step.kind == ExploreStepKind::kCommit) {
    sql = shown = st.failed ? "ROLLBACK" : "COMMIT";
  } else {
    const SqlStatement& stmt = op.statements[step.statement];
    shown = WithLiterals(stmt, st.values, st.null);
    if (st.failed) {
      run_->trace.push_back(ExploreStep{s + 1, op.name, shown, "skipped (the call had failed)"});
      return;
    }
    sql = shown;  // sent as written with literals: what the trace and the isolation tester show is what ran
  }
  run_->sql[s][index] = shown;
  run_->sent.emplace_back(s, index);
  run_->steps_sent++;
  sessions_[s]->Send(sql, values);
  st.in_flight = index;
  if (!Settle(s, true)) {
    st.waiting = true;
    run_->blocked = true;
    run_->trace.push_back(ExploreStep{s + 1, op.name, shown, "blocked"});
  }
}

bool ScheduleRunner::Settle(int s, bool first_wait) {
  const auto deadline = Clock::now() + give_up_;
  ExploreSession& session = *sessions_[s];
  if (!first_wait) {
    if (session.Ready(std::chrono::microseconds(0))) return Finish(s, true), true;
    if (check_->Blocked(session.pid())) return false;
  }
  for (;;) {
    if (session.Ready(std::chrono::milliseconds(1))) {
      Finish(s, !first_wait);
      return true;
    }
    if (check_->Blocked(session.pid())) return false;
    if (Clock::now() > deadline) {
      throw std::runtime_error("explore: session " + std::to_string(s + 1) + " neither returned nor waited on a lock for " +
                               std::to_string(give_up_.count()) + " ms");
    }
  }
}

void ScheduleRunner::Finish(int s, bool was_waiting) {
  State& st = (*states_)[s];
  const ExploreStepPlan& step = (*plan_)[s].steps[st.in_flight];
  const SqlOperation& op = *(*plan_)[s].calls[step.call].op;
  ExploreCallEnd& end = run_->calls[s][step.call];
  const StepReply r = sessions_[s]->Take();
  const std::string shown = run_->sql[s][st.in_flight];
  st.in_flight = -1;
  st.waiting = false;
  std::string result = ResultText(r);
  if (!r.ok) {
    run_->sqlstates.insert(r.sqlstate);
    if (!st.failed) end = Failure(op, r);
    st.failed = true;
  } else if (step.kind == ExploreStepKind::kStatement) {
    const SqlStatement& stmt = op.statements[step.statement];
    std::string outcome;
    const std::string broken = RuleBroken(stmt, r, &outcome);
    if (!broken.empty()) {
      end = ExploreCallEnd{outcome, "", broken};
      st.failed = true;
      result += " (" + broken + ")";
    } else if (stmt.gset) {
      for (std::size_t c = 0; c < op.columns.size(); ++c) {
        const auto it = r.first_row.find(op.columns[c]);
        if (it != r.first_row.end()) {
          st.values[op.params.size() + c] = it->second;
          st.null[op.params.size() + c] = 0;
        } else if (Has(r.null_columns, op.columns[c])) {
          st.null[op.params.size() + c] = 1;  // as the worker binds it: NULL, not an earlier gset's value
        }
      }
    }
  } else if (step.kind == ExploreStepKind::kCommit && r.command == "ROLLBACK" && !st.failed) {
    end = ExploreCallEnd{"other", "", "COMMIT rolled back"};
  }
  run_->trace.push_back(ExploreStep{s + 1, op.name, shown, (was_waiting ? "unblocked: " : "") + result});
}

void ScheduleRunner::SettleWaiters() {
  bool moved = true;
  while (moved) {
    moved = false;
    for (std::size_t s = 0; s < sessions_.size(); ++s) {
      if ((*states_)[s].waiting && Settle(static_cast<int>(s), false)) moved = true;
    }
  }
}

void ScheduleRunner::WaitForAny() {
  const auto deadline = Clock::now() + give_up_;
  for (;;) {
    for (std::size_t s = 0; s < sessions_.size(); ++s) {
      if ((*states_)[s].waiting && sessions_[s]->Ready(std::chrono::milliseconds(1))) {
        Finish(static_cast<int>(s), true);
        return;
      }
    }
    if (Clock::now() > deadline) {
      throw std::runtime_error("explore: every session has waited on a lock for " + std::to_string(give_up_.count()) +
                               " ms (set lock_timeout, or check the server's deadlock_timeout)");
    }
  }
}

}  // namespace ledgerstress
