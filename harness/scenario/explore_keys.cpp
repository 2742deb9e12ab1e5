// `sessions` of the explore workload: 2..4 sessions, each a list of calls
// of [[operation]]s that the explorer runs statement by statement.
#include <cstdint>
#include <cstdlib>
#include <set>

#include "harness/operations/sql_operation.h"
#include "harness/scenario/case_key_readers.h"
#include "harness/scenario/suggest.h"
#include "settlement/money.h"

namespace ledgerstress::case_key_readers {
namespace {

constexpr std::size_t kMaxSessions = 4;
constexpr std::size_t kMaxCalls = 8;

// The position of an element: its own when it has one (a file), else the key's (--set).
std::string At(const toml::node& n, const Field& f) {
  const toml::source_region& src = n.source();
  if (!src.path || src.begin.line == 0) return f.where;
  return Where(*src.path, src);
}

std::vector<std::string> SqlOperationNames(const Ctx& ctx) {
  std::vector<std::string> names;
  for (const OperationDef& d : ctx.operations->rows()) {
    if (d.sql && !d.sql->declared()) names.push_back(d.name);
  }
  return names;
}

// The operation `name` at `where`, refused unless it is SQL the explorer can step.
void CheckExplorable(const Ctx& ctx, const std::string& name, const std::string& where) {
  const OperationDef* d = ctx.operations->Find(name);
  const std::vector<std::string> known = SqlOperationNames(ctx);
  if (!d) {
    Fail(where, "no operation '" + name + "'" + DidYouMean(name, known) +
                    "; the explorer steps through [[operation]]s with statements (this scenario has: " +
                    (known.empty() ? std::string("none") : Quoted(known)) + ")");
  }
  if (!d->sql) {
    Fail(where, "operation '" + name + "' is built-in C++ code, which the explorer cannot run statement by "
                "statement: name an [[operation]] with statements (" +
                    (known.empty() ? std::string("this scenario has none") : Quoted(known)) + ")");
  }
  if (d->sql->declared()) {
    Fail(where, "operation '" + name + "' has no statements (a driver implements it): the explorer runs SQL "
                "statement by statement; give it statements");
  }
  if (!d->sql->transaction) {
    Fail(where, "operation '" + name + "' has transaction = false: each of its statements commits on its own, "
                "and the explorer interleaves transactions (remove transaction = false, or split it into "
                "operations of one statement each)");
  }
}

// A fixed value where the param's generator draws a number must be one.
void CheckFixedValue(const SqlOperation& op, const std::string& name, const std::string& value, const ExploreCall& call) {
  for (const SqlParam& p : op.params) {
    if (p.name != name) continue;
    bool ok = true;
    if (p.gen.kind == GeneratorKind::kInt) {
      char* end = nullptr;
      std::strtoll(value.c_str(), &end, 10);
      ok = !value.empty() && *end == '\0';
    } else if (p.gen.kind == GeneratorKind::kMoney) {
      settlement::Cents c = 0;
      ok = settlement::ParseCents(value, &c);
    }
    if (p.gen.kind == GeneratorKind::kUnique) {
      Fail(call.where, "param '" + name + "' of operation '" + op.name + "' is the call's key ({ unique = true }): "
                       "the harness sets it (explore-s<session>-<call>) and looks the call up by it; do not fix it");
    }
    if (!ok) {
      Fail(call.where, "param '" + name + "' of operation '" + op.name + "' is drawn as " +
                           (p.gen.kind == GeneratorKind::kInt ? "an integer" : "an amount such as \"12.50\"") +
                           "; the value fixed here, \"" + value + "\", is not one");
    }
  }
}

// One call: "op" or { op = "op", <param> = value, ... }.
ExploreCall ReadCall(const toml::node& n, const Field& f, const Ctx& ctx) {
  ExploreCall call;
  call.where = At(n, f);
  if (n.is_string()) {
    call.op = n.as_string()->get();
  } else if (const toml::table* t = n.as_table()) {
    const toml::node* op = t->get("op");
    if (!op || !op->is_string()) Fail(call.where, "a call written as a table needs op = \"<operation>\"");
    call.op = op->as_string()->get();
    for (const auto& [k, v] : *t) {
      if (k.str() == "op") continue;
      std::string text;
      if (v.is_string()) text = v.as_string()->get();
      else if (v.is_integer()) text = std::to_string(v.as_integer()->get());
      else Fail(At(v, f), "param '" + std::string(k.str()) + "' must be a string or an integer, got " + TypeName(v));
      call.fixed.emplace(std::string(k.str()), text);
    }
  } else {
    Fail(call.where, "a call is an operation's name or { op = \"<operation>\", <param> = value }, got " + TypeName(n));
  }
  CheckExplorable(ctx, call.op, call.where);
  const SqlOperation& op = *ctx.operations->Find(call.op)->sql;
  std::vector<std::string> params;
  for (const SqlParam& p : op.params) params.push_back(p.name);
  for (const auto& [name, value] : call.fixed) {
    CheckFixedValue(op, name, value, call);
    if (!Contains(params, name)) {
      Fail(call.where, "operation '" + call.op + "' has no param '" + name + "'" + DidYouMean(name, params) +
                           " (its params: " + (params.empty() ? std::string("none") : Quoted(params)) + ")");
    }
  }
  return call;
}

}  // namespace

void ReadExploreSessions(const CaseReader& r, const Ctx& ctx, CaseSpec* c) {
  const Field* f = r.Find("sessions");
  if (!f) r.Missing("sessions");
  const toml::array* sessions = f->node->as_array();
  if (!sessions) Fail(f->where, "'sessions' must be an array of sessions, each an array of calls, got " + TypeName(*f->node));
  if (sessions->size() < 2 || sessions->size() > kMaxSessions) {
    Fail(f->where, "'sessions' has " + std::to_string(sessions->size()) +
                       " session(s): the explorer interleaves 2 to 4 (the orders grow as a factorial: 4 sessions "
                       "of 4 steps have 63 million)");
  }
  c->explore.sessions.clear();
  c->mix.clear();
  for (const toml::node& s : *sessions) {
    const toml::array* calls = s.as_array();
    if (!calls || calls->empty() || calls->size() > kMaxCalls) {
      Fail(At(s, *f), "a session is an array of 1 to " + std::to_string(kMaxCalls) + " calls (operation names or { op = \"<name>\", ... }), got " +
                          (calls ? std::to_string(calls->size()) + " calls" : TypeName(s)));
    }
    std::vector<ExploreCall> session;
    for (const toml::node& n : *calls) session.push_back(ReadCall(n, *f, ctx));
    for (const ExploreCall& call : session) {
      c->mix[call.op] = 1;
      c->strategies[call.op] = "as_written";
      c->strategy_where.emplace(call.op, call.where);
    }
    c->explore.sessions.push_back(std::move(session));
  }
  c->workers = static_cast<int>(c->explore.sessions.size());
}

void ShowExploreSessions(const CaseSpec& c, Settings* s) {
  for (std::size_t i = 0; i < c.explore.sessions.size(); ++i) {
    std::string calls;
    for (const ExploreCall& call : c.explore.sessions[i]) {
      std::string fixed;
      for (const auto& [k, v] : call.fixed) fixed += (fixed.empty() ? "" : ", ") + k + "=" + v;
      calls += (calls.empty() ? "" : ", ") + call.op + (fixed.empty() ? "" : "(" + fixed + ")");
    }
    s->emplace_back("sessions." + std::to_string(i + 1), calls);
  }
}

// Its row's `keys`: the sessions and how many of their orders it runs.
std::vector<CaseKeyDef> ExploreKeyRows() {
  return {
      {"sessions", 0, false, ReadExploreSessions, ShowExploreSessions},
      {"max_schedules", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->explore.max_schedules = r.Integer("max_schedules", 1, 1000000, 1000); },
       [](const CaseSpec& c, Settings* s) { Show(s, "max_schedules", std::to_string(c.explore.max_schedules)); }},
      {"schedules", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->explore.schedules = r.Integer("schedules", 1, 1000000, 0); },
       [](const CaseSpec& c, Settings* s) {
         if (c.explore.schedules > 0) Show(s, "schedules", std::to_string(c.explore.schedules));
       }},
      {"pct_depth", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->explore.pct_depth = static_cast<int>(r.Integer("pct_depth", 1, 5, 2)); },
       [](const CaseSpec& c, Settings* s) { Show(s, "pct_depth", std::to_string(c.explore.pct_depth)); }},
      {"schedule", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->explore.schedule = r.Integer("schedule", 0, INT64_MAX, -1);
         if (const Field* f = r.Find("schedule")) c->explore.schedule_where = f->where;
       },
       [](const CaseSpec& c, Settings* s) {
         if (c.explore.schedule >= 0) Show(s, "schedule", std::to_string(c.explore.schedule));
       }},
  };
}

}  // namespace ledgerstress::case_key_readers
