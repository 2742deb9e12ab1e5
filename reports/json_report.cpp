#include "reports/json_report.h"

#include <cmath>

#include "model/operation_json.h"
#include "reports/explore_report.h"

namespace ledgerstress {
namespace {

using nlohmann::json;

json InvariantJson(const InvariantResult& inv) {
  return {{"name", inv.name},
          {"status", inv.status},
          {"message", inv.message},
          {"violations", inv.violations},
          {"details", inv.details},
          {"samples", {{"columns", inv.sample_columns}, {"rows", inv.samples}}}};
}

json ServerJson(const ServerObservation& s) {
  json series = json::array();
  for (const ServerSample& p : s.series) {
    series.push_back({p.t_s, p.escrow_rows_locked, p.wallet_rows_locked, p.lock_waiters, p.idle_in_transaction});
  }
  return {{"sampled", s.sampled},
          {"missing", s.missing},
          {"samples", s.samples},
          {"max_escrow_rows_locked", s.max_escrow_rows_locked},
          {"max_escrow_rows_locked_by_one_transaction", s.max_escrow_rows_locked_by_one},
          {"max_wallet_rows_locked", s.max_wallet_rows_locked},
          {"max_lock_waiters", s.max_lock_waiters},
          {"max_idle_in_transaction", s.max_idle_in_transaction},
          {"long_idle_in_transaction", s.long_idle_in_transaction},
          {"statements_delta", s.statements_delta},
          {"statements_caveat", s.statements_caveat},
          {"deadlocks_delta", s.deadlocks_delta},
          {"series",
           {{"columns", {"t_s", "escrow_rows_locked", "wallet_rows_locked", "lock_waiters", "idle_in_transaction"}},
            {"rows", series}}}};
}

json CloseJson(const CaseResult& c) {
  json calls = json::array();
  for (const CloseCall& k : c.closes) {
    calls.push_back({{"project_id", k.project_id},
                     {"closer", k.closer},
                     {"released", k.released},
                     {"marked_success", k.marked_success},
                     {"seconds", k.seconds},
                     {"error", k.error}});
  }
  return {{"phase_s", c.close_phase_seconds}, {"escrows_total", c.escrows_total}, {"calls", calls}};
}

// A figure as the JSON writes it: an integral value as an integer.
json FigureJson(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) return static_cast<std::int64_t>(v);
  return v;
}

json FaultsJson(const CaseResult& c) {
  if (!c.faults.Any()) return nullptr;
  const FaultReport& f = c.faults;
  json j;
  for (const FaultFigure& figure : f.figures) j[figure.name] = FigureJson(figure.value);
  // The report's own keys last: a figure cannot take their place.
  j["deadlock_injection"] = f.deadlock_injection;
  j["deadlocks_injected"] = f.deadlocks_injected;
  j["injection_attempts"] = f.injection_attempts;
  j["server_deadlocks_delta"] = c.server.deadlocks_delta;
  j["victim_deadlock_timeout_ms"] = f.victim_deadlock_timeout_ms;
  j["note"] = f.note;
  j["missing"] = f.missing;
  return j;
}

json ShardsJson(const CaseResult& c) {
  if (c.shards.empty()) return nullptr;
  json shards = json::array();
  for (const ShardShare& s : c.shards) {
    json ops = json::array();
    for (const OperationResult& op : s.operations) ops.push_back(OperationToJson(op));
    json share = {{"index", s.index}, {"host", s.host}, {"workers", s.workers}, {"calls", s.calls}, {"operations", ops}};
    if (s.lost) {
      share["lost"] = true;
      share["in_doubt"] = s.in_doubt_unresolved ? json(nullptr)
                                                 : json{{"committed", s.in_doubt_committed}, {"absent", s.in_doubt_absent}};
    }
    shards.push_back(std::move(share));
  }
  return shards;
}

json CaseJson(const CaseResult& c) {
  json settings = json::object();
  for (const auto& [k, v] : c.settings) settings[k] = v;
  json ops = json::array();
  for (const auto& op : c.operations) ops.push_back(OperationToJson(op));
  json invs = json::array();
  for (const auto& inv : c.invariants) invs.push_back(InvariantJson(inv));
  json checks = json::array();
  for (const auto& ch : c.checks) checks.push_back({{"name", ch.name}, {"passed", ch.passed}, {"message", ch.message}});
  return {{"name", c.name},
          {"driver", c.driver.empty() ? json(nullptr) : json(c.driver)},
          {"description", c.description},
          {"expect", c.expect},
          {"violates", c.violates},
          {"verdict", VerdictName(c.verdict)},
          {"verdict_reason", c.verdict_reason},
          {"gate_passed", c.GatePassed()},
          {"error", c.error},
          {"cannot_run", c.cannot_run},
          {"repetition", c.repetition},
          {"repetitions", c.repetitions},
          {"schema", c.schema},
          {"seed", c.seed},
          {"settings", settings},
          {"workers", c.workers},
          {"rounds", c.rounds},
          {"rounds_completed", c.rounds_completed},
          {"timing", {{"setup_s", c.setup_seconds}, {"run_s", c.run_seconds}, {"workers_s", c.workers_seconds}, {"check_s", c.check_seconds}}},
          {"operations", ops},
          {"arrivals", c.arrivals.rate_per_s > 0 ? ArrivalsToJson(c.arrivals) : json(nullptr)},
          {"close", c.closes.empty() ? json(nullptr) : CloseJson(c)},
          {"server", c.server.sampled || !c.server.missing.empty() ? ServerJson(c.server) : json(nullptr)},
          {"faults", FaultsJson(c)},
          {"explore", c.explore.ran ? ExploreJson(c.explore) : json(nullptr)},
          {"shards", ShardsJson(c)},
          {"release_skew", c.release_skew.rounds ? json{{"rounds", c.release_skew.rounds},
                                                        {"p50_ms", c.release_skew.p50_ms},
                                                        {"p99_ms", c.release_skew.p99_ms},
                                                        {"max_ms", c.release_skew.max_ms}}
                                                 : json(nullptr)},
          {"invariants", invs},
          {"checks", checks}};
}

}  // namespace

