#include "harness/pg/server_info.h"

#include <pqxx/pqxx>

namespace ledgerstress {

ServerInfo ReadServerInfo(pqxx::connection_base& conn) {
  ServerInfo info;
  pqxx::nontransaction tx(conn);
  info.version = tx.exec1("SELECT version()")[0].as<std::string>();
  info.version_num = tx.exec1("SELECT current_setting('server_version_num')::int")[0].as<int>();
  const pqxx::result r = tx.exec(
      "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN ("
      "'max_connections', 'fsync', 'synchronous_commit', 'full_page_writes', "
      "'shared_buffers', 'default_transaction_isolation', 'deadlock_timeout', "
      "'lock_timeout', 'statement_timeout', 'max_locks_per_transaction', "
      "'shared_preload_libraries', 'work_mem') ORDER BY name");
  for (const auto& row : r) info.settings[row[0].as<std::string>()] = row[1].as<std::string>();
  info.pg_stat_statements =
      info.settings["shared_preload_libraries"].find("pg_stat_statements") != std::string::npos;
  return info;
}

}  // namespace ledgerstress
