// The case keys that are tables: mix, strategy, schema, thresholds.
#include <sstream>

#include "harness/scenario/case_keys.h"
#include "harness/scenario/catalog.h"
#include "harness/scenario/suggest.h"
#include "harness/scenario/threshold.h"

namespace ledgerstress {
namespace {

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
    c->strategy_where[op] = f->where;  // until strategy.<op> says otherwise: where a driver's check points
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
    c->strategy_where[op] = f->where;
    if (c->driver) {
      // The driver's own names: checked against what it offers before any case runs.
      if (s.empty()) Fail(f->where, "strategy of '" + op + "' must not be empty");
    } else if (!Contains(def->strategies, s)) {
      Fail(f->where, "unknown strategy '" + s + "' for '" + op + "'" + DidYouMean(s, def->strategies) +
                         "; known: " + Quoted(def->strategies));
    }
    c->strategies[op] = s;
  }
  for (const auto& [op, w] : c->mix) {
    // A driver case's default is the driver's first strategy, known once it answers init.
    if (!c->strategies.count(op)) c->strategies[op] = c->driver ? "" : ops.Find(op)->strategies.front();
  }
  if (c->workload != Workload::kClose) return;
  for (const std::string& op : ops.NamesFor(kCloser)) {
    if (!c->strategies.count(op)) c->strategies[op] = ops.Find(op)->strategies.front();
  }
}

}  // namespace

void ReadMixAndStrategies(const CaseReader& r, CaseSpec* c) {
  ReadMix(r, *c->operations, c);
  ReadStrategies(r, *c->operations, c);
}

std::string FormatNumber(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

const std::vector<std::string>& SchemaFreeInvariants() {
  static const std::vector<std::string> names = {"acknowledged_writes_durable"};
  return names;
}

void ReadVars(const CaseReader& r, CaseSpec* c) {
  for (const auto& [name, f] : r.Sub("vars")) {
    CaseVar v;
    v.where = f->where;
    if (f->node->is_integer()) v.text = std::to_string(f->node->as_integer()->get());
    else if (f->node->is_string()) v.text = f->node->as_string()->get(), v.is_string = true;
    else if (f->node->is_boolean()) v.text = f->node->as_boolean()->get() ? "true" : "false";
    else if (f->node->is_floating_point()) v.text = FormatNumber(f->node->as_floating_point()->get());
    else Fail(f->where, "'vars." + name + "' must be a string, a number or a boolean, got " + TypeName(*f->node));
    c->vars[name] = v;
  }
}

void ReadSchemaOptions(const CaseReader& r, CaseSpec* c) {
  for (const SchemaOptionInfo& o : SchemaOptions()) c->schema_options[o.name] = o.default_value;
  for (const auto& [opt, f] : r.Sub("schema")) {
    if (c->user_schema) {
      Fail(f->where, "'schema." + opt + "' is an option of the built-in schema; this scenario brings its own [schema]");
    }
    if (!Contains(SchemaOptionNames(), opt)) {
      Fail(f->where, "unknown schema option '" + opt + "'" + DidYouMean(opt, SchemaOptionNames()));
    }
    if (!f->node->is_boolean()) Fail(f->where, "schema option '" + opt + "' must be true or false");
    c->schema_options[opt] = f->node->as_boolean()->get();
  }
}

namespace {

// A setting name as PostgreSQL spells them: lower case, digits, '_', and one
// '.' for an extension's setting (pg_stat_statements.track).
bool IsSettingName(const std::string& n) {
  std::size_t dots = 0;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char ch = n[i];
    if (ch == '.') {
      if (++dots > 1 || i == 0 || i + 1 == n.size()) return false;
    } else if (!((ch >= 'a' && ch <= 'z') || ch == '_' || (ch >= '0' && ch <= '9' && i > 0))) {
      return false;
    }
  }
  return !n.empty();
}

// The settings the harness itself sets on its sessions.
const std::vector<std::string> kOwnSettings = {"application_name", "search_path", "lock_timeout", "statement_timeout",
                                               "plan_cache_mode"};

}  // namespace

void ReadSessionSettings(const CaseReader& r, CaseSpec* c) {
  for (const auto& [name, f] : r.Sub("session")) {
    if (!IsSettingName(name)) Fail(f->where, "'session." + name + "' is not a setting name");
    if (Contains(kOwnSettings, name)) {
      Fail(f->where, "'session." + name + "': the harness sets " + name + " itself" +
                         (name == "lock_timeout" || name == "statement_timeout" ? ": use the case key '" + name + "'"
                                                                                 : ""));
    }
    std::string value;
    if (f->node->is_string()) value = f->node->as_string()->get();
    else if (f->node->is_integer()) value = std::to_string(f->node->as_integer()->get());
    else if (f->node->is_boolean()) value = f->node->as_boolean()->get() ? "on" : "off";
    else Fail(f->where, "'session." + name + "' must be a string, an integer or a boolean, got " + TypeName(*f->node));
    c->session.emplace_back(name, value);
    c->session_where.push_back(f->where);
  }
}

void ReadThresholds(const CaseReader& r, CaseSpec* c) {
  std::vector<std::string> ops;
  for (const auto& [op, w] : c->mix) ops.push_back(op);
  if (c->workload == Workload::kClose) ops.push_back("close_project_success");
  const std::vector<std::string> known = KnownMetrics(ops, c->workload == Workload::kClose, c->arrival_rate_per_s > 0);
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

}  // namespace ledgerstress
