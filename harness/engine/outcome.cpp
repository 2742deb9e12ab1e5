#include "harness/engine/outcome.h"

#include <pqxx/except>

#include "harness/drivers/driver_client.h"
#include "harness/operations/no_effect.h"
#include "harness/operations/sql_operation.h"
#include "harness/pg/dsn.h"
#include "settlement/ledger.h"

namespace ledgerstress {
namespace {

Outcome FromSqlstateImpl(const std::string& s) {
  if (s == "40P01") return Outcome::kDeadlock;
  if (s == "40001") return Outcome::kSerialization;
  if (s == "55P03") return Outcome::kLockTimeout;
  if (s == "57014") return Outcome::kQueryCanceled;
  if (s == "23505") return Outcome::kUniqueViolation;
  if (s == "25P02") return Outcome::kAbortedTransaction;
  if (s.rfind("08", 0) == 0 || s == "57P01" || s == "57P02" || s == "57P03") return Outcome::kConnectionLost;
  return Outcome::kOther;
}

}  // namespace

Outcome OutcomeOfSqlstate(const std::string& sqlstate) { return FromSqlstateImpl(sqlstate); }

const char* OutcomeName(Outcome o) {
  static const std::array<const char*, kOutcomeCount> names = {
      "ok", "deadlock", "serialization_failure", "lock_timeout", "query_canceled",
      "unique_violation", "aborted_transaction", "connection_lost", "in_doubt", "other", "expected", "no_effect"};
  return names[static_cast<std::size_t>(o)];
}

Outcome ClassifyException(const std::exception& e) {
  if (dynamic_cast<const pqxx::deadlock_detected*>(&e)) return Outcome::kDeadlock;
  if (dynamic_cast<const pqxx::serialization_failure*>(&e)) return Outcome::kSerialization;
  if (dynamic_cast<const pqxx::statement_completion_unknown*>(&e)) return Outcome::kInDoubt;
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e)) return Outcome::kInDoubt;
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) return Outcome::kConnectionLost;
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) return OutcomeOfSqlstate(sql->sqlstate());
  if (dynamic_cast<const DriverCallRefused*>(&e)) return Outcome::kExpected;
  if (const auto* d = dynamic_cast<const DriverCallFailed*>(&e)) return OutcomeOfSqlstate(d->sqlstate());
  if (dynamic_cast<const DriverCallInDoubt*>(&e)) return Outcome::kInDoubt;
  if (dynamic_cast<const ExpectedSqlFailure*>(&e)) return Outcome::kExpected;
  if (dynamic_cast<const CallTookNoEffect*>(&e)) return Outcome::kNoEffect;
  if (dynamic_cast<const settlement::ProjectNotFunding*>(&e)) return Outcome::kExpected;
  return Outcome::kOther;
}

Classified ClassifyCurrentException() {
  Classified c;
  try {
    throw;
  } catch (const pqxx::deadlock_detected& e) {
    c = {Outcome::kDeadlock, "40P01", e.what()};
  } catch (const pqxx::serialization_failure& e) {
    c = {Outcome::kSerialization, "40001", e.what()};
  } catch (const pqxx::statement_completion_unknown& e) {
    c = {Outcome::kInDoubt, "", e.what()};
  } catch (const pqxx::in_doubt_error& e) {
    c = {Outcome::kInDoubt, "", e.what()};
  } catch (const pqxx::broken_connection& e) {
    c = {Outcome::kConnectionLost, "", e.what()};
  } catch (const pqxx::sql_error& e) {
    c = {OutcomeOfSqlstate(e.sqlstate()), e.sqlstate(), e.what()};
  } catch (const DriverCallRefused& e) {
    c = {Outcome::kExpected, e.sqlstate(), e.what()};  // the driver says a business rule refused it
  } catch (const DriverCallFailed& e) {
    c = {OutcomeOfSqlstate(e.sqlstate()), e.sqlstate(), e.what()};
  } catch (const DriverCallInDoubt& e) {
    c = {Outcome::kInDoubt, "", e.what()};
  } catch (const ExpectedSqlFailure& e) {
    c = {Outcome::kExpected, e.sqlstate(), e.what()};
  } catch (const CallTookNoEffect& e) {
    c = {Outcome::kNoEffect, "", e.what()};
  } catch (const settlement::ProjectNotFunding& e) {
    // A business refusal (a pledge into a project that closed), not an error.
    c = {Outcome::kExpected, "", e.what()};
  } catch (const std::exception& e) {
    c = {Outcome::kOther, "", e.what()};
  } catch (...) {
    c = {Outcome::kOther, "", "unknown exception"};
  }
  c.message = FirstLine(c.message);
  return c;
}

}  // namespace ledgerstress
