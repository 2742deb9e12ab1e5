#include "harness/engine/explore_plan.h"

#include <random>

#include "harness/operations/call.h"
#include "settlement/observer.h"

namespace ledgerstress {
namespace {

// The params of one call: drawn as a worker's call would draw them, then
// the session's fixed values over them.
std::vector<std::string> DrawParams(const ExploreCall& call, const std::shared_ptr<const SqlOperation>& shared, const VarValues& vars,
                                    std::mt19937_64& rng, const std::string& key, int session) {
  const SqlOperation& op = *shared;
  static const Targets kNoTargets;
  settlement::NoopObserver observer;
  const settlement::RetryPolicy retry;
  CallContext ctx{nullptr, nullptr, observer, rng, kNoTargets, 0, key, retry, session};
  std::vector<std::string> values;
  ParamDraw(shared, vars).Draw(ctx, &values);
  for (std::size_t p = 0; p < op.params.size(); ++p) {
    const auto it = call.fixed.find(op.params[p].name);
    if (it != call.fixed.end()) values[p] = it->second;
  }
  return values;
}

}  // namespace

std::string BuiltinExploreFixtureSql() {
  // As CreateFixture makes the users: ids 1.. once the sequences restart.
  return "INSERT INTO app_user (email) SELECT 'user' || g || '@example.test' FROM generate_series(1, 10) g";
}

std::string ExploreKeyPrefix(std::size_t session) { return "explore-s" + std::to_string(session + 1) + "-"; }

std::vector<ExploreSessionPlan> PlanExplore(const CaseSpec& spec) {
  VarValues vars;
  for (const auto& [name, v] : spec.vars) vars[name] = v.text;
  std::vector<ExploreSessionPlan> out;
  for (std::size_t s = 0; s < spec.explore.sessions.size(); ++s) {
    std::mt19937_64 rng(spec.seed ^ (0x9E3779B97F4A7C15ull * (s + 1)));
    ExploreSessionPlan session;
    for (const ExploreCall& call : spec.explore.sessions[s]) {
      ExploreCallPlan pc;
      pc.op = spec.operations->Find(call.op)->sql;
      pc.key = ExploreKeyPrefix(s) + std::to_string(session.calls.size());
      pc.params = DrawParams(call, pc.op, vars, rng, pc.key, static_cast<int>(s));
      const int c = static_cast<int>(session.calls.size());
      session.steps.push_back(ExploreStepPlan{c, ExploreStepKind::kBegin, 0});
      for (std::size_t i = 0; i < pc.op->statements.size(); ++i) {
        session.steps.push_back(ExploreStepPlan{c, ExploreStepKind::kStatement, static_cast<int>(i)});
      }
      session.steps.push_back(ExploreStepPlan{c, ExploreStepKind::kCommit, 0});
      session.calls.push_back(std::move(pc));
    }
    out.push_back(std::move(session));
  }
  return out;
}

std::vector<int> StepCounts(const std::vector<ExploreSessionPlan>& sessions) {
  std::vector<int> out;
  for (const ExploreSessionPlan& s : sessions) out.push_back(static_cast<int>(s.steps.size()));
  return out;
}

}  // namespace ledgerstress
