#ifndef LEDGERSTRESS_HARNESS_ENGINE_OUTCOME_H_
#define LEDGERSTRESS_HARNESS_ENGINE_OUTCOME_H_

#include <array>
#include <string>

namespace ledgerstress {

// How one call ended, classified by exception type and SQLSTATE, never by
// message text (libpqxx 6.4's rollback exceptions carry no SQLSTATE, so the
// type decides for those).
enum class Outcome {
  kOk,
  kDeadlock,             // 40P01, pqxx::deadlock_detected
  kSerialization,        // 40001, pqxx::serialization_failure
  kLockTimeout,          // 55P03
  kQueryCanceled,        // 57014: statement_timeout or a cancel request
  kUniqueViolation,      // 23505
  kAbortedTransaction,   // 25P02: statement in a transaction already aborted
  kConnectionLost,       // pqxx::broken_connection, class 08, 57P01..57P03
  kInDoubt,              // pqxx::in_doubt_error / statement_completion_unknown
  kOther,                // anything else, including application errors
  kExpected,             // a business rule said no (not an error): an SQL operation's `expected` SQLSTATE, a pledge into a closed project
  kNoEffect,             // ended well, took no effect (CallTookNoEffect): nothing under its key
};
constexpr std::size_t kOutcomeCount = 12;

// Stable names used in reports: "ok", "deadlock", "serialization_failure",
// "lock_timeout", "query_canceled", "unique_violation",
// "aborted_transaction", "connection_lost", "in_doubt", "other", "expected", "no_effect".
const char* OutcomeName(Outcome o);

struct Classified {
  Outcome outcome = Outcome::kOther;
  std::string sqlstate;  // "" when the exception carries none
  std::string message;   // first line of what(), for samples only
};

// The outcome class of an error the server raised with `sqlstate` (kOther
// for any SQLSTATE without a class of its own).
Outcome OutcomeOfSqlstate(const std::string& sqlstate);

// Classifies the exception being handled. REQUIRES: called inside a catch
// block (it rethrows and catches the current exception).
Classified ClassifyCurrentException();

// The outcome class of an exception object, by its dynamic type (and
// SQLSTATE for sql_error), without throwing it.
Outcome ClassifyException(const std::exception& e);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_OUTCOME_H_
