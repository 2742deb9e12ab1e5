#include "settlement/counted.h"

#include <cinttypes>
#include <cstdio>
#include <unordered_map>

namespace settlement {

const std::string& PreparedName(pqxx::connection_base& conn, const char* sql) {
  // What this thread prepared on the session it used last: a session is the
  // connection object and its backend (a reconnect at the same address is a
  // new backend). prepare() on a name libpqxx already holds with the same
  // text is harmless, so a stale cache only costs a call. The names are
  // kept, so the hot path neither formats nor allocates.
  thread_local const pqxx::connection_base* session_conn = nullptr;
  thread_local int session_pid = 0;
  thread_local std::unordered_map<const char*, std::pair<std::string, bool>> names;  // sql -> (name, prepared)
  const int pid = conn.backendpid();
  if (&conn != session_conn || pid != session_pid) {
    for (auto& entry : names) entry.second.second = false;
    session_conn = &conn;
    session_pid = pid;
  }
  auto& [name, prepared] = names[sql];
  if (name.empty()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "ls_%" PRIxPTR, reinterpret_cast<std::uintptr_t>(sql));
    name = buf;
  }
  if (!prepared) {
    conn.prepare(name, sql);
    prepared = true;
  }
  return name;
}

}  // namespace settlement
