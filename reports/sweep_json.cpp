#include "reports/sweep_report.h"

namespace ledgerstress {
namespace {

using nlohmann::json;

json Settings(const std::vector<std::pair<std::string, std::string>>& s) {
  json o = json::object();
  for (const auto& [k, v] : s) o[k] = v;
  return o;
}

json CaseJson(const SweepCaseFigures& f) {
  return {{"name", f.name},
          {"expect", f.expect},
          {"verdict", VerdictName(f.verdict)},
          {"violated", f.violated},
          {"has_close", f.has_close},
          {"close_seconds", f.close_seconds},
          {"close_seconds_each", f.close_seconds_each},
          {"throughput_per_s", f.throughput},
          {"statements", f.statements >= 0 ? nlohmann::json(f.statements) : nlohmann::json(nullptr)},
          {"max_escrow_rows_locked", f.max_escrow_rows_locked},
          {"max_wallet_rows_locked", f.max_wallet_rows_locked},
          {"user_p99_ms", f.user_p99_ms},
          {"user_p99_corrected", f.p99_corrected},
          {"calls", f.calls},
          {"errors", f.errors}};
}

}  // namespace

json SweepToJson(const SweepResult& s) {
  json points = json::array();
  for (const SweepPoint& p : s.points) {
    json cases = json::array();
    for (const SweepCaseFigures& f : p.cases) cases.push_back(CaseJson(f));
    points.push_back({{"settings", Settings(p.settings)},
                      {"label", p.Label()},
                      {"verdict", VerdictName(p.verdict)},
                      {"error", p.error},
                      {"seconds", p.seconds},
                      {"cases", cases}});
  }
  json skipped = json::array();
  for (const auto& [name, why] : s.skipped_cases) skipped.push_back({{"name", name}, {"why", why}});
  const SweepRecommendation& r = s.recommendation;
  json rec = {{"made", r.made}, {"rule", r.rule}, {"p99_used", r.p99_used}, {"reason", r.reason}, {"notes", r.notes}};
  if (r.made && r.point < s.points.size()) {
    rec["settings"] = Settings(s.points[r.point].settings);
    rec["label"] = s.points[r.point].Label();
  }
  return {{"schema", "ledgerstress.sweep/1"},
          {"run_id", s.run_id},
          {"scenario", {{"name", s.scenario_name}, {"path", s.scenario_path}}},
          {"seed", s.seed},
          {"started_at", s.started_at},
          {"finished_at", s.finished_at},
          {"duration_seconds", s.duration_seconds},
          {"tool", {{"version", s.tool_version}, {"git_commit", s.git_commit}}},
          {"command_line", s.command_line},
          {"target", {{"source", s.target_source}, {"display", s.target_display}}},
          {"server_version", s.server_version},
          {"host", {{"name", s.host_name}, {"cores", s.host_cores}, {"memory_bytes", s.host_memory_bytes}}},
          {"keys", s.keys},
          {"repeat", s.repeat},
          {"p99_budget_ms", s.p99_budget_ms},
          {"tolerance", s.tolerance},
          {"swept_cases", s.swept_cases},
          {"skipped_cases", skipped},
          {"points", points},
          {"recommendation", rec},
          {"verdict", VerdictName(s.verdict)},
          {"error", s.error}};
}

std::string RenderSweepJson(const SweepResult& s) {
  return SweepToJson(s).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace ledgerstress
