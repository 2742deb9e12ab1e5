#include "harness/engine/fixtures.h"

#include <pqxx/pqxx>

#include "harness/operations/sql_text.h"
#include "settlement/ledger.h"

namespace ledgerstress {

std::string BuiltinSchemaSql(const std::map<std::string, bool>& options) {
  std::string sql = kSchemaSql;
  auto opt = options.find("saka_unique_user");
  if (opt != options.end() && opt->second) {
    sql += "\n-- schema.saka_unique_user = true\n"
           "ALTER TABLE saka_wallet ADD CONSTRAINT saka_wallet_user_id_key UNIQUE (user_id);\n";
  }
  return sql;
}

Fixture CreateFixture(pqxx::connection_base& conn, const FixtureSpec& spec) {
  pqxx::work tx(conn);
  const std::string schema = tx.quote_name(spec.schema);
  try {
    tx.exec("CREATE SCHEMA " + schema);
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() != "42P06") throw;
    // Never write into a schema this run did not create (someone's data, or
    // a --keep-data leftover): refuse, and leave it as it is.
    throw std::runtime_error("schema " + spec.schema +
                             " already exists; ledgerstress only writes to schemas it creates and never reuses "
                             "one (drop it if it is a leftover of --keep-data)");
  }
  tx.exec("SET LOCAL search_path = " + schema);
  if (spec.user) {
    // A schema its own command builds is only created here, empty (RunSchemaCommands fills it).
    if (!spec.user->command.given()) tx.exec(spec.user->sql);
    if (!spec.user->command.given() && !spec.user_fixture.empty()) tx.exec(spec.user_fixture);
    tx.commit();
    return Fixture{};
  }
  tx.exec(BuiltinSchemaSql(spec.options));
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

void RefreshStatistics(pqxx::connection_base& conn, const std::string& schema) {
  pqxx::nontransaction tx(conn);
  const pqxx::row r = tx.exec_params1(
      "SELECT string_agg(quote_ident(schemaname) || '.' || quote_ident(tablename), ', ') FROM pg_tables "
      "WHERE schemaname = $1",
      schema);
  if (!r[0].is_null()) tx.exec("ANALYZE " + r[0].as<std::string>());
}

std::map<std::string, std::string> VarLiterals(const std::map<std::string, CaseVar>& vars) {
  std::map<std::string, std::string> literals;
  for (const auto& [name, v] : vars) literals[name] = v.is_string ? QuoteLiteral(v.text) : v.text;
  return literals;
}

std::string FixtureSql(const UserSchema& schema, const std::map<std::string, CaseVar>& vars) {
  return SubstituteLiterals(schema.fixture, VarLiterals(vars));
}

void DropSchema(pqxx::connection_base& conn, const std::string& schema) {
  pqxx::nontransaction tx(conn);
  tx.exec("DROP SCHEMA IF EXISTS " + tx.quote_name(schema) + " CASCADE");
}

}  // namespace ledgerstress

