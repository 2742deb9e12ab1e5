#ifndef LEDGERSTRESS_HARNESS_INVARIANTS_INVARIANTS_H_
#define LEDGERSTRESS_HARNESS_INVARIANTS_INVARIANTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection_base>

#include "harness/invariants/client_history.h"

#include "harness/invariants/sql_invariant.h"
#include "model/run_result.h"

namespace ledgerstress {

// What some invariants need to know about the case.
struct InvariantParams {
  std::int64_t commission_rate_ppm = 50000;  // release_split_exact
  std::int64_t fee_rate_ppm = 29000;
  const ClientHistory* history = nullptr;  // acknowledged_writes_durable
};

// Checks the invariant `name` (a catalog name) by SQL against the schema on
// the connection's search_path, after the workload has stopped. Never throws
// for a database error: the result's status is then "error" with the cause.
// A violation carries its count and at most 10 sample rows.
InvariantResult CheckInvariant(pqxx::connection_base& conn, const std::string& name,
                               const InvariantParams& params = {});

// Individual checks (they throw pqxx errors; CheckInvariant catches them).
InvariantResult CheckOneWalletPerUser(pqxx::connection_base& conn);
InvariantResult CheckNoStrandedEscrow(pqxx::connection_base& conn);
InvariantResult CheckReleaseSplitExact(pqxx::connection_base& conn, const InvariantParams& params);
InvariantResult CheckMoneyConserved(pqxx::connection_base& conn);
InvariantResult CheckBalancesMatchLedger(pqxx::connection_base& conn);
InvariantResult CheckNoNegativeBalance(pqxx::connection_base& conn);
InvariantResult CheckIdempotent(pqxx::connection_base& conn);
// Every call the client saw succeed is in the database exactly once, every
// call that failed left nothing; in-doubt calls are resolved by their key
// and counted apart (details: in_doubt_committed, in_doubt_absent).
InvariantResult CheckAcknowledgedWritesDurable(pqxx::connection_base& conn, const ClientHistory& history);

// Each allocation (a DEPOSIT with ALLOCATION rows on the wallet's pockets,
// in one transaction) credited every pocket exactly the part the largest
// remainder method gives for the built-in weights (kAllocationWeights, by
// pocket id). An allocation's pocket credits are those its DEPOSIT's
// transaction wrote (xmin), or, written in a savepoint (another xid), the
// wallet's pocket credits between the DEPOSIT and the wallet's next one.
InvariantResult CheckAllocationSplitExact(pqxx::connection_base& conn);

// The race workload's returns (ClientHistory::returns): every call for one
// user returned the same wallet id, and it is that user's SAKA wallet.
// nullopt when no call reported what it returned.
std::optional<CheckResult> CheckRaceReturns(pqxx::connection_base& conn, const ClientHistory& history);

// A scenario's [[sql_invariant]]: its query in a read-only transaction, as
// one statement (the extended protocol refuses a second one, so the query
// cannot commit its way out of the read-only transaction). Holds when it
// returns no row, or, with `expect`, exactly one row whose first value's text
// is `expect`. Samples: the first 10 rows.
InvariantResult CheckSqlInvariant(pqxx::connection_base& conn, const SqlInvariant& invariant);

// Checks that every [[sql_invariant]] of `sql` runs, executing each as
// CheckSqlInvariant would (with a 10 s statement timeout) on a connection
// whose search_path is a schema of empty tables (fixtures/schema.sql).
// Returns "file:line:col: sql_invariant 'name': the server refused the
// query: ..." for the first that fails (syntax, unknown table or column, a
// write, more than one statement), or "" when every one ran; the caller
// makes a scenario error of it.
std::string SqlInvariantRefusal(pqxx::connection_base& conn, const std::vector<SqlInvariant>& sql);

// Up to 10 rows of `r` as the result's samples (columns named after r's).
constexpr int kMaxSamples = 10;
void AddSamples(const pqxx::result& r, InvariantResult* out);

// Runs `violations_sql` (a SELECT listing one row per violation): the
// result counts its rows and keeps the first 10 as samples. `held` and
// `violated` are the messages ("%d" in `violated` becomes the count).
InvariantResult FromViolationQuery(pqxx::connection_base& conn, const std::string& name,
                                   const std::string& violations_sql, const std::string& held,
                                   const std::string& violated);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_INVARIANTS_INVARIANTS_H_
