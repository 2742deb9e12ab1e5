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

#include "harness/scenario/catalog.h"
#include "harness/scenario/duration.h"
#include "harness/scenario/suggest.h"
#include "settlement/money.h"

namespace ledgerstress {
namespace {

const std::vector<std::string> kTopKeys = {"name", "description", "seed", "defaults", "case", "sql_invariant"};
const std::vector<std::string> kSqlInvariantKeys = {"name", "query", "message", "expect"};
const std::vector<std::string> kCaseKeys = {
    "name", "description", "expect", "violates", "workers", "calls_per_worker",
    "duration", "rounds", "users_per_round", "mix", "strategy", "schema",
    "invariants", "max_error_rate", "lock_timeout", "statement_timeout", "seed",
    "workload", "escrows", "projects", "closers_per_project", "donors", "release_batch_size",
    "max_escrows_per_close", "commission_rate", "fee_rate", "thresholds", "retry", "max_attempts",
    "retry_base_delay", "retry_jitter", "deadlock_injection", "deadlock_every", "backend_kill_every", "monitor_interval"};
const std::vector<std::string> kTableKeys = {"mix", "strategy", "schema", "thresholds"};
// Keys of which a case has exactly one; a later layer's choice replaces an
// earlier layer's other key.
const std::vector<std::pair<std::string, std::string>> kExclusive = {
    {"calls_per_worker", "duration"}};

// One value of a case with where it came from, for messages.
struct Field {
  const toml::node* node;
  std::string where;  // "file:line:col" or "--set key=value"
};
using Fields = std::map<std::string, Field>;

[[noreturn]] void Fail(const std::string& where, const std::string& message) {
  throw ScenarioError(where + ": " + message);
}

std::string Where(const std::string& path, const toml::source_region& r) {
  if (r.begin.line == 0) return path;
  return path + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date/time";
  }
}

std::string Quoted(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

// Flattens one layer ([defaults], a [[case]] or --set) into fields; sub-table
// keys become "table.key".
Fields CollectLayer(const toml::table& t, const std::string& path) {
  Fields out;
  for (auto&& [k, v] : t) {
    const std::string key(k.str());
    const std::string where = Where(path, k.source());
    if (!Contains(kCaseKeys, key)) {
      Fail(where, "unknown key '" + key + "'" + DidYouMean(key, kCaseKeys));
    }
    if (Contains(kTableKeys, key)) {
      if (!v.is_table()) Fail(Where(path, v.source()), "'" + key + "' must be a table, got " + TypeName(v));
      for (auto&& [sk, sv] : *v.as_table()) {
        out[key + "." + std::string(sk.str())] = Field{&sv, Where(path, sv.source())};
      }
    } else {
      out[key] = Field{&v, Where(path, v.source())};
    }
  }
  return out;
}

// Lays `layer` over `acc`: later layers win, and choosing one of an exclusive
// pair drops the other from earlier layers.
void Overlay(const Fields& layer, Fields* acc) {
  for (const auto& [a, b] : kExclusive) {
    const bool has_a = layer.count(a) > 0, has_b = layer.count(b) > 0;
    if (has_a && has_b) {
      Fail(layer.at(b).where, "'" + a + "' and '" + b + "' exclude each other: keep one");
    }
    if (has_a) acc->erase(b);
    if (has_b) acc->erase(a);
  }
  for (const auto& [k, f] : layer) (*acc)[k] = f;
}

// Parses "key=value" from --set. The value is read as TOML when it parses as
// one (10, 0.5, true, "x", [..]) and as a bare string otherwise (15s).
Fields OverrideLayer(const std::string& flag, const std::string& assignment, std::deque<toml::table>* storage) {
  const std::string where = flag + " '" + assignment + "'";
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) Fail(where, "expected key=value");
  const std::string key = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  const auto dot = key.find('.');
  const std::string head = key.substr(0, dot);
  if (!Contains(kCaseKeys, head)) Fail(where, "unknown key '" + head + "'" + DidYouMean(head, kCaseKeys));
  if ((dot == std::string::npos) == Contains(kTableKeys, head)) {
    Fail(where, Contains(kTableKeys, head) ? "'" + head + "' is a table: set '" + head + ".KEY=VALUE'"
                                           : "'" + head + "' has no sub-keys");
  }
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value);
  } catch (const toml::parse_error&) {
    parsed = toml::table{{"v", value}};
  }
  storage->push_back(std::move(parsed));
  return Fields{{key, Field{storage->back().get("v"), where}}};
}