namespace ledgerstress {

namespace {

// The system wallets, the donors with their wallets and three pockets each.
void AddDonors(pqxx::work& tx, const CloseFixtureSpec& spec, CloseFixture* fx) {
  CloseFixture& f = *fx;
  tx.exec_params(
      "WITH u AS (INSERT INTO app_user (email) VALUES ($1), ($2) RETURNING id) "
      "INSERT INTO wallet (user_id) SELECT id FROM u",
      std::string(settlement::kCommissionEmail), std::string(settlement::kFeesEmail));
  f.donor_first_user = tx.exec_params1(
      "WITH u AS (INSERT INTO app_user (email) SELECT 'donor' || g || '@example.test' "
      "           FROM generate_series(1, $1) g RETURNING id),"
      " w AS (INSERT INTO wallet (user_id) SELECT id FROM u ORDER BY id) "
      "SELECT min(id) FROM u",
      spec.donors)[0].as<std::int64_t>();
  // Three pockets per donor wallet, for transfers and allocations.
  tx.exec_params(
      "INSERT INTO wallet_pocket (wallet_id, name) "
      "SELECT w.id, n FROM wallet w CROSS JOIN unnest(ARRAY['savings', 'giving', 'reserve']) n "
      " WHERE w.user_id BETWEEN $1 AND $1 + $2 - 1 ORDER BY w.id, array_position(ARRAY['savings', 'giving', 'reserve'], n)",
      f.donor_first_user, spec.donors);
}

// One owner and project per project to close, plus the background project.
void AddProjects(pqxx::work& tx, const CloseFixtureSpec& spec, CloseFixture* fx) {
  CloseFixture& f = *fx;
  for (const auto& row : tx.exec_params(
           "WITH u AS (INSERT INTO app_user (email) SELECT 'owner' || g || '@example.test' "
           "           FROM generate_series(1, $1) g RETURNING id),"
           " w AS (INSERT INTO wallet (user_id) SELECT id FROM u),"
           " p AS (INSERT INTO project (owner_user_id) SELECT id FROM u ORDER BY id RETURNING id, owner_user_id) "
           "SELECT id, owner_user_id FROM p ORDER BY id",
           spec.projects + 1)) {
    f.project_ids.push_back(row[0].as<std::int64_t>());
    f.owner_user_ids.push_back(row[1].as<std::int64_t>());
  }
  f.background_project = f.project_ids.back();
  f.project_ids.pop_back();
  f.owner_user_ids.pop_back();

}

// The LOCKED escrows with their PLEDGE rows, each donor's DEPOSIT and the
// balances the ledger implies.
void AddEscrows(pqxx::work& tx, const CloseFixtureSpec& spec, CloseFixture* fx) {
  CloseFixture& f = *fx;
  // Escrows: donor (g + project) mod donors, amount 1.00..500.00 from a hash
  // of the seed, the project and g.
  const std::string seed = std::to_string(spec.seed % 1000000007);
  tx.exec_params(
      "INSERT INTO escrow_contract (project_id, donor_wallet_id, amount, idempotency_key) "
      "SELECT p.id, dw.id, (100 + abs(hashint8(" + seed + " + p.id * 1000003 + g)) % 49901) / 100.0,"
      "       'fx-' || p.id || '-' || g "
      "  FROM project p CROSS JOIN generate_series(1, $1) g "
      "  JOIN wallet dw ON dw.user_id = $2 + ((g + p.id) % $3) "
      " WHERE p.id = ANY($4::bigint[])",
      spec.escrows_per_project, f.donor_first_user, spec.donors, [&] {
        std::string s = "{";
        for (std::size_t i = 0; i < f.project_ids.size(); ++i) s += (i ? "," : "") + std::to_string(f.project_ids[i]);
        return s + "}";
      }());
  tx.exec("INSERT INTO wallet_transaction (wallet_id, amount, kind, escrow_id, idempotency_key) "
          "SELECT donor_wallet_id, -amount, 'PLEDGE', id, idempotency_key FROM escrow_contract");
  tx.exec_params(
      "INSERT INTO wallet_transaction (wallet_id, amount, kind, idempotency_key) "
      "SELECT w.id, coalesce((SELECT sum(amount) FROM escrow_contract e WHERE e.donor_wallet_id = w.id), 0) + 5000,"
      "       'DEPOSIT', 'fx-deposit-' || w.id "
      "  FROM wallet w WHERE w.user_id BETWEEN $1 AND $1 + $2 - 1",
      f.donor_first_user, spec.donors);
  tx.exec("UPDATE wallet w SET balance = t.total FROM "
          "(SELECT wallet_id, sum(amount) AS total FROM wallet_transaction GROUP BY wallet_id) t "
          "WHERE w.id = t.wallet_id");
}

}  // namespace

CloseFixture CreateCloseFixture(pqxx::connection_base& conn, const std::string& schema,
                                const CloseFixtureSpec& spec) {
  CloseFixture f;
  f.donors = spec.donors;
  pqxx::work tx(conn);
  tx.exec("SET LOCAL search_path = " + tx.quote_name(schema));
  AddDonors(tx, spec, &f);
  AddProjects(tx, spec, &f);
  AddEscrows(tx, spec, &f);
  f.escrows = tx.exec1("SELECT count(*) FROM escrow_contract")[0].as<std::int64_t>();
  tx.commit();
  RefreshStatistics(conn, schema);
  return f;
}

}  // namespace ledgerstress
