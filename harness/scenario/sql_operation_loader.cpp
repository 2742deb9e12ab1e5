#include "harness/scenario/sql_operation_loader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "harness/operations/sql_text.h"
#include "harness/scenario/case_reader.h"
#include "harness/scenario/schema_command_loader.h"
#include "harness/scenario/statement_names.h"
#include "harness/scenario/suggest.h"
#include "settlement/money.h"

namespace ledgerstress {
namespace {

const std::vector<std::string> kSchemaKeys = {"sql", "file", "command", "fixture", "fixture_file", "fixture_command",
                                              "cwd", "env"};
const std::vector<std::string> kOperationKeys = {"name", "description", "statements", "params", "isolation",
                                                 "transaction", "success", "expected", "durable"};
const std::vector<std::string> kGenerators = {"int", "money", "choice", "unique", "worker", "round", "fixture"};
const std::vector<std::string> kIsolations = {"read committed", "repeatable read", "serializable"};

std::string At(const std::string& path, const toml::node& n) { return Where(path, n.source()); }

void RefuseUnknownKeys(const toml::table& t, const std::string& path, const std::vector<std::string>& keys,
                       const std::string& table) {
  for (auto&& [k, v] : t) {
    const std::string key(k.str());
    if (!Contains(keys, key)) {
      Fail(Where(path, k.source()), "unknown key '" + key + "' in " + table + DidYouMean(key, keys) + "; known: " +
                                        Quoted(keys));
    }
  }
}

const std::string& NonEmptyString(const toml::node& n, const std::string& path, const std::string& key) {
  if (!n.is_string() || n.as_string()->get().find_first_not_of(" \t\r\n") == std::string::npos) {
    Fail(At(path, n), "'" + key + "' must be a non-empty string");
  }
  return n.as_string()->get();
}

std::string Directory(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string RelativePath(const std::string& scenario, const std::string& name) {
  return name[0] == '/' ? name : Directory(scenario) + "/" + name;
}

std::string ReadRelative(const std::string& scenario, const toml::node& n, const std::string& key) {
  const std::string& name = NonEmptyString(n, scenario, key);
  const std::string file = RelativePath(scenario, name);
  std::error_code ec;
  if (std::filesystem::exists(file, ec) && !std::filesystem::is_regular_file(file, ec)) {
    Fail(At(scenario, n), "'" + key + "': " + file + " is not a regular file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) Fail(At(scenario, n), "'" + key + "': cannot read " + file + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One of two keys naming the same text inline or in a file; "" when
// neither. `file_path`: the file's path when it came from one, else "".
std::string TextOrFile(const toml::table& t, const std::string& path, const char* inline_key, const char* file_key,
                       std::string* where, std::string* file_path) {
  const toml::node* text = t.get(inline_key);
  const toml::node* file = t.get(file_key);
  if (text && file) {
    Fail(At(path, *file), std::string("give '") + inline_key + "' or '" + file_key + "', not both");
  }
  if (text) {
    *where = At(path, *text);
    return NonEmptyString(*text, path, inline_key);
  }
  if (file) {
    *where = At(path, *file);
    std::string sql = ReadRelative(path, *file, file_key);
    *file_path = RelativePath(path, file->as_string()->get());
    return sql;
  }
  return "";
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

// A range bound: a number (int: an integer; money: "12.50" or an integer
// of whole units) or "vars.NAME".
RangeBound ReadBound(const toml::node& n, const std::string& path, bool money, const std::string& param) {
  RangeBound b;
  const std::string where = At(path, n);
  if (n.is_string() && n.as_string()->get().rfind("vars.", 0) == 0) {
    b.var = n.as_string()->get().substr(5);
    if (!IsIdentifier(b.var)) Fail(where, "'" + n.as_string()->get() + "' is not a variable name");
    return b;
  }
  constexpr std::int64_t kMaxBound = 1000000000000000;  // 10^15: any cents of it still fit
  if (n.is_integer() && n.as_integer()->get() >= -kMaxBound && n.as_integer()->get() <= kMaxBound) {
    b.value = n.as_integer()->get() * (money ? 100 : 1);
    return b;
  }
  if (n.is_integer()) Fail(where, "a bound of '" + param + "' must be within +-10^15");
  if (money && n.is_string() && settlement::ParseCents(n.as_string()->get(), &b.value)) return b;
  Fail(where, "a bound of '" + param + "' must be " +
                  (money ? std::string("an amount such as \"12.50\"") : std::string("an integer")) +
                  " or \"vars.NAME\", got " + TypeName(n));
}

void ReadRange(const toml::node& v, const std::string& path, const std::string& param, SqlGenerator* g) {
  const bool money = g->kind == GeneratorKind::kMoney;
  const toml::array* a = v.as_array();
  if (!a || a->size() != 2) Fail(At(path, v), "'" + param + "': the range must be [low, high]");
  g->lo = ReadBound(*a->get(0), path, money, param);
  g->hi = ReadBound(*a->get(1), path, money, param);
  if (g->lo.var.empty() && g->hi.var.empty() && g->lo.value > g->hi.value) {
    Fail(At(path, v), "'" + param + "': the low bound is above the high one");
  }
}

SqlGenerator ReadGenerator(const toml::node& n, const std::string& path, const std::string& param) {
  const toml::table* t = n.as_table();
  if (!t || t->size() != 1) {
    Fail(At(path, n), "'params." + param + "' must be one generator, such as { int = [1, 100] }; known: " +
                          Quoted(kGenerators));
  }
  const auto entry = t->begin();  // a proxy: keep it while its key and value are used
  const toml::key& k = entry->first;
  const toml::node& v = entry->second;
  const std::string kind(k.str());
  SqlGenerator g;
  const auto flag = [&] {
    if (!v.is_boolean() || !v.as_boolean()->get()) Fail(At(path, v), "'" + kind + "' takes true: { " + kind + " = true }");
  };
  if (kind == "int" || kind == "money") {
    g.kind = kind == "int" ? GeneratorKind::kInt : GeneratorKind::kMoney;
    ReadRange(v, path, param, &g);
  } else if (kind == "choice") {
    g.kind = GeneratorKind::kChoice;
    const toml::array* a = v.as_array();
    if (!a || a->empty()) Fail(At(path, v), "'choice' takes a non-empty array of values");
    for (const toml::node& c : *a) {
      if (c.is_string()) g.choices.push_back(c.as_string()->get());
      else if (c.is_integer()) g.choices.push_back(std::to_string(c.as_integer()->get()));
      else Fail(At(path, c), "a 'choice' value must be a string or an integer, got " + TypeName(c));
    }
  } else if (kind == "unique" || kind == "worker" || kind == "round") {
    g.kind = kind == "unique" ? GeneratorKind::kUnique : kind == "worker" ? GeneratorKind::kWorker : GeneratorKind::kRound;
    flag();
  } else if (kind == "fixture") {
    g.kind = GeneratorKind::kFixture;
    if (!v.is_string() || !Contains(FixtureGenerators(), v.as_string()->get())) {
      Fail(At(path, v), "'fixture' takes one of " + Quoted(FixtureGenerators()));
    }
    g.fixture = v.as_string()->get();
  } else {
    Fail(Where(path, k.source()), "unknown generator '" + kind + "'" + DidYouMean(kind, kGenerators) + "; known: " +
                                      Quoted(kGenerators));
  }
  return g;
}

std::vector<std::string> SqlStates(const toml::table& t, const std::string& path, const char* key) {
  std::vector<std::string> out;
  const toml::node* n = t.get(key);
  if (!n) return out;
  const toml::array* a = n->as_array();
  if (!a) Fail(At(path, *n), std::string("'") + key + "' must be an array of SQLSTATEs such as [\"23514\"]");
  for (const toml::node& s : *a) {
    const bool ok = s.is_string() && s.as_string()->get().size() == 5 &&
                    std::all_of(s.as_string()->get().begin(), s.as_string()->get().end(),
                                [](unsigned char c) { return std::isdigit(c) || std::isupper(c); });
    if (!ok) Fail(At(path, s), std::string("'") + key + "' holds SQLSTATEs: five digits or capital letters, such as \"40001\"");
    out.push_back(s.as_string()->get());
  }
  return out;
}

// A statement's `rows = n` and `otherwise = "no_effect" | "expected" | "error"`.
void ReadRowsRule(const toml::table& t, const std::string& path, SqlStatement* st) {
  const toml::node* rows = t.get("rows");
  const toml::node* otherwise = t.get("otherwise");
  if (otherwise && !rows) Fail(At(path, *otherwise), "'otherwise' needs 'rows': the row count it applies to");
  if (!rows) return;
  if (!rows->is_integer() || rows->as_integer()->get() < 0) Fail(At(path, *rows), "'rows' must be an integer >= 0");
  if (t.get("gset")) Fail(At(path, *rows), "a gset statement returns exactly one row already: 'rows' does not apply");
  st->rows = rows->as_integer()->get();
  if (!otherwise) return;
  static const std::vector<std::string> kChoices = {"no_effect", "expected", "error"};
  if (!otherwise->is_string() || !Contains(kChoices, otherwise->as_string()->get())) {
    Fail(At(path, *otherwise), "'otherwise' must be one of " + Quoted(kChoices));
  }
  const std::string o = otherwise->as_string()->get();
  st->otherwise = o == "no_effect" ? SqlStatement::Otherwise::kNoEffect
                  : o == "expected" ? SqlStatement::Otherwise::kExpected : SqlStatement::Otherwise::kError;
}

void ReadStatements(const toml::table& t, const std::string& path, SqlOperation* op, std::vector<bool>* used) {
  const toml::node* n = t.get("statements");
  if (!n) return;  // declared: the case's driver implements it
  const toml::array* a = n->as_array();
  if (!a || a->empty()) Fail(At(path, *n), "'statements' must be a non-empty array of SQL strings");
  StatementNames names(op, used);
  for (const toml::node& s : *a) {
    SqlStatement st;
    st.where = At(path, s);
    if (const toml::table* st_table = s.as_table()) {
      RefuseUnknownKeys(*st_table, path, {"sql", "gset", "rows", "otherwise"}, "a statement");
      ReadRowsRule(*st_table, path, &st);
      const toml::node* sql = st_table->get("sql");
      if (!sql) Fail(st.where, "a statement table needs 'sql'");
      st.sql = NonEmptyString(*sql, path, "sql");
      if (const toml::node* g = st_table->get("gset")) {
        if (!g->is_boolean()) Fail(At(path, *g), "'gset' must be true or false");
        st.gset = g->as_boolean()->get();
      }
    } else {
      st.sql = NonEmptyString(s, path, "statements");
    }
    names.Compile(&st);
    op->statements.push_back(std::move(st));
  }
}

void ReadParams(const toml::table& t, const std::string& path, SqlOperation* op) {
  const toml::node* n = t.get("params");
  if (!n) return;
  const toml::table* params = n->as_table();
  if (!params) Fail(At(path, *n), "'params' must be a table of generators");
  for (auto&& [k, v] : *params) {
    const std::string name(k.str());
    if (!IsIdentifier(name)) Fail(Where(path, k.source()), "'" + name + "' is not a parameter name");
    op->params.push_back(SqlParam{name, ReadGenerator(v, path, name), Where(path, k.source())});
  }
}

void ReadTransaction(const toml::table& t, const std::string& path, SqlOperation* op) {
  if (const toml::node* n = t.get("transaction")) {
    if (!n->is_boolean()) Fail(At(path, *n), "'transaction' must be true or false");
    op->transaction = n->as_boolean()->get();
  }
  if (const toml::node* n = t.get("isolation")) {
    if (!op->transaction) Fail(At(path, *n), "'isolation' needs transaction = true");
    if (!n->is_string() || !Contains(kIsolations, n->as_string()->get())) {
      Fail(At(path, *n), "'isolation' must be one of " + Quoted(kIsolations));
    }
    op->isolation = n->as_string()->get();
    std::string upper = op->isolation;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (op->isolation != "read committed") op->begin = "BEGIN ISOLATION LEVEL " + upper;
  }
}

void ReadDurable(const toml::table& t, const std::string& path, SqlOperation* op) {
  const toml::node* n = t.get("durable");
  if (!n) return;
  op->durable_where = At(path, *n);
  const PositionalSql p = ToPositional(NonEmptyString(*n, path, "durable"));
  if (p.names != std::vector<std::string>{"key"}) {
    Fail(op->durable_where, "'durable' takes exactly one parameter, :key (the call's key, as { unique = true } "
                            "draws it), and counts the rows a call under it left");
  }
  op->durable_sql = p.text;
  if (!op->success_sqlstates.empty()) {
    Fail(op->durable_where, "an operation with 'durable' cannot have 'success' SQLSTATEs: such a call is "
                            "acknowledged but leaves no row under its key, which acknowledged_writes_durable "
                            "would report as lost");
  }
}

// A declared operation (no statements) is the driver's: the keys that
// describe how the harness runs SQL do not apply.
void RefuseSqlOnlyKeys(const toml::table& t, const std::string& path, const SqlOperation& op) {
  for (const char* key : {"transaction", "isolation", "success"}) {
    if (const toml::node* n = t.get(key)) {
      Fail(At(path, *n), "'" + std::string(key) + "' describes how the harness runs the statements; operation '" +
                             op.name + "' has none (a driver implements it)");
    }
  }
}

std::shared_ptr<const SqlOperation> ReadOperation(const toml::table& t, const std::string& path) {
  auto op = std::make_shared<SqlOperation>();
  op->where = Where(path, t.source());
  RefuseUnknownKeys(t, path, kOperationKeys, "[[operation]]");
  const toml::node* name = t.get("name");
  if (!name) Fail(op->where, "[[operation]] needs 'name'");
  op->name = NonEmptyString(*name, path, "name");
  if (!IsIdentifier(op->name)) Fail(At(path, *name), "'" + op->name + "' is not an operation name (letters, digits, _)");
  op->where = At(path, *name);
  if (const toml::node* d = t.get("description")) op->description = NonEmptyString(*d, path, "description");
  ReadParams(t, path, op.get());
  std::vector<bool> used(op->params.size(), false);
  ReadStatements(t, path, op.get(), &used);
  if (op->declared()) RefuseSqlOnlyKeys(t, path, *op);
  for (std::size_t i = 0; i < used.size() && !op->declared(); ++i) {
    if (!used[i]) Fail(op->params[i].where, "parameter '" + op->params[i].name + "' of operation '" + op->name +
                                                "' is never used: no statement reads :" + op->params[i].name);
  }
  ReadTransaction(t, path, op.get());
  for (const SqlStatement& st : op->statements) {
    if (!op->transaction && st.rows >= 0 && st.otherwise != SqlStatement::Otherwise::kError) {
      Fail(st.where, "'otherwise' other than \"error\" needs transaction = true: the statements before this one "
                     "must be rolled back for the call to have had no effect");
    }
  }
  op->success_sqlstates = SqlStates(t, path, "success");
  op->expected_sqlstates = SqlStates(t, path, "expected");
  for (const std::string& s : op->success_sqlstates) {
    if (Contains(op->expected_sqlstates, s)) Fail(At(path, *t.get("expected")), "SQLSTATE " + s + " is in both 'success' and 'expected'");
  }
  ReadDurable(t, path, op.get());
  return op;
}

}  // namespace

const std::vector<std::string>& OperationKeyNames() { return kOperationKeys; }

std::shared_ptr<const UserSchema> ReadUserSchema(const toml::table& root, const std::string& path) {
  const toml::node* n = root.get("schema");
  if (!n) return nullptr;
  const toml::table* t = n->as_table();
  if (!t) Fail(At(path, *n), "'schema' must be a table: [schema] with sql = \"...\" or file = \"schema.sql\"");
  RefuseUnknownKeys(*t, path, kSchemaKeys, "[schema] (schema options such as saka_unique_user go in a case's "
                                           "schema table)");
  auto s = std::make_shared<UserSchema>();
  ReadSchemaCommands(*t, path, s.get());
  s->sql = TextOrFile(*t, path, "sql", "file", &s->where, &s->sql_file);
  if (s->command.given() && !s->sql.empty()) {
    Fail(s->where, "[schema] has 'command', which creates the tables: give 'sql'/'file' or 'command', not both");
  }
  if (s->command.given()) s->where = s->command.where;
  if (s->where.empty()) {
    Fail(At(path, *n), "[schema] needs 'sql' (the tables, inline), 'file' (a .sql file) or 'command' (your "
                       "migrations, e.g. [\"/usr/bin/python3\", \"manage.py\", \"migrate\", \"--noinput\"])");
  }
  s->fixture = TextOrFile(*t, path, "fixture", "fixture_file", &s->fixture_where, &s->fixture_file);
  if (s->fixture_command.given() && !s->fixture.empty()) {
    Fail(s->fixture_where, "[schema] has 'fixture_command': give 'fixture'/'fixture_file' or 'fixture_command', not both");
  }
  if (s->fixture_command.given()) s->fixture_where = s->fixture_command.where;
  for (const NamedParam& p : FindNamedParams(s->fixture)) {
    if (!Contains(s->fixture_vars, p.name)) s->fixture_vars.push_back(p.name);
  }
  return s;
}

std::vector<std::shared_ptr<const SqlOperation>> ReadSqlOperations(const toml::table& root, const std::string& path) {
  std::vector<std::shared_ptr<const SqlOperation>> out;
  const toml::node* list = root.get("operation");
  if (!list) return out;
  if (!list->is_array_of_tables()) Fail(At(path, *list), "'operation' must be an array of tables ([[operation]])");
  for (const toml::node& node : *list->as_array()) out.push_back(ReadOperation(*node.as_table(), path));
  return out;
}

std::shared_ptr<const OperationTable> ScenarioOperations(const std::vector<std::shared_ptr<const SqlOperation>>& ops) {
  auto table = std::make_shared<OperationTable>(BuiltinOperations());
  for (const auto& op : ops) {
    if (const OperationDef* taken = table->Find(op->name)) {
      Fail(op->where, "operation '" + op->name + "' is already defined" +
                          (taken->sql ? " (at " + taken->sql->where + ")" : std::string(" (a built-in operation)")));
    }
    table->Add(SqlOperationRow(op));
  }
  return table;
}

}  // namespace ledgerstress