// Typed access to a case's fields, failing with the value's position.
class CaseReader {
 public:
  CaseReader(const Fields& fields, std::string case_where, std::string case_name)
      : fields_(fields), case_where_(std::move(case_where)), case_name_(std::move(case_name)) {}

  const Field* Find(const std::string& key) const {
    auto it = fields_.find(key);
    return it == fields_.end() ? nullptr : &it->second;
  }

  [[noreturn]] void Missing(const std::string& key) const {
    Fail(case_where_, "case '" + case_name_ + "' is missing required key '" + key + "'");
  }

  std::string String(const std::string& key, const std::string& fallback, bool required = false) const {
    const Field* f = Find(key);
    if (!f) {
      if (required) Missing(key);
      return fallback;
    }
    if (!f->node->is_string()) Fail(f->where, "'" + key + "' must be a string, got " + TypeName(*f->node));
    return f->node->as_string()->get();
  }

  std::int64_t Integer(const std::string& key, std::int64_t lo, std::int64_t hi,
                       std::int64_t fallback, bool required = false) const {
    const Field* f = Find(key);
    if (!f) {
      if (required) Missing(key);
      return fallback;
    }
    if (!f->node->is_integer()) Fail(f->where, "'" + key + "' must be an integer, got " + TypeName(*f->node));
    const std::int64_t v = f->node->as_integer()->get();
    if (v < lo || v > hi) {
      Fail(f->where, "'" + key + "' must be from " + std::to_string(lo) + " to " +
                         std::to_string(hi) + ", got " + std::to_string(v));
    }
    return v;
  }

  double Number(const std::string& key, double lo, double hi, double fallback) const {
    const Field* f = Find(key);
    if (!f) return fallback;
    double v;
    if (f->node->is_integer()) v = static_cast<double>(f->node->as_integer()->get());
    else if (f->node->is_floating_point()) v = f->node->as_floating_point()->get();
    else Fail(f->where, "'" + key + "' must be a number, got " + TypeName(*f->node));
    if (!(v >= lo && v <= hi)) {
      std::ostringstream m;
      m << "'" << key << "' must be from " << lo << " to " << hi << ", got " << v;
      Fail(f->where, m.str());
    }
    return v;
  }

  bool Bool(const std::string& key, bool fallback) const {
    const Field* f = Find(key);
    if (!f) return fallback;
    if (!f->node->is_boolean()) Fail(f->where, "'" + key + "' must be true or false, got " + TypeName(*f->node));
    return f->node->as_boolean()->get();
  }

  std::chrono::milliseconds Duration(const std::string& key, std::chrono::milliseconds fallback) const {
    const Field* f = Find(key);
    if (!f) return fallback;
    std::chrono::milliseconds d;
    if (!f->node->is_string() || !ParseDuration(f->node->as_string()->get(), &d)) {
      Fail(f->where, "'" + key + "' must be a duration such as \"15s\", \"500ms\" or \"2m\"");
    }
    return d;
  }

  // A rate such as 0.05 or "0.029": exact, at most 6 decimals, 0..1.
  std::int64_t RatePpm(const std::string& key, std::int64_t fallback) const {
    const Field* f = Find(key);
    if (!f) return fallback;
    std::string text;
    if (f->node->is_string()) {
      text = f->node->as_string()->get();
    } else if (f->node->is_floating_point() || f->node->is_integer()) {
      const double v = f->node->is_integer() ? static_cast<double>(f->node->as_integer()->get())
                                             : f->node->as_floating_point()->get();
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6f", v);
      if (std::abs(std::strtod(buf, nullptr) - v) > 1e-12) text = "x";  // more than 6 decimals
      else text = buf;
    }
    settlement::RatePpm ppm;
    if (!settlement::ParseRate(text, &ppm)) {
      Fail(f->where, "'" + key + "' must be a rate from 0 to 1 with at most 6 decimals, such as 0.05");
    }
    return ppm;
  }

