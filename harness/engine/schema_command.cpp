#include "harness/engine/schema_command.h"

#include <filesystem>

#include <pqxx/pqxx>

#include "harness/drivers/driver_env.h"
#include "harness/drivers/driver_process.h"
#include "harness/engine/child_process.h"
#include "harness/pg/dsn.h"

namespace ledgerstress {
namespace {

std::string Quoted(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

void RunOne(const UserSchema& u, const SchemaCommand& cmd, bool fixture, const SchemaCommandContext& ctx) {
  const char* key = fixture ? "fixture_command" : "command";
  const std::string dir = ctx.log_dir.empty()
                              ? std::filesystem::temp_directory_path().string() + "/ledgerstress-schema-commands"
                              : ctx.log_dir;
  std::filesystem::create_directories(dir);
  const std::string log = dir + "/" + ctx.schema + "." + key;
  ChildLaunch launch{cmd.argv, u.cwd, SchemaCommandEnvironment(u, ctx, fixture), log + ".stdout", log + ".stderr"};
  StopSource* stop = ctx.stop;
  const ChildEnd end = RunChild(launch, [stop] { return stop && stop->stop_requested(); });
  if (end.stopped) throw Interrupted();
  if (end.ok) return;
  const std::string tail = TailOfFile(launch.stderr_path, 10);
  const std::string msg = cmd.where + ": [schema] " + key + " (" + Quoted(cmd.argv) + ") failed in schema " +
                          ctx.schema + " (" + end.how + "); " +
                          (tail.empty() ? "its stderr is empty" : "its stderr ends: " + tail) +
                          " (its output: " + log + ".stdout, .stderr)";
  throw SchemaCommandError(RedactWith(msg, ctx.target->dsn));
}

void RunFixtureSql(settlement::Connection& conn, const std::string& schema, const std::string& sql) {
  pqxx::work tx(conn);
  tx.exec("SET LOCAL search_path = " + tx.quote_name(schema));
  tx.exec(sql);
  tx.commit();
}

}  // namespace

bool HasSchemaCommands(const UserSchema& u) { return u.command.given() || u.fixture_command.given(); }

std::vector<std::string> SchemaCommandEnvironment(const UserSchema& u, const SchemaCommandContext& ctx,
                                                  bool fixture) {
  DriverSpec as_driver;  // the environment a driver gets, with the [schema] env as the driver's own
  as_driver.env = u.env;
  std::vector<std::string> env;
  for (std::string& e : DriverEnvironment(*ctx.target, SessionSettings::Named(ctx.app_name, ctx.schema), as_driver)) {
    if (e.rfind("PGAPPNAME=", 0) != 0) env.push_back(std::move(e));
  }
  env.push_back("PGAPPNAME=" + ctx.app_name);
  if (fixture && ctx.vars) {
    for (const auto& [name, v] : *ctx.vars) env.push_back("LEDGERSTRESS_VAR_" + name + "=" + v.text);
  }
  return env;
}

void RunSchemaCommands(settlement::Connection& conn, const UserSchema& u, const std::string& fixture_sql,
                       const SchemaCommandContext& ctx) {
  if (u.command.given()) RunOne(u, u.command, false, ctx);
  if (u.command.given() && !fixture_sql.empty()) RunFixtureSql(conn, ctx.schema, fixture_sql);
  if (u.fixture_command.given()) RunOne(u, u.fixture_command, true, ctx);
}

}  // namespace ledgerstress
