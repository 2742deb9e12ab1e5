#ifndef LEDGERSTRESS_HARNESS_PG_SERVER_INFO_H_
#define LEDGERSTRESS_HARNESS_PG_SERVER_INFO_H_

#include <map>
#include <string>

#include <pqxx/connection_base>

namespace ledgerstress {

// The server's version string and the settings that shape the results
// (max_connections, fsync, synchronous_commit, shared_buffers, isolation,
// deadlock_timeout, ...), for the report. Throws pqxx errors.
struct ServerInfo {
  std::string version;      // SELECT version()
  int version_num = 0;      // server_version_num
  std::map<std::string, std::string> settings;
  bool pg_stat_statements = false;  // loaded and queryable
};

ServerInfo ReadServerInfo(pqxx::connection_base& conn);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_PG_SERVER_INFO_H_