  // An array of names, each from `allowed`.
  std::vector<std::string> Names(const std::string& key, const std::vector<std::string>& allowed,
                                 const char* what) const {
    std::vector<std::string> out;
    const Field* f = Find(key);
    if (!f) return out;
    const toml::array* arr = f->node->as_array();
    if (!arr) Fail(f->where, "'" + key + "' must be an array of " + what + " names");
    for (const toml::node& n : *arr) {
      if (!n.is_string()) Fail(f->where, "'" + key + "' must hold strings, got " + TypeName(n));
      const std::string name = n.as_string()->get();
      if (!Contains(allowed, name)) {
        Fail(f->where, std::string("unknown ") + what + " '" + name + "'" + DidYouMean(name, allowed) +
                           "; known: " + Quoted(allowed));
      }
      out.push_back(name);
    }
    return out;
  }

  // Keys under "table." with their fields.
  std::vector<std::pair<std::string, const Field*>> Sub(const std::string& table) const {
    std::vector<std::pair<std::string, const Field*>> out;
    const std::string prefix = table + ".";
    for (const auto& [k, f] : fields_) {
      if (k.compare(0, prefix.size(), prefix) == 0) out.emplace_back(k.substr(prefix.size()), &f);
    }
    return out;
  }

 private:
  const Fields& fields_;
  std::string case_where_;
  std::string case_name_;
};

std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// The part a case's mix plays in its workload.
Role MixRole(Workload w) { return w == Workload::kRace ? kRaceCaller : kBackground; }

std::string WrongRole(const std::string& op, Role role, const OperationTable& ops) {
  if (role == kRaceCaller) {
    return "operation '" + op + "' does not run in a race (workload = \"race\"); a race runs " +
           Quoted(ops.NamesFor(kRaceCaller));
  }
  return "in workload = \"close\" or \"ledger\" the mix is for background workers: " +
         Quoted(ops.NamesFor(kBackground));
}

void ReadMix(const CaseReader& r, const OperationTable& ops, CaseSpec* c) {
  const Role role = MixRole(c->workload);
  for (const auto& [op, f] : r.Sub("mix")) {
    const OperationDef* def = ops.Find(op);
    if (!def) Fail(f->where, "unknown operation '" + op + "'" + DidYouMean(op, ops.Names()));
    double w = 0;
    if (f->node->is_integer()) w = static_cast<double>(f->node->as_integer()->get());
    else if (f->node->is_floating_point()) w = f->node->as_floating_point()->get();
    else Fail(f->where, "weight of '" + op + "' must be a number, got " + TypeName(*f->node));
    if (!(w > 0 && w < 1e9)) Fail(f->where, "weight of '" + op + "' must be positive");
    if (!def->Plays(role)) Fail(f->where, WrongRole(op, role, ops));
    c->mix[op] = w;
  }
  if (!c->mix.empty()) return;
  // No mix: the race runs the first operation that races; the background,
  // every operation with a default weight (when there are workers).
  for (const OperationDef& def : ops.rows()) {
    if (!def.Plays(role)) continue;
    if (role == kRaceCaller) {
      c->mix[def.name] = 1;
      return;
    }
    if (def.default_weight > 0 && c->workers > 0) c->mix[def.name] = def.default_weight;
  }
}

void ReadStrategies(const CaseReader& r, const OperationTable& ops, CaseSpec* c) {
  for (const auto& [op, f] : r.Sub("strategy")) {
    const OperationDef* def = ops.Find(op);
    if (!def) Fail(f->where, "unknown operation '" + op + "'" + DidYouMean(op, ops.Names()));
    if (!f->node->is_string()) Fail(f->where, "strategy of '" + op + "' must be a string, got " + TypeName(*f->node));
    const std::string s = f->node->as_string()->get();
    if (!Contains(def->strategies, s)) {
      Fail(f->where, "unknown strategy '" + s + "' for '" + op + "'" + DidYouMean(s, def->strategies) +
                         "; known: " + Quoted(def->strategies));
    }
    c->strategies[op] = s;
  }
  for (const auto& [op, w] : c->mix) {
    if (!c->strategies.count(op)) c->strategies[op] = ops.Find(op)->strategies.front();
  }
  if (c->workload != Workload::kClose) return;
  for (const std::string& op : ops.NamesFor(kCloser)) {
    if (!c->strategies.count(op)) c->strategies[op] = ops.Find(op)->strategies.front();
  }
}

