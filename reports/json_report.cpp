#include "reports/json_report.h"

#include "reports/explore_report.h"

namespace ledgerstress {
namespace {

using nlohmann::json;

json LatencyJson(const LatencySummary& l) {
  json buckets = json::array();
  for (const auto& [hi, n] : l.buckets) buckets.push_back({hi, n});
  return {{"count", l.count},   {"min_ms", l.min_ms}, {"mean_ms", l.mean_ms}, {"p50_ms", l.p50_ms},
          {"p90_ms", l.p90_ms}, {"p99_ms", l.p99_ms}, {"p999_ms", l.p999_ms}, {"max_ms", l.max_ms},
          {"histogram", {{"unit", "ms"}, {"buckets", buckets}}}};
}

json ArrivalsJson(const ArrivalReport& a) {
  const std::uint64_t offered = a.started + a.dropped;
  return {{"rate_per_s", a.rate_per_s},
          {"process", a.process},
          {"max_start_delay_ms", a.max_start_delay_ms},
          {"started", a.started},
          {"dropped", a.dropped},
          {"dropped_ratio", offered ? static_cast<double>(a.dropped) / static_cast<double>(offered) : 0.0},
          {"lag",
           {{"count", a.lag.count},
            {"p50_ms", a.lag.p50_ms},
            {"p90_ms", a.lag.p90_ms},
            {"p99_ms", a.lag.p99_ms},
            {"p999_ms", a.lag.p999_ms},
            {"max_ms", a.lag.max_ms},
            {"mean_ms", a.lag.mean_ms}}}};
}

json OperationJson(const OperationResult& op) {
  json series = json::array();
  for (const SeriesPoint& p : op.series) series.push_back({p.t_s, p.calls, p.errors, p.p50_ms, p.p99_ms});
  return {{"name", op.name},
          {"strategy", op.strategy},
          {"calls", op.calls},
          {"errors", op.errors()},
          {"outcomes", op.outcomes},
          {"statements", op.statements_measured ? json(op.statements) : json(nullptr)},
          {"statements_source", op.statements_measured ? json(op.statements_source) : json(nullptr)},
          {"statements_missing", op.statements_measured ? json(nullptr) : json(op.statements_missing)},
          {"round_trips", op.round_trips},
          {"latency", LatencyJson(op.latency)},
          {"latency_corrected", op.open_model ? LatencyJson(op.latency_corrected) : json(nullptr)},
          {"series", {{"columns", {"t_s", "calls", "errors", "p50_ms", "p99_ms"}}, {"rows", series}}},
          {"error_samples", op.error_samples},
          {"retries",
           {{"attempts", [&] {
               json a = json::object();
               for (const auto& [n, calls] : op.attempts) a[std::to_string(n)] = calls;
               return a;
             }()},
            {"max_attempts_seen", op.max_attempts_seen},
            {"failed_attempts", op.failed_attempts},
            {"sleeps_in_transaction", op.sleeps_in_transaction},
            {"off_schedule_backoffs", op.off_schedule_backoffs},
            {"retries_without_backoff", op.retries_without_backoff},
            {"unresolved_in_doubt_retries", op.unresolved_in_doubt_retries},
            {"observed_backoffs", op.backoff_samples}}}};
}

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

json CaseJson(const CaseResult& c) {
  json settings = json::object();
  for (const auto& [k, v] : c.settings) settings[k] = v;
  json ops = json::array();
  for (const auto& op : c.operations) ops.push_back(OperationJson(op));
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
          {"arrivals", c.arrivals.rate_per_s > 0 ? ArrivalsJson(c.arrivals) : json(nullptr)},
          {"close", c.closes.empty() ? json(nullptr) : CloseJson(c)},
          {"server", c.server.sampled || !c.server.missing.empty() ? ServerJson(c.server) : json(nullptr)},
          {"faults", c.faults.Any()
                         ? json{{"deadlock_injection", c.faults.deadlock_injection},
                                {"deadlocks_injected", c.faults.deadlocks_injected},
                                {"injection_attempts", c.faults.injection_attempts},
                                {"server_deadlocks_delta", c.server.deadlocks_delta},
                                {"backends_killed", c.faults.backends_killed},
                                {"replies_lost", c.faults.replies_lost},
                                {"missing", c.faults.missing},
                                {"victim_deadlock_timeout_ms", c.faults.victim_deadlock_timeout_ms},
                                {"note", c.faults.note},
                                {"server_crashes", c.faults.server_crashes},
                                {"longest_outage_s", c.faults.longest_outage_s}}
                         : json(nullptr)},
          {"explore", c.explore.ran ? ExploreJson(c.explore) : json(nullptr)},
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
