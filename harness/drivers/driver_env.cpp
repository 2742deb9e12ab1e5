#include "harness/drivers/driver_env.h"

#include <map>
#include <stdexcept>

#include <libpq-fe.h>
#include <pqxx/pqxx>

extern char** environ;

namespace ledgerstress {
namespace {

// libpq connection keywords and the environment variables libpq reads for them.
const std::map<std::string, std::string>& KeywordVariables() {
  static const std::map<std::string, std::string> table = {
      {"host", "PGHOST"},           {"hostaddr", "PGHOSTADDR"},
      {"port", "PGPORT"},           {"dbname", "PGDATABASE"},
      {"user", "PGUSER"},           {"password", "PGPASSWORD"},
      {"passfile", "PGPASSFILE"},   {"service", "PGSERVICE"},
      {"sslmode", "PGSSLMODE"},     {"sslrootcert", "PGSSLROOTCERT"},
      {"sslcert", "PGSSLCERT"},     {"sslkey", "PGSSLKEY"},
      {"connect_timeout", "PGCONNECT_TIMEOUT"}, {"target_session_attrs", "PGTARGETSESSIONATTRS"},
  };
  return table;
}

bool IsReplaced(const std::string& entry) {
  const std::string name = entry.substr(0, entry.find('='));
  if (name == "PGOPTIONS" || name == "PGAPPNAME" || name.rfind("LEDGERSTRESS_", 0) == 0) return true;
  for (const auto& [k, var] : KeywordVariables()) {
    if (var == name) return true;
  }
  return false;
}

std::string Ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + "ms"; }

}  // namespace

std::string PgOption(const std::string& name, const std::string& value) {
  std::string out = "-c " + name + "=";
  for (char c : value) {
    if (c == ' ' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool MaySetDeadlockTimeout(const Target& target) {
  try {
    auto conn = Connect(target, SessionSettings::Named("ledgerstress/driver-env-check"));
    pqxx::nontransaction(*conn).exec("SET deadlock_timeout = '100ms'");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<std::string> DriverEnvironment(const Target& target, const SessionSettings& session,
                                           const DriverSpec& driver) {
  std::vector<std::string> env;
  std::string options;
  if (target.dsn.empty()) {
    // The PG* environment is the target: pass it on as it is.
    for (char** e = environ; *e; ++e) {
      if (std::string(*e).rfind("PGOPTIONS=", 0) != 0) env.push_back(*e);
    }
  } else {
    for (char** e = environ; *e; ++e) {
      if (!IsReplaced(*e)) env.push_back(*e);
    }
    char* err = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(target.dsn.c_str(), &err);
    if (!parsed) {
      const std::string why = err ? err : "out of memory";
      PQfreemem(err);
      throw std::invalid_argument("cannot pass the target to a driver: " + why);
    }
    for (PQconninfoOption* o = parsed; o->keyword; ++o) {
      if (!o->val || !*o->val) continue;
      const auto var = KeywordVariables().find(o->keyword);
      if (var != KeywordVariables().end()) env.push_back(var->second + "=" + o->val);
      else if (std::string(o->keyword) == "options") options = o->val;
    }
    PQconninfoFree(parsed);
  }
  auto add = [&](const std::string& o) { options += (options.empty() ? "" : " ") + o; };
  if (!session.search_path.empty()) add(PgOption("search_path", session.search_path));
  if (session.lock_timeout.count() > 0) add(PgOption("lock_timeout", Ms(session.lock_timeout)));
  if (session.statement_timeout.count() > 0) add(PgOption("statement_timeout", Ms(session.statement_timeout)));
  if (session.deadlock_timeout.count() > 0) add(PgOption("deadlock_timeout", Ms(session.deadlock_timeout)));
  for (const auto& [name, value] : session.extra) add(PgOption(name, value));
  env.push_back("PGOPTIONS=" + options);
  env.push_back("LEDGERSTRESS_SCHEMA=" + session.search_path);
  for (const auto& [name, value] : driver.env) env.push_back(name + "=" + value);
  return env;
}

}  // namespace ledgerstress