void ReadMixAndStrategies(const CaseReader& r, CaseSpec* c) {
  ReadMix(r, BuiltinOperations(), c);
  ReadStrategies(r, BuiltinOperations(), c);
}

void ReadSchemaOptions(const CaseReader& r, CaseSpec* c) {
  for (const SchemaOptionInfo& o : SchemaOptions()) c->schema_options[o.name] = o.default_value;
  for (const auto& [opt, f] : r.Sub("schema")) {
    if (!Contains(SchemaOptionNames(), opt)) {
      Fail(f->where, "unknown schema option '" + opt + "'" + DidYouMean(opt, SchemaOptionNames()));
    }
    if (!f->node->is_boolean()) Fail(f->where, "schema option '" + opt + "' must be true or false");
    c->schema_options[opt] = f->node->as_boolean()->get();
  }
  const Field* s = r.Find("strategy.saka_get_or_create_wallet");
  if (c->mix.count("saka_get_or_create_wallet") &&
      c->strategies["saka_get_or_create_wallet"] == "insert_on_conflict" &&
      !c->schema_options["saka_unique_user"]) {
    Fail(s ? s->where : r.Find("schema.saka_unique_user")->where,
         "strategy 'insert_on_conflict' needs schema.saka_unique_user = true "
         "(ON CONFLICT (user_id) names the unique constraint)");
  }
}

void ReadThresholds(const CaseReader& r, CaseSpec* c) {
  std::vector<std::string> ops;
  for (const auto& [op, w] : c->mix) ops.push_back(op);
  if (c->workload == Workload::kClose) ops.push_back("close_project_success");
  const std::vector<std::string> known = KnownMetrics(ops, c->workload == Workload::kClose);
  for (const auto& [metric, f] : r.Sub("thresholds")) {
    if (!Contains(known, metric)) {
      Fail(f->where, "threshold on unknown metric '" + metric + "'" + DidYouMean(metric, known) +
                         ": this case does not produce it");
    }
    if (!f->node->is_string()) Fail(f->where, "threshold '" + metric + "' must be a string such as \"< 50ms\"");
    Threshold t;
    std::string error;
    if (!ParseThreshold(metric, KindOf(metric), f->node->as_string()->get(), &t, &error)) Fail(f->where, error);
    c->thresholds.push_back(t);
  }
}

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

