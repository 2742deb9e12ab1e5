#ifndef LEDGERSTRESS_HARNESS_ENGINE_FIXTURES_H_
#define LEDGERSTRESS_HARNESS_ENGINE_FIXTURES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <pqxx/connection_base>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

// fixtures/schema.sql, compiled in.
extern const char* const kSchemaSql;

// The built-in schema's DDL as a case gets it: fixtures/schema.sql, then
// what each schema option set to true in `options` adds
// (saka_unique_user: the unique constraint on saka_wallet.user_id), each
// statement ending in ';' so the text can be piped into psql. Unqualified
// names: it runs in whatever schema search_path names first.
// `ledgerstress schema` prints it.
std::string BuiltinSchemaSql(const std::map<std::string, bool>& options);

struct FixtureSpec {
  std::string schema;                   // created here; must not exist yet
  std::map<std::string, bool> options;  // schema options (catalog names)
  std::int64_t users = 0;               // app_user rows to generate
  // The scenario's own schema instead of the built-in one (then options
  // and users are ignored): its SQL, then `user_fixture` (the fixture with
  // the case's variables in place).
  const UserSchema* user = nullptr;
  std::string user_fixture;
};

// The [schema] fixture of a case: its `:name`s replaced by the case's
// vars as SQL literals (strings quoted). REQUIRES: the loader checked that
// every variable it reads is set.
std::string FixtureSql(const UserSchema& schema, const std::map<std::string, CaseVar>& vars);

// The literal each of `vars` becomes in the fixture: numbers and booleans
// as written, strings quoted ('it''s').
std::map<std::string, std::string> VarLiterals(const std::map<std::string, CaseVar>& vars);

struct Fixture {
  std::int64_t first_user_id = 0;  // users are first_user_id .. +users-1
};

// Creates the case's schema with every table of the domain, applies the
// schema options and generates the users in one set-based statement (or,
// with `user`, runs the scenario's schema and fixture in it; when its
// schema comes from a `command`, only creates the schema, empty, for
// RunSchemaCommands). Runs in one
// transaction: on failure nothing is left. Throws pqxx errors; a
// schema that already exists is refused (it is not ours).
Fixture CreateFixture(pqxx::connection_base& conn, const FixtureSpec& spec);

struct CloseFixtureSpec {
  int projects = 1;            // projects to close (all rounds together)
  int escrows_per_project = 0;
  int donors = 1000;
  std::uint64_t seed = 0;      // decides the escrow amounts
};

struct CloseFixture {
  std::vector<std::int64_t> project_ids;    // FUNDING projects, escrows_per_project LOCKED escrows each
  std::vector<std::int64_t> owner_user_ids; // owner of project_ids[i] is owner_user_ids[i]
  std::int64_t background_project = 0;      // FUNDING, no escrows: background pledges go here
  std::int64_t donor_first_user = 0;        // donors are donor_first_user .. +donors-1
  int donors = 0;
  std::int64_t escrows = 0;
};

// Fills a schema made by CreateFixture for the close workload, set-based
// (a handful of statements whatever the size): the COMMISSION and FEES
// system wallets, donors with funded wallets (each holds 5000.00 beyond
// what it pledged) and three pockets each (savings, giving, reserve), one owner and wallet per project, the projects and their
// LOCKED escrows (amounts 1.00..500.00 drawn from the seed) with their
// PLEDGE and DEPOSIT transactions, balances consistent with the ledger.
// One transaction; throws pqxx errors.
CloseFixture CreateCloseFixture(pqxx::connection_base& conn, const std::string& schema,
                                const CloseFixtureSpec& spec);

// ANALYZE every table of the schema (the built-in or the scenario's own),
// so that queries run right after a workload that changed them are
// planned on fresh statistics.
void RefreshStatistics(pqxx::connection_base& conn, const std::string& schema);

// Drops a schema this run created, with everything in it.
void DropSchema(pqxx::connection_base& conn, const std::string& schema);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_FIXTURES_H_
