#include "harness/scenario/sql_invariant_loader.h"

#include <map>

#include "harness/operations/sql_text.h"
#include "harness/scenario/case_reader.h"
#include "harness/scenario/catalog.h"
#include "harness/scenario/suggest.h"

namespace ledgerstress {
namespace {

const std::vector<std::string> kSqlInvariantKeys = {"name", "query", "message", "expect"};

}  // namespace

// The scenario's [[sql_invariant]] tables: each a name (unique, not a
// catalog invariant), a query and a message, optionally an expected value.
std::vector<SqlInvariant> ReadSqlInvariants(const toml::table& root, const std::string& path) {
  std::vector<SqlInvariant> out;
  const toml::node* list = root.get("sql_invariant");
  if (!list) return out;
  if (!list->is_array_of_tables()) {
    Fail(Where(path, list->source()), "'sql_invariant' must be an array of tables ([[sql_invariant]])");
  }
  for (const toml::node& node : *list->as_array()) {
    const toml::table& t = *node.as_table();
    SqlInvariant q;
    q.where = Where(path, node.source());
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      if (!Contains(kSqlInvariantKeys, key)) {
        Fail(Where(path, k.source()), "unknown key '" + key + "' in [[sql_invariant]]" + DidYouMean(key, kSqlInvariantKeys));
      }
    }
    auto text = [&](const char* key) {
      const toml::node* n = t.get(key);
      if (!n) Fail(q.where, std::string("[[sql_invariant]] needs '") + key + "'");
      if (!n->is_string() || n->as_string()->get().find_first_not_of(" \t\r\n") == std::string::npos) {
        Fail(Where(path, n->source()), std::string("'") + key + "' must be a non-empty string");
      }
      return n->as_string()->get();
    };
    q.name = text("name");
    q.query = text("query");
    q.message = text("message");
    q.where = Where(path, t.get("query")->source());  // where a refused query is
    for (const NamedParam& p : FindNamedParams(q.query)) {
      if (!Contains(q.vars, p.name)) q.vars.push_back(p.name);
    }
    if (const toml::node* e = t.get("expect")) {
      q.has_expect = true;
      if (e->is_string()) q.expect = e->as_string()->get();
      else if (e->is_integer()) q.expect = std::to_string(e->as_integer()->get());
      else if (e->is_boolean()) q.expect = e->as_boolean()->get() ? "t" : "f";  // PostgreSQL's text for booleans
      else Fail(Where(path, e->source()), "'expect' must be a string, an integer or a boolean");
    }
    if (Contains(InvariantNames(), q.name)) {
      Fail(Where(path, t.get("name")->source()), "'" + q.name + "' is a built-in invariant: pick another name");
    }
    for (const SqlInvariant& other : out) {
      if (other.name == q.name) {
        Fail(Where(path, t.get("name")->source()), "duplicate sql_invariant name '" + q.name + "' (first at " + other.where + ")");
      }
    }
    out.push_back(std::move(q));
  }
  return out;
}

void BindSqlInvariantVars(CaseSpec* c) {
  std::map<std::string, std::string> literals;
  for (const auto& [name, v] : c->vars) literals[name] = v.is_string ? QuoteLiteral(v.text) : v.text;
  for (SqlInvariant& q : c->sql_invariants) q.query = SubstituteLiterals(q.query, literals);
}

}  // namespace ledgerstress