CaseSpec ReadCase(const Fields& fields, const std::string& case_where, std::size_t index,
                  std::uint64_t scenario_seed, const std::vector<SqlInvariant>& sql) {
  CaseSpec c;
  CaseReader probe(fields, case_where, "#" + std::to_string(index + 1));
  c.name = probe.String("name", "", /*required=*/true);
  if (c.name.empty()) Fail(probe.Find("name")->where, "'name' must not be empty");
  CaseReader r(fields, case_where, c.name);
  c.description = r.String("description", "");

  const std::string expect = r.String("expect", "pass");
  if (expect == "pass") c.expect = Expectation::kPass;
  else if (expect == "violation") c.expect = Expectation::kViolation;
  else Fail(r.Find("expect")->where, "'expect' must be \"pass\" or \"violation\", got \"" + expect + "\"");

  c.invariants = r.Names("invariants", InvariantNames(), "invariant");
  if (c.invariants.empty()) c.invariants = InvariantNames();
  std::vector<std::string> violable = c.invariants;
  for (const SqlInvariant& q : sql) violable.push_back(q.name);
  c.sql_invariants = sql;
  violable.push_back("error_rate");
  violable.push_back("retry_discipline");
  c.violates = r.Names("violates", violable, "invariant or check");
  if (!c.violates.empty() && c.expect != Expectation::kViolation) {
    Fail(r.Find("violates")->where, "'violates' needs expect = \"violation\"");
  }

  const std::string workload = r.String("workload", "race");
  if (workload == "race") c.workload = Workload::kRace;
  else if (workload == "close") c.workload = Workload::kClose;
  else if (workload == "ledger") c.workload = Workload::kLedger;
  else Fail(r.Find("workload")->where, "'workload' must be \"race\", \"close\" or \"ledger\", got \"" + workload + "\"");
  const bool close = c.workload == Workload::kClose;

  c.workers = static_cast<int>(r.Integer("workers", close ? 0 : 1, 2000, 0, /*required=*/!close));
  c.calls_per_worker = r.Integer("calls_per_worker", 1, 1000000000, 0);
  c.duration = r.Duration("duration", std::chrono::milliseconds(0));
  if (close) {
    for (const char* k : {"calls_per_worker", "duration", "users_per_round"}) {
      if (r.Find(k)) {
        Fail(r.Find(k)->where, std::string("'") + k + "' does not apply to workload = \"close\": " +
                                   "background workers run until every close has returned");
      }
    }
  } else if (c.calls_per_worker == 0 && c.duration.count() == 0) {
    if (r.Find("duration")) Fail(r.Find("duration")->where, "'duration' must be more than 0");
    Fail(case_where, "case '" + c.name + "' needs 'calls_per_worker' or 'duration'");
  }
  if (!close) {
    for (const char* k : {"escrows", "projects", "closers_per_project", "release_batch_size",
                          "max_escrows_per_close", "commission_rate", "fee_rate"}) {
      if (r.Find(k)) Fail(r.Find(k)->where, std::string("'") + k + "' needs workload = \"close\"");
    }
  }
  c.escrows = static_cast<int>(r.Integer("escrows", 1, 1000000, c.escrows));
  c.projects = static_cast<int>(r.Integer("projects", 1, 100, c.projects));
  c.closers_per_project = static_cast<int>(r.Integer("closers_per_project", 1, 16, c.closers_per_project));
  c.donors = static_cast<int>(r.Integer("donors", 1, 1000000, c.donors));
  c.release_batch_size = static_cast<int>(r.Integer("release_batch_size", 1, 1000000, c.release_batch_size));
  c.max_escrows_per_close =
      static_cast<int>(r.Integer("max_escrows_per_close", 1, 100000000, c.max_escrows_per_close));
  c.commission_rate_ppm = r.RatePpm("commission_rate", c.commission_rate_ppm);
  c.fee_rate_ppm = r.RatePpm("fee_rate", c.fee_rate_ppm);
  if (r.Find("donors") && c.workload == Workload::kRace) {
    Fail(r.Find("donors")->where, "'donors' needs workload = \"close\" or \"ledger\"");
  }
  c.retry = r.String("retry", "none");
  if (c.retry != "none" && c.retry != "in_transaction" && c.retry != "per_transaction") {
    Fail(r.Find("retry")->where, "'retry' must be \"none\", \"in_transaction\" or \"per_transaction\"" +
                                     DidYouMean(c.retry, {"none", "in_transaction", "per_transaction"}));
  }
  c.max_attempts = static_cast<int>(r.Integer("max_attempts", 1, 10, c.max_attempts));
  c.retry_base_delay = r.Duration("retry_base_delay", c.retry_base_delay);
  c.retry_jitter = r.Bool("retry_jitter", c.retry_jitter);
  c.deadlock_injection = r.Bool("deadlock_injection", false);
  c.deadlock_every = r.Duration("deadlock_every", c.deadlock_every);
  if (c.deadlock_every.count() < 10) Fail(r.Find("deadlock_every")->where, "'deadlock_every' must be at least 10ms");
  c.backend_kill_every = r.Duration("backend_kill_every", c.backend_kill_every);
  if (c.backend_kill_every.count() > 0 && c.backend_kill_every.count() < 10) {
    Fail(r.Find("backend_kill_every")->where, "'backend_kill_every' must be 0 (off) or at least 10ms");
  }
  if (c.backend_kill_every.count() > 0 && c.workload != Workload::kLedger) {
    Fail(r.Find("backend_kill_every")->where, "'backend_kill_every' needs workload = \"ledger\"");
  }
  if (const auto* f = r.Find("monitor_interval")) {
    c.monitor_interval = r.Duration("monitor_interval", c.monitor_interval);
    if (c.workload == Workload::kRace) Fail(f->where, "'monitor_interval' needs workload = \"close\" or \"ledger\"");
    if (c.monitor_interval.count() > 0 && c.monitor_interval.count() < 5) {
      Fail(f->where, "'monitor_interval' must be 0 (off) or at least 5ms");
    }
  } else {
    c.monitor_interval = std::chrono::milliseconds(c.workload == Workload::kClose ? 10 : 50);
  }
  if (c.commission_rate_ppm + c.fee_rate_ppm > 1000000) {
    Fail(r.Find("fee_rate") ? r.Find("fee_rate")->where : case_where,
         "commission_rate + fee_rate must not exceed 1");
  }
  c.rounds = static_cast<int>(r.Integer("rounds", 1, 100000, 1));
  c.users_per_round = static_cast<int>(r.Integer("users_per_round", 1, 1000000, 1));

  ReadMixAndStrategies(r, &c);
  ReadSchemaOptions(r, &c);
  ReadThresholds(r, &c);
  if (c.deadlock_injection && !c.mix.count("pledge_funds")) {
    Fail(r.Find("deadlock_injection")->where, "deadlock_injection injects into pledge_funds: add it to the mix");
  }
  if (c.deadlock_injection && c.workload == Workload::kRace) {
    Fail(r.Find("deadlock_injection")->where, "deadlock_injection needs workload = \"ledger\" or \"close\"");
  }

  c.max_error_rate = r.Number("max_error_rate", 0, 1, 0);
  c.lock_timeout = r.Duration("lock_timeout", c.lock_timeout);
  c.statement_timeout = r.Duration("statement_timeout", c.statement_timeout);
  const std::int64_t seed = r.Integer("seed", 0, INT64_MAX, -1);
  c.seed = seed >= 0 ? static_cast<std::uint64_t>(seed) : SplitMix64(scenario_seed + index);
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

}  // namespace

