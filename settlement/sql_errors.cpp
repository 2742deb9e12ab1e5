#include "settlement/sql_errors.h"

#include <cstring>
#include <string>

#include <libpq-fe.h>
#include <pqxx/except>

namespace settlement {
namespace {

bool Is(const std::string& state, const char* code) { return state == code; }

[[noreturn]] void ThrowByState(const std::string& msg, const std::string& q, const std::string& state) {
  const char* s = state.c_str();
  const std::string cls = state.substr(0, 2);
  if (cls == "08") throw pqxx::broken_connection(msg);
  if (cls == "0A") throw pqxx::feature_not_supported(msg, q, s);
  if (cls == "22") throw pqxx::data_exception(msg, q, s);
  if (cls == "23") {
    if (Is(state, "23001")) throw pqxx::restrict_violation(msg, q, s);
    if (Is(state, "23502")) throw pqxx::not_null_violation(msg, q, s);
    if (Is(state, "23503")) throw pqxx::foreign_key_violation(msg, q, s);
    if (Is(state, "23505")) throw pqxx::unique_violation(msg, q, s);
    if (Is(state, "23514")) throw pqxx::check_violation(msg, q, s);
    throw pqxx::integrity_constraint_violation(msg, q, s);
  }
  if (cls == "24") throw pqxx::invalid_cursor_state(msg, q, s);
  if (cls == "26") throw pqxx::invalid_sql_statement_name(msg, q, s);
  if (cls == "34") throw pqxx::invalid_cursor_name(msg, q, s);
  if (cls == "40") {
    // libpqxx 6.4's rollback classes carry no SQLSTATE.
    if (Is(state, "40001")) throw pqxx::serialization_failure(msg);
    if (Is(state, "40003")) throw pqxx::statement_completion_unknown(msg);
    if (Is(state, "40P01")) throw pqxx::deadlock_detected(msg);
    throw pqxx::transaction_rollback(msg);
  }
  if (cls == "42") {
    if (Is(state, "42501")) throw pqxx::insufficient_privilege(msg, q, s);
    if (Is(state, "42601")) throw pqxx::syntax_error(msg, q, s);
    if (Is(state, "42703")) throw pqxx::undefined_column(msg, q, s);
    if (Is(state, "42883")) throw pqxx::undefined_function(msg, q, s);
    if (Is(state, "42P01")) throw pqxx::undefined_table(msg, q, s);
  }
  if (cls == "53") {
    if (Is(state, "53100")) throw pqxx::disk_full(msg, q, s);
    if (Is(state, "53200")) throw pqxx::out_of_memory(msg, q, s);
    if (Is(state, "53300")) throw pqxx::too_many_connections(msg);
    throw pqxx::insufficient_resources(msg, q, s);
  }
  if (cls == "P0") {
    if (Is(state, "P0001")) throw pqxx::plpgsql_raise(msg, q, s);
    if (Is(state, "P0002")) throw pqxx::plpgsql_no_data_found(msg, q, s);
    if (Is(state, "P0003")) throw pqxx::plpgsql_too_many_rows(msg, q, s);
    throw pqxx::plpgsql_error(msg, q, s);
  }
  throw pqxx::sql_error(msg, q, state.empty() ? nullptr : s);
}

}  // namespace

void ThrowSqlError(pg_conn* conn, pg_result* res, const char* query) {
  std::string msg, state;
  const bool had_result = res != nullptr;
  if (res) {
    msg = PQresultErrorMessage(res);
    if (const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE)) state = s;
    PQclear(res);
  }
  if (msg.empty()) msg = PQerrorMessage(conn);
  // A connection that is gone is lost whatever the last message said (a
  // terminated backend sends 57P01 on its way out).
  if (PQstatus(conn) != CONNECTION_OK) throw pqxx::broken_connection(msg);
  if (!had_result) throw pqxx::failure(msg);
  ThrowByState(msg, query, state);
}

}  // namespace settlement
