// The rules of a scenario's own SQL, case by case (case_check.h).
#include <cstdlib>
#include <map>

#include "harness/operations/sql_operation.h"
#include "harness/scenario/case_check.h"
#include "harness/scenario/suggest.h"
#include "settlement/money.h"

namespace ledgerstress {
namespace {

// Where the case names `op` (its mix weight or strategy), else the case.
std::string WhereOp(const CaseSpec& c, const std::string& op, const std::string& case_where) {
  const auto it = c.strategy_where.find(op);
  return it == c.strategy_where.end() ? case_where : it->second;
}

// The variables something reads: where the first reader is, and what it is.
struct Reader {
  std::string where, what;
};
using Readers = std::map<std::string, Reader>;

Readers VariablesRead(const CaseSpec& c) {
  Readers read;
  if (c.user_schema) {
    for (const std::string& v : c.user_schema->fixture_vars) {
      read.emplace(v, Reader{c.user_schema->fixture_where, "the [schema] fixture"});
    }
    // The fixture command gets every variable (LEDGERSTRESS_VAR_<name>): each counts as read.
    if (c.user_schema->fixture_command.given()) {
      for (const auto& [name, v] : c.vars) read.emplace(name, Reader{c.user_schema->fixture_where, "the [schema] fixture_command"});
    }
  }
  for (const SqlInvariant& q : c.sql_invariants) {
    for (const std::string& v : q.vars) read.emplace(v, Reader{q.where, "the query of sql_invariant '" + q.name + "'"});
  }
  for (const auto& [name, weight] : c.mix) {
    const OperationDef& def = *c.operations->Find(name);
    if (!def.sql) continue;
    for (const SqlParam& p : def.sql->params) {
      for (const RangeBound* b : {&p.gen.lo, &p.gen.hi}) {
        if (!b->var.empty()) read.emplace(b->var, Reader{p.where, "params." + p.name + " of operation '" + name + "'"});
      }
    }
  }
  return read;
}

void CheckVariables(const CaseSpec& c, const std::string& case_where) {
  const Readers read = VariablesRead(c);
  std::vector<std::string> set;
  for (const auto& [name, v] : c.vars) set.push_back(name);
  for (const auto& [name, reader] : read) {
    if (!c.vars.count(name)) {
      Fail(reader.where, "case '" + c.name + "' does not set vars." + name + DidYouMean(name, set) + ", which " +
                             reader.what + " reads (set it in [defaults], the case, or with --set vars." + name +
                             "=...)");
    }
  }
  for (const auto& [name, v] : c.vars) {
    if (!read.count(name)) {
      Fail(v.where, "vars." + name + " is set but nothing reads it: not the [schema] fixture nor a [[sql_invariant]] (:" +
                        name + ") nor a generator of an operation in the mix (\"vars." + name + "\")");
    }
  }
}

// A range bound naming a variable needs the variable to be a number of
// the range's kind.
void CheckBounds(const CaseSpec& c, const SqlOperation& op) {
  for (const SqlParam& p : op.params) {
    const bool money = p.gen.kind == GeneratorKind::kMoney;
    if (!money && p.gen.kind != GeneratorKind::kInt) continue;
    std::int64_t lo = p.gen.lo.value, hi = p.gen.hi.value;
    for (auto [b, out] : {std::make_pair(&p.gen.lo, &lo), std::make_pair(&p.gen.hi, &hi)}) {
      if (b->var.empty()) continue;
      const CaseVar& v = c.vars.at(b->var);
      bool ok = false;
      if (money) {
        ok = settlement::ParseCents(v.text, out);
      } else {
        char* end = nullptr;
        *out = std::strtoll(v.text.c_str(), &end, 10);
        ok = !v.text.empty() && *end == '\0';
      }
      if (!ok) {
        Fail(v.where, "vars." + b->var + " = " + v.text + " bounds '" + p.name + "' of operation '" + op.name +
                          "': it must be " + (money ? "an amount such as \"12.50\"" : "an integer"));
      }
    }
    if (lo > hi) Fail(p.where, "'" + p.name + "' of operation '" + op.name + "': in case '" + c.name + "' the low bound is above the high one");
  }
}

// Fixture generators read the built-in fixture the workload creates.
void CheckFixtureGenerators(const CaseSpec& c, const SqlOperation& op) {
  for (const SqlParam& p : op.params) {
    if (p.gen.kind != GeneratorKind::kFixture) continue;
    const std::string& f = p.gen.fixture;
    if (c.user_schema) {
      Fail(p.where, "{ fixture = \"" + f + "\" } draws from the built-in schema's fixture; this scenario brings its "
                    "own [schema]: use { int = [...] } over your own rows");
    }
    if (c.workload == Workload::kExplore) {
      Fail(p.where, "{ fixture = \"" + f + "\" } draws from the race, close and ledger workloads' fixtures; an explore "
                    "case's built-in fixture is users 1 to 10: use { int = [1, 10] }, or fix the value in its session");
    }
    const bool race = c.workload == Workload::kRace;
    if (race != (f == "race_user")) {
      Fail(p.where, "{ fixture = \"" + f + "\" } needs " +
                        (f == "race_user" ? std::string("workload = \"race\"") : std::string("workload = \"close\" or \"ledger\"")) +
                        "; case '" + c.name + "' is " + WorkloadName(c.workload));
    }
  }
}

}  // namespace

void CheckSqlCase(const CaseReader&, const std::string& case_where, const CaseSpec& c) {
  CheckVariables(c, case_where);
  if (c.user_schema && c.workload == Workload::kClose) {
    Fail(case_where, "case '" + c.name + "': workload = \"close\" closes the built-in schema's projects; this "
                     "scenario brings its own [schema] (use \"race\" or \"ledger\")");
  }
  for (const auto& [name, w] : c.mix) {
    const OperationDef& def = *c.operations->Find(name);
    const std::string where = WhereOp(c, name, case_where);
    if (!def.sql) {
      if (c.user_schema) {
        Fail(where, "operation '" + name + "' runs on the built-in tables, which this scenario's own [schema] "
                    "does not have: give the case a mix of its [[operation]]s");
      }
      continue;
    }
    if (c.driver && !def.sql->declared()) {
      Fail(where, "operation '" + name + "' is SQL the harness runs itself; a case with a driver runs every "
                  "operation in the driver (declare it without 'statements' for the driver to implement it)");
    }
    if (!c.driver && def.sql->declared()) {
      Fail(where, "operation '" + name + "' has no 'statements': a driver implements it, and case '" + c.name +
                  "' names none (driver = \"<name>\" of a [drivers.<name>] table)");
    }
    if (c.ledger.deadlock_injection) {
      Fail(where, "deadlock_injection targets the built-in pledges' wallets; SQL operation '" + name +
                      "' cannot be its victim (use a statement that deadlocks, or the built-in pledge_funds)");
    }
    CheckBounds(c, *def.sql);
    CheckFixtureGenerators(c, *def.sql);
  }
}

}  // namespace ledgerstress
