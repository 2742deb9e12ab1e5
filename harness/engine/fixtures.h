#ifndef LEDGERSTRESS_HARNESS_ENGINE_FIXTURES_H_
#define LEDGERSTRESS_HARNESS_ENGINE_FIXTURES_H_

#include <cstdint>
#include <map>
#include <string>

#include <pqxx/connection_base>

namespace ledgerstress {

// fixtures/schema.sql, compiled in.
extern const char* const kSchemaSql;

struct FixtureSpec {
  std::string schema;                   // created here; must not exist yet
  std::map<std::string, bool> options;  // schema options (catalog names)
  std::int64_t users = 0;               // app_user rows to generate
};

struct Fixture {
  std::int64_t first_user_id = 0;  // users are first_user_id .. +users-1
};

// Creates the case's schema with every table of the domain, applies the
// schema options and generates the users in one set-based statement. Runs
// in one transaction: on failure nothing is left. Throws pqxx errors; a
// schema that already exists is refused (it is not ours).
Fixture CreateFixture(pqxx::connection_base& conn, const FixtureSpec& spec);

// Drops a schema this run created, with everything in it.
void DropSchema(pqxx::connection_base& conn, const std::string& schema);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_FIXTURES_H_
