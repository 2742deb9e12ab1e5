#include "harness/engine/explore_spec.h"

#include <algorithm>
#include <chrono>

#include "harness/engine/fixtures.h"
#include "harness/operations/sql_text.h"

namespace ledgerstress {
namespace {

constexpr char kSchema[] = "ledgerstress_explore";

// The isolation tester's scanner ends a block at its first '}'.
std::string Block(const std::string& sql) {
  std::string s = sql;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == ';')) s.pop_back();
  return "{ " + s + "; }";
}

std::string StepName(int session, int step) { return "s" + std::to_string(session + 1) + "_" + std::to_string(step + 1); }

std::string SetupSql(const CaseSpec& spec) {
  std::string sql = std::string("DROP SCHEMA IF EXISTS ") + kSchema + " CASCADE;\nCREATE SCHEMA " + kSchema +
                    ";\nSET search_path = " + kSchema + ";\n";
  if (spec.user_schema) {
    sql += spec.user_schema->sql + "\n";
    const std::string fixture = FixtureSql(*spec.user_schema, spec.vars);
    if (!fixture.empty()) sql += fixture + ";\n";
  } else {
    sql += BuiltinSchemaSql(spec.schema_options) + BuiltinExploreFixtureSql() + ";\n";
  }
  return sql;
}

std::string Ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + "ms"; }

// Each session's settings, as the explorer's sessions had them.
std::string SessionSetup(const CaseSpec& spec) {
  std::string sql = std::string("SET search_path = ") + kSchema + "; SET lock_timeout = '" + Ms(spec.lock_timeout) +
                    "'; SET statement_timeout = '" + Ms(spec.statement_timeout) + "';";
  for (const auto& [name, value] : spec.session) sql += " SET " + name + " = " + QuoteLiteral(value) + ";";
  return "setup { " + sql + " }\n";
}

}  // namespace

std::string IsolationSpec(const CaseSpec& spec, std::int64_t schedule_id,
                          const ScheduleRun& run, const std::vector<std::string>& broken) {
  std::string out = "# ledgerstress explore: case '" + spec.name + "', schedule " +
                    std::to_string(schedule_id) + " (the case's seed " + std::to_string(spec.seed) + ").\n" +
                    "# Replay: isolationtester 'dbname=... host=...' < this-file (PostgreSQL's\n"
                    "# src/test/isolation; Debian: postgresql-client-15's pgxs directory).\n"
                    "# It creates and drops the schema " + kSchema + ".\n";
  if (spec.user_schema && spec.user_schema->command.given()) {
    out += "# The case's tables come from its [schema] command, which a spec cannot run: run the command\n"
           "# with search_path = " + std::string(kSchema) + " after the setup's CREATE SCHEMA, or add its DDL below.\n";
  }
  out += "\n";
  out += "setup\n{\n" + SetupSql(spec) + "}\n\nteardown { DROP SCHEMA " + kSchema + " CASCADE; }\n";
  const std::string session_setup = SessionSetup(spec);
  for (std::size_t s = 0; s < run.sql.size(); ++s) {
    out += "\nsession s" + std::to_string(s + 1) + "\n" + session_setup;
    for (const auto& [session, step] : run.sent) {
      if (session == static_cast<int>(s)) out += "step " + StepName(session, step) + " " + Block(run.sql[s][step]) + "\n";
    }
  }
  std::string permutation;
  for (const auto& [session, step] : run.sent) permutation += " " + StepName(session, step);
  std::string checks;
  int k = 0;
  for (const SqlInvariant& q : spec.sql_invariants) {
    if (std::find(broken.begin(), broken.end(), q.name) == broken.end()) continue;
    const std::string step = "check_" + std::to_string(++k);  // an invariant's name may be no valid step name
    checks += "# " + q.name + "\nstep " + step + " " + Block(q.query) + "\n";
    permutation += " " + step;
  }
  if (!checks.empty()) {
    out += "\n# The [[sql_invariant]]s this order broke: each query lists the violations.\nsession check\n" +
           std::string("setup { SET search_path = ") + kSchema + "; }\n" + checks;
  }
  out += "\npermutation" + permutation + "\n";
  return out;
}

}  // namespace ledgerstress
