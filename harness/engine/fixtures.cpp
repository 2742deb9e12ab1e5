#include "harness/engine/fixtures.h"

#include <pqxx/pqxx>
#include <pqxx/transaction>

namespace ledgerstress {

Fixture CreateFixture(pqxx::connection_base& conn, const FixtureSpec& spec) {
  pqxx::work tx(conn);
  const std::string schema = tx.quote_name(spec.schema);
  tx.exec("CREATE SCHEMA " + schema);
  tx.exec("SET LOCAL search_path = " + schema);
  tx.exec(kSchemaSql);
  auto opt = spec.options.find("saka_unique_user");
  if (opt != spec.options.end() && opt->second) {
    tx.exec("ALTER TABLE saka_wallet ADD CONSTRAINT saka_wallet_user_id_key UNIQUE (user_id)");
  }
  Fixture f;
  if (spec.users > 0) {
    f.first_user_id = tx.exec_params1(
        "WITH ins AS (INSERT INTO app_user (email) "
        "SELECT 'user' || g || '@example.test' FROM generate_series(1, $1) g RETURNING id) "
        "SELECT min(id) FROM ins",
        spec.users)[0].as<std::int64_t>();
  }
  tx.commit();
  return f;
}

void DropSchema(pqxx::connection_base& conn, const std::string& schema) {
  pqxx::nontransaction tx(conn);
  tx.exec("DROP SCHEMA IF EXISTS " + tx.quote_name(schema) + " CASCADE");
}

}  // namespace ledgerstress