json ReportToJson(const RunResult& r) {
  json cases = json::array();
  for (const auto& c : r.cases) cases.push_back(CaseJson(c));
  json server = {{"source", r.target_source},
                 {"dsn", r.target_display},
                 {"version", r.server_version},
                 {"version_num", r.server_version_num},
                 {"settings", r.server_settings}};
  if (r.cluster_startup_seconds >= 0) server["embedded_startup_s"] = r.cluster_startup_seconds;
  return {{"schema", kReportSchema},
          {"run",
           {{"id", r.run_id},
            {"shard", r.shard_count > 1 ? json{{"index", r.shard_index}, {"count", r.shard_count}} : json(nullptr)},
            {"scenario", r.scenario_name},
            {"scenario_path", r.scenario_path},
            {"seed", r.seed},
            {"started_at", r.started_at},
            {"finished_at", r.finished_at},
            {"duration_s", r.duration_seconds},
            {"command_line", r.command_line},
            {"tool", {{"version", r.tool_version}, {"git_commit", r.git_commit}}},
            {"verdict", VerdictName(r.verdict)},
            {"interrupted", r.interrupted},
            {"error", r.error}}},
          {"server", server},
          {"host",
           {{"name", r.host_name},
            {"cores", r.host_cores},
            {"memory_bytes", r.host_memory_bytes},
            {"os", r.host_os},
            {"peak_rss_bytes", r.peak_rss_bytes},
            {"harness_cpu_s", r.harness_cpu_seconds}}},
          {"cases", cases}};
}

std::string RenderJsonReport(const RunResult& run) {
  // Invalid UTF-8 from the server or a scenario is replaced, never fatal.
  return ReportToJson(run).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace ledgerstress
