#ifndef LEDGERSTRESS_SETTLEMENT_SQL_ERRORS_H_
#define LEDGERSTRESS_SETTLEMENT_SQL_ERRORS_H_

struct pg_conn;
struct pg_result;

namespace settlement {

// Throws for a statement libpq ran and that failed, the exception libpqxx
// 6.4 throws for the same failure, so that callers catch one set of types
// whichever library sent the statement: pqxx::broken_connection when the
// connection is gone; else by SQLSTATE class (40P01 deadlock_detected,
// 40001 serialization_failure, 40003 statement_completion_unknown, other 40
// transaction_rollback, 23505 unique_violation and the other integrity
// classes, 42xxx syntax/undefined/privilege classes, 53xxx resources, ...);
// else pqxx::sql_error carrying the SQLSTATE. The message is the server's.
// Takes ownership of `res`, which may be null (libpq ran out of memory or
// lost the connection before a result).
[[noreturn]] void ThrowSqlError(pg_conn* conn, pg_result* res, const char* query);

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_SQL_ERRORS_H_
