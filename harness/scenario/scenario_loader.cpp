#include "harness/scenario/scenario_loader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "harness/scenario/case_check.h"
#include "harness/scenario/case_keys.h"
#include "harness/scenario/case_reader.h"
#include "harness/scenario/catalog.h"
#include "harness/scenario/driver_loader.h"
#include "harness/scenario/sql_invariant_loader.h"
#include "harness/scenario/sql_operation_loader.h"
#include "harness/scenario/workload_table.h"
#include "harness/scenario/suggest.h"
#include "settlement/money.h"

namespace ledgerstress {
namespace {

const std::vector<std::string> kTopKeys = {"name",          "description", "seed",    "defaults", "case",
                                           "sql_invariant", "drivers",     "schema",  "operation"};


// Reads one case: every row of the case-key table in order, then the rules
// between keys.
CaseSpec ReadCase(const Fields& fields, const std::string& case_where, const CaseContext& ctx) {
  CaseSpec c;
  CaseReader probe(fields, case_where, "#" + std::to_string(ctx.index + 1));
  c.name = probe.String("name", "", /*required=*/true);
  if (c.name.empty()) Fail(probe.Find("name")->where, "'name' must not be empty");
  CaseReader r(fields, case_where, c.name);
  c.sql_invariants = *ctx.sql;
  c.operations = ctx.operations;
  c.user_schema = ctx.user_schema;
  for (const CaseKeyDef& key : CaseKeys()) {
    // A key the case's workload does not read keeps its default: given in
    // the case it is refused (CheckKeysApply); from --set or --vary it is
    // for the cases that read it.
    if (key.read && (key.workloads & BitOf(c.workload))) key.read(r, ctx, &c);
    if (key.name == "workload") CheckKeysApply(r, c);  // before the keys that depend on it
  }
  CheckExplore(r, c);  // first: the SQL rules' advice for a driver case does not fit the explorer
  CheckSqlCase(r, case_where, c);  // first: the built-in rules' advice may not fit a scenario's own SQL
  CheckCase(r, case_where, c);
  BindSqlInvariantVars(&c);
  return c;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path + ": cannot read: " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw ScenarioError(path + ": cannot read: " + std::strerror(errno));
  return s.str();
}

std::string Stem(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') + 1);
  const auto dot = base.rfind('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

// The scenario's own keys: name, description, seed (--seed wins).
Scenario ReadTopLevel(const toml::table& root, const std::string& path, const LoadOptions& options) {
  Scenario s;
  s.path = path;
  for (auto&& [k, v] : root) {
    const std::string key(k.str());
    if (Contains(kTopKeys, key)) continue;
    std::string hint = DidYouMean(key, kTopKeys);
    if (hint.empty() && Contains(CaseKeyNames().keys, key)) hint = " (case keys go in [defaults] or [[case]])";
    Fail(Where(path, k.source()), "unknown key '" + key + "'" + hint);
  }
  auto top_string = [&](const char* key, const std::string& fallback) {
    const toml::node* n = root.get(key);
    if (!n) return fallback;
    if (!n->is_string()) Fail(Where(path, n->source()), std::string("'") + key + "' must be a string");
    return n->as_string()->get();
  };
  s.name = top_string("name", Stem(path));
  s.description = top_string("description", "");
  if (options.seed) {
    s.seed = *options.seed;
    s.seed_from_user = true;
  } else if (const toml::node* n = root.get("seed")) {
    if (!n->is_integer() || n->as_integer()->get() < 0) {
      Fail(Where(path, n->source()), "'seed' must be a non-negative integer");
    }
    s.seed = static_cast<std::uint64_t>(n->as_integer()->get());
    s.seed_from_user = true;
  } else {
    s.seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  }
  return s;
}

// The layers every case is read over: [defaults], then (after the case's
// own table) each --set and --vary.
struct Layers {
  Fields defaults;
  std::deque<toml::table> storage;  // the parsed --set/--vary values
  std::vector<Fields> overrides;
};

void ReadLayers(const toml::table& root, const std::string& path, const LoadOptions& options, Layers* l) {
  if (const toml::node* d = root.get("defaults")) {
    if (!d->is_table()) Fail(Where(path, d->source()), "'defaults' must be a table");
    l->defaults = CollectLayer(*d->as_table(), path, CaseKeyNames());
  }
  for (const std::string& o : options.overrides) {
    l->overrides.push_back(OverrideLayer("--set", o, CaseKeyNames(), &l->storage));
  }
  for (const std::string& o : options.varied) {
    l->overrides.push_back(OverrideLayer("--vary", o, CaseKeyNames(), &l->storage));
  }
}

void ReadCases(const toml::table& root, const std::string& path, const LoadOptions& options, Scenario* s) {
  Layers layers;
  ReadLayers(root, path, options, &layers);
  const toml::node* cases = root.get("case");
  if (!cases || !cases->is_array() || cases->as_array()->empty()) {
    Fail(cases ? Where(path, cases->source()) : path, "no [[case]] tables: a scenario needs at least one case");
  }
  const std::vector<SqlInvariant> sql = ReadSqlInvariants(root, path);
  s->drivers = ReadDrivers(root, path);
  s->user_schema = ReadUserSchema(root, path);
  s->operations = ScenarioOperations(ReadSqlOperations(root, path));
  std::map<std::string, std::string> seen_names;
  for (const toml::node& node : *cases->as_array()) {
    const std::string case_where = Where(path, node.source());
    if (!node.is_table()) Fail(case_where, "each 'case' must be a table ([[case]])");
    Fields fields;
    Overlay(layers.defaults, ExclusiveCaseKeys(), &fields);
    Overlay(CollectLayer(*node.as_table(), path, CaseKeyNames()), ExclusiveCaseKeys(), &fields);
    for (const Fields& o : layers.overrides) Overlay(o, ExclusiveCaseKeys(), &fields);
    CaseSpec c = ReadCase(fields, case_where,
                          CaseContext{s->cases.size(), s->seed, &sql, &s->drivers, s->operations, s->user_schema});
    auto [it, inserted] = seen_names.emplace(c.name, case_where);
    if (!inserted) {
      Fail(fields.at("name").where, "duplicate case name '" + c.name + "' (first at " + it->second + ")");
    }
    s->cases.push_back(std::move(c));
  }
  for (const Fields& o : layers.overrides) CheckOverridesApply(o, s->cases);
}

}  // namespace

int Scenario::MaxWorkers() const {
  int m = 0;
  for (const CaseSpec& c : cases) {
    const int closers = c.workload == Workload::kClose ? c.close.projects * c.close.closers_per_project : 0;
    m = std::max(m, c.workers + closers);
  }
  return m;
}

std::string Scenario::CrashWhere() const {
  for (const CaseSpec& c : cases) {
    if (c.ledger.server_crash_every.count() > 0) return c.ledger.server_crash_where;
  }
  return "";
}

const char* ExpectationName(Expectation e) {
  return e == Expectation::kPass ? "pass" : "violation";
}

const char* WorkloadName(Workload w) { return RowOf(w).name; }

Scenario ParseScenario(const std::string& text, const std::string& path,
                       const LoadOptions& options) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    Fail(Where(path, e.source()), std::string(e.description()));
  }
  Scenario s = ReadTopLevel(root, path, options);
  ReadCases(root, path, options, &s);
  return s;
}

Scenario LoadScenarioFile(const std::string& path, const LoadOptions& options) {
  return ParseScenario(ReadFile(path), path, options);
}

}  // namespace ledgerstress