int Scenario::MaxWorkers() const {
  int m = 0;
  for (const CaseSpec& c : cases) {
    const int closers = c.workload == Workload::kClose ? c.projects * c.closers_per_project : 0;
    m = std::max(m, c.workers + closers);
  }
  return m;
}

const char* ExpectationName(Expectation e) {
  return e == Expectation::kPass ? "pass" : "violation";
}

Scenario ParseScenario(const std::string& text, const std::string& path,
                       const LoadOptions& options) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    Fail(Where(path, e.source()), std::string(e.description()));
  }

  Scenario s;
  s.path = path;
  for (auto&& [k, v] : root) {
    const std::string key(k.str());
    if (!Contains(kTopKeys, key)) {
      std::string hint = DidYouMean(key, kTopKeys);
      if (hint.empty() && Contains(kCaseKeys, key)) hint = " (case keys go in [defaults] or [[case]])";
      Fail(Where(path, k.source()), "unknown key '" + key + "'" + hint);
    }
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

  Fields defaults;
  if (const toml::node* d = root.get("defaults")) {
    if (!d->is_table()) Fail(Where(path, d->source()), "'defaults' must be a table");
    defaults = CollectLayer(*d->as_table(), path);
  }
  std::deque<toml::table> override_storage;
  std::vector<Fields> overrides;
  for (const std::string& o : options.overrides) overrides.push_back(OverrideLayer("--set", o, &override_storage));
  for (const std::string& o : options.varied) overrides.push_back(OverrideLayer("--vary", o, &override_storage));

  const toml::node* cases = root.get("case");
  if (!cases || !cases->is_array() || cases->as_array()->empty()) {
    Fail(cases ? Where(path, cases->source()) : path,
         "no [[case]] tables: a scenario needs at least one case");
  }
  const std::vector<SqlInvariant> sql = ReadSqlInvariants(root, path);
  std::map<std::string, std::string> seen_names;
  for (const toml::node& node : *cases->as_array()) {
    const std::string case_where = Where(path, node.source());
    if (!node.is_table()) Fail(case_where, "each 'case' must be a table ([[case]])");
    Fields fields;
    Overlay(defaults, &fields);
    Overlay(CollectLayer(*node.as_table(), path), &fields);
    for (const Fields& o : overrides) Overlay(o, &fields);
    CaseSpec c = ReadCase(fields, case_where, s.cases.size(), s.seed, sql);
    auto [it, inserted] = seen_names.emplace(c.name, case_where);
    if (!inserted) {
      Fail(fields.at("name").where, "duplicate case name '" + c.name + "' (first at " + it->second + ")");
    }
    s.cases.push_back(std::move(c));
  }
  return s;
}

Scenario LoadScenarioFile(const std::string& path, const LoadOptions& options) {
  return ParseScenario(ReadFile(path), path, options);
}

}  // namespace ledgerstress
