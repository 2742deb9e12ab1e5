#include "harness/operations/sql_operation.h"

#include <algorithm>
#include <random>

#include <pqxx/except>

#include "harness/operations/call.h"
#include "harness/operations/no_effect.h"
#include "settlement/counted.h"
#include "settlement/money.h"
#include "settlement/retry.h"

namespace ledgerstress {
namespace {

// A generator with its range bounds resolved for one case.
struct Drawn {
  const SqlGenerator* gen;
  std::int64_t lo = 0, hi = 0;
};

// What every call of one operation in one case shares.
struct Binding {
  std::shared_ptr<const SqlOperation> op;
  std::vector<Drawn> draws;  // parallel to op->params
};

// One call's values by slot, reused by the worker thread's next call (a
// worker runs one call at a time): no allocation per call once warm.
struct Scratch {
  std::vector<std::string> values;
  std::vector<char> null;
  std::vector<const char*> ptrs;
};

std::int64_t Resolve(const RangeBound& b, const VarValues& vars, bool money) {
  if (b.var.empty()) return b.value;
  const std::string& text = vars.at(b.var);
  if (money) {
    settlement::Cents c = 0;
    settlement::ParseCents(text, &c);
    return c;
  }
  return std::stoll(text);
}

std::int64_t Uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

std::int64_t FixtureValue(const std::string& which, const CallContext& ctx) {
  const Targets& t = ctx.targets;
  if (which == "donor") return t.donor_first_user + Uniform(ctx.rng, 0, std::max(t.donors, 1) - 1);
  if (which == "background_project") return t.background_project;
  if (which == "race_user") {
    return t.race_first_user + static_cast<std::int64_t>(ctx.round) * t.users_per_round +
           Uniform(ctx.rng, 0, std::max(t.users_per_round, 1) - 1);
  }
  // "owner"
  if (t.owner_users.empty()) return t.donor_first_user;
  return t.owner_users[static_cast<std::size_t>(Uniform(ctx.rng, 0, static_cast<std::int64_t>(t.owner_users.size()) - 1))];
}

void Draw(const Drawn& d, CallContext& ctx, std::string* out) {
  const SqlGenerator& g = *d.gen;
  switch (g.kind) {
    case GeneratorKind::kInt: *out = std::to_string(Uniform(ctx.rng, d.lo, d.hi)); return;
    case GeneratorKind::kMoney: *out = settlement::FormatCents(Uniform(ctx.rng, d.lo, d.hi)); return;
    case GeneratorKind::kChoice:
      *out = g.choices[static_cast<std::size_t>(Uniform(ctx.rng, 0, static_cast<std::int64_t>(g.choices.size()) - 1))];
      return;
    case GeneratorKind::kUnique: *out = ctx.key; return;
    case GeneratorKind::kWorker: *out = std::to_string(ctx.worker); return;
    case GeneratorKind::kRound: *out = std::to_string(ctx.round); return;
    case GeneratorKind::kFixture: *out = std::to_string(FixtureValue(g.fixture, ctx)); return;
  }
}

// A statement's `rows` rule: a count other than `rows` ends the call as
// its `otherwise` says (thrown: the transaction rolls back).
void CheckRowCount(const SqlOperation& op, std::size_t i, const settlement::Rows& rows) {
  const SqlStatement& st = op.statements[i];
  const std::int64_t n = rows.affected_rows() > 0 ? rows.affected_rows() : static_cast<std::int64_t>(rows.size());
  if (n == st.rows) return;
  const std::string what = "operation '" + op.name + "', statement " + std::to_string(i + 1) + ": " +
                           std::to_string(n) + " row(s), not " + std::to_string(st.rows);
  switch (st.otherwise) {
    case SqlStatement::Otherwise::kNoEffect: throw CallTookNoEffect(what + ": no effect");
    case SqlStatement::Otherwise::kExpected: throw ExpectedSqlFailure(what + ": refused", "");
    case SqlStatement::Otherwise::kError: throw std::runtime_error(what);
  }
}

// Runs the statements through `exec` (a transaction's or autocommit),
// binding each gset statement's columns into the slots after it.
template <typename Exec>
void RunStatements(const SqlOperation& op, Scratch& s, const Exec& exec) {
  const std::size_t first_column = op.params.size();
  for (std::size_t i = 0; i < op.statements.size(); ++i) {
    const SqlStatement& st = op.statements[i];
    s.ptrs.resize(st.slots.size());
    for (std::size_t k = 0; k < st.slots.size(); ++k) {
      s.ptrs[k] = s.null[st.slots[k]] ? nullptr : s.values[st.slots[k]].c_str();
    }
    const settlement::Rows rows = exec(st.text.c_str(), static_cast<int>(st.slots.size()), s.ptrs.data());
    if (st.rows >= 0) CheckRowCount(op, i, rows);
    if (!st.gset) continue;
    if (rows.size() != 1) {
      throw std::runtime_error("operation '" + op.name + "', statement " + std::to_string(i + 1) + " (gset) returned " +
                               std::to_string(rows.size()) + " rows; it must return exactly one");
    }
    for (std::size_t c = 0; c < op.columns.size(); ++c) {
      const int col = rows.column(op.columns[c].c_str());
      if (col < 0) continue;
      s.values[first_column + c] = rows[0][col].c_str();
      s.null[first_column + c] = rows[0][col].is_null();
    }
  }
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Whether the durable query's answer `r` says the call took effect: the
// rows themselves (columns named like params), or their count.
bool DurableFound(const SqlOperation& op, const settlement::Rows& r) {
  for (const SqlParam& p : op.params) {
    if (r.column(p.name.c_str()) >= 0) return !r.empty();
  }
  return !r.empty() && r[0][0].as<std::int64_t>() > 0;
}

void Call(const Binding& b, CallContext& ctx) {
  static thread_local Scratch s;
  const SqlOperation& op = *b.op;
  s.values.resize(op.slot_count());
  s.null.assign(op.slot_count(), 0);
  for (std::size_t p = 0; p < op.params.size(); ++p) Draw(b.draws[p], ctx, &s.values[p]);
  ctx.drawn = &s.values;
  settlement::Connection& conn = *ctx.conn;
  if (!op.transaction) {
    RunStatements(op, s, [&](const char* sql, int n, const char* const* values) {
      return settlement::ExecStableAutocommit(conn, ctx.observer, sql, n, values);
    });
    return;
  }
  // Two references: small enough for std::function to hold without allocating.
  const auto committed = [&op, &ctx]() -> bool {
    if (op.durable_sql.empty()) throw std::runtime_error("no durable query to ask");
    const char* key = ctx.key.c_str();
    const settlement::Rows r = settlement::ExecStableAutocommit(*ctx.conn, ctx.observer, op.durable_sql.c_str(), 1, &key);
    return DurableFound(op, r);
  };
  settlement::RunWithRetry(
      conn, ctx.retry, ctx.observer,
      [&op](settlement::CountedWork& tx) {
        RunStatements(op, s, [&](const char* sql, int n, const char* const* values) {
          return tx.ExecStable(sql, n, values);
        });
      },
      committed, op.begin.c_str());
}

// Each param's generator with its range bounds resolved by `vars`.
std::vector<Drawn> Resolved(const SqlOperation& op, const VarValues& vars) {
  std::vector<Drawn> out;
  for (const SqlParam& p : op.params) {
    const bool money = p.gen.kind == GeneratorKind::kMoney;
    const bool range = money || p.gen.kind == GeneratorKind::kInt;
    out.push_back(Drawn{&p.gen, range ? Resolve(p.gen.lo, vars, money) : 0, range ? Resolve(p.gen.hi, vars, money) : 0});
  }
  return out;
}

}  // namespace

const std::vector<std::string>& FixtureGenerators() {
  static const std::vector<std::string> names = {"donor", "owner", "background_project", "race_user"};
  return names;
}

ParamDraw::ParamDraw(std::shared_ptr<const SqlOperation> op, const VarValues& vars) : op_(std::move(op)) {
  for (const Drawn& d : Resolved(*op_, vars)) bounds_.emplace_back(d.lo, d.hi);
}

void ParamDraw::Draw(CallContext& ctx, std::vector<std::string>* values) const {
  values->resize(op_->params.size());
  for (std::size_t p = 0; p < op_->params.size(); ++p) {
    ledgerstress::Draw(Drawn{&op_->params[p].gen, bounds_[p].first, bounds_[p].second}, ctx, &(*values)[p]);
  }
}

OperationFn BindSqlOperation(std::shared_ptr<const SqlOperation> op, const VarValues& vars) {
  auto b = std::make_shared<Binding>();
  b->draws = Resolved(*op, vars);
  b->op = std::move(op);
  return [b](CallContext& ctx, const CallArgs&) {
    try {
      Call(*b, ctx);
    } catch (const pqxx::sql_error& e) {
      if (Contains(b->op->success_sqlstates, e.sqlstate())) return;  // rolled back; the rule says done
      if (Contains(b->op->expected_sqlstates, e.sqlstate())) throw ExpectedSqlFailure(e.what(), e.sqlstate());
      throw;
    }
  };
}

OperationDef SqlOperationRow(std::shared_ptr<const SqlOperation> op) {
  OperationDef d;
  d.name = op->name;
  d.summary = !op->description.empty() ? op->description
              : op->declared() ? "declared: implemented by the case's driver"
              : "SQL: " + std::to_string(op->statements.size()) + " statement(s)" +
                    (op->transaction ? ", " + op->isolation : ", autocommit");
  d.source = op->where;
  d.strategies = {"as_written"};
  d.roles = kRaceCaller | kBackground;
  d.draw = [](CallContext&, CallArgs*) {};  // the call draws its own params
  d.durable_sql = op->durable_sql;
  d.sql = std::move(op);
  return d;
}

}  // namespace ledgerstress
