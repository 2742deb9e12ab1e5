#include "harness/run_scenario.h"

#include "harness/engine/explore_workload.h"

#include <chrono>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <pqxx/pqxx>

#include "harness/build_info.h"
#include "harness/drivers/driver_client.h"
#include "harness/drivers/driver_probe.h"
#include "harness/engine/engine.h"
#include "harness/engine/progress_line.h"
#include "harness/engine/schema_command.h"
#include "harness/engine/sql_check.h"
#include "harness/errors.h"
#include "harness/host_info.h"
#include "harness/pg/dsn.h"
#include "harness/pg/embedded_cluster.h"
#include "harness/pg/server_info.h"
#include "harness/pg/target.h"
#include "harness/scenario/resolved.h"
#include "harness/engine/run_shards.h"
#include "model/text.h"

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;

void FillMetadata(const Scenario& s, const RunOptions& o, RunResult* r) {
  r->run_id = o.run_id.empty() ? NewRunId() : o.run_id;
  r->shard_index = o.shard.index;
  r->shard_count = o.shard.count;
  r->scenario_name = s.name;
  r->scenario_path = s.path;
  r->seed = s.seed;
  r->started_at = UtcNowIso8601();
  r->tool_version = kVersion;
  r->git_commit = kGitCommit;
  r->command_line = o.command_line;
  const HostInfo h = ReadHostInfo();
  r->host_name = h.name;
  r->host_cores = h.cores;
  r->host_memory_bytes = h.memory_bytes;
  r->host_os = h.os;
  for (const CaseSpec& c : s.cases) {
   for (int rep = 1; rep <= o.repeat; ++rep) {
    CaseResult cr;
    cr.repetition = rep;
    cr.repetitions = o.repeat;
    cr.name = c.name;
    cr.description = c.description;
    cr.expect = ExpectationName(c.expect);
    cr.violates = c.violates;
    cr.seed = c.seed;
    cr.workers = c.workers;
    cr.rounds = c.rounds;
    r->cases.push_back(std::move(cr));
   }
  }
}

// Has the server check the scenario's own SQL (its [schema], fixtures,
// [[operation]] statements, [[sql_invariant]] queries) in a scratch schema
// before any case runs, so that SQL the server refuses is a scenario error
// (exit 2) naming file:line:col rather than an "error" verdict after a long run.
// A [schema] command runs there too (its output to `log_dir`): one that
// fails is exit 3 with the end of its stderr, and the scratch schema is
// dropped.
void CheckScenarioSqlOn(const Target& target, const Scenario& s, const std::string& run_id,
                        const std::string& log_dir, StopSource* stop, ProgressPrinter* progress) {
  if (!HasScenarioSql(s)) return;
  const std::string schema = "ls_" + run_id + "_sqlcheck";
  auto conn = Connect(target, SessionSettings::Named("ledgerstress/" + run_id + "/sqlcheck", schema));
  const auto build = [&](const std::string& scratch) {
    progress->Println("ledgerstress: running the [schema] command(s) on a scratch schema, " + scratch +
                      " (output: " + log_dir + ")");
    const SchemaCommandContext ctx{&target, scratch, "ledgerstress/" + run_id + "/schema-command", log_dir,
                                   &s.cases.front().vars, stop};
    RunSchemaCommands(*conn, *s.user_schema, "", ctx);
  };
  CheckScenarioSql(*conn, s, schema, build);
}

// Asks the server to take every case's `session.<name>` settings (in a
// transaction rolled back) before any case runs, so that an unknown setting,
// a bad value or one this role may not set is a scenario error (exit 2)
// naming its position, not a failed case after a long run.
void ValidateSessionSettingsOn(const Target& target, const Scenario& s, const std::string& run_id) {
  std::unique_ptr<settlement::Connection> conn;
  for (const CaseSpec& c : s.cases) {
    for (std::size_t i = 0; i < c.session.size(); ++i) {
      if (!conn) conn = Connect(target, SessionSettings::Named("ledgerstress/" + run_id + "/sessioncheck"));
      pqxx::work tx(*conn);
      try {
        tx.exec_params("SELECT set_config($1, $2, true)", c.session[i].first, c.session[i].second);
      } catch (const pqxx::sql_error& e) {
        throw ScenarioError(c.session_where[i] + ": session." + c.session[i].first + " = '" + c.session[i].second +
                            "': the server refuses it: " + FirstLine(e.what()));
      }
    }
  }
}

// Where the run's driver processes write their stderr.
std::string DriverLogDir(const Scenario& s, const RunOptions& o, const RunResult& r) {
  const std::string safe = FileSafe(s.name);  // as the reports' own names
  const std::string root = o.report_dir.empty() ? std::filesystem::temp_directory_path().string() : o.report_dir;
  return root + "/" + safe + "-" + r.run_id + "-drivers";
}

// Case i's schema in repetition `rep` of `repeat`.
std::string CaseSchema(const std::string& run_id, std::size_t i, int rep, int repeat) {
  return "ls_" + run_id + "_" + std::to_string(i + 1) + (repeat > 1 ? "_" + std::to_string(rep) : "");
}

std::vector<std::string> CaseSchemas(const std::string& run_id, const Scenario& s, int repeat) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.cases.size(); ++i) {
    for (int rep = 1; rep <= repeat; ++rep) out.push_back(CaseSchema(run_id, i, rep, repeat));
  }
  return out;
}

// What every shard of a run must run alike: the cases as resolved (seeds,
// keys, vars), the repetitions and the tool's version, hashed (FNV-1a).
std::string Fingerprint(const Scenario& s, const RunOptions& o) {
  std::uint64_t h = 1469598103934665603ull;
  const auto add = [&h](const std::string& text) {
    for (unsigned char c : text + '\x1e') h = (h ^ c) * 1099511628211ull;
  };
  add(s.name);
  add(std::to_string(s.seed) + "/" + std::to_string(o.repeat) + "/" + kVersion);
  for (const CaseSpec& c : s.cases) {
    add(c.name + "/" + std::to_string(c.seed) + "/" + std::to_string(c.workers) + "/" + std::to_string(c.rounds));
    for (const auto& [k, v] : ResolvedSettings(c)) add(k + "=" + v);
    for (const auto& [k, v] : c.vars) add(k + "=" + v.text);
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// "100 workers", or for a shard "workers 25..49 of 100 (shard 1/4)".
std::string WorkersText(const CaseSpec& spec, const ShardSpec& shard) {
  if (!shard.sharded()) return std::to_string(spec.workers) + " workers";
  const WorkerSlice w = SliceOf(shard, spec.workers);
  return "workers " + std::to_string(w.first) + ".." + std::to_string(w.end - 1) + " of " +
         std::to_string(spec.workers) + " (shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) +
         ")";
}

// The spec of one repetition: the same case on fresh data and its own seed.
CaseSpec Repetition(const CaseSpec& spec, int rep) {
  CaseSpec c = spec;
  if (rep > 1) c.seed = spec.seed + static_cast<std::uint64_t>(rep - 1) * 0x9E3779B97F4A7C15ull;
  return c;
}

void RunCases(const Scenario& s, const RunOptions& o, const Target& target, ShardLink* link, StopSource* stop,
              ProgressPrinter* progress, RunResult* r) {
  CaseRunner runner(CaseRunner::Options{target, r->run_id, o.keep_data, DriverLogDir(s, o, *r), link}, stop);
  const std::size_t total = s.cases.size() * static_cast<std::size_t>(o.repeat);
  for (std::size_t k = 0; k < total; ++k) {
    if (stop->stop_requested()) return;
    const std::size_t i = k / static_cast<std::size_t>(o.repeat);
    const int rep = static_cast<int>(k % static_cast<std::size_t>(o.repeat)) + 1;
    const CaseSpec spec = Repetition(s.cases[i], rep);
    const std::string label = spec.name + (o.repeat > 1 ? " #" + std::to_string(rep) : "");
    CaseProgress live;
    const auto start = Clock::now();
    progress->Println("[" + std::to_string(k + 1) + "/" + std::to_string(total) + "] " + label + ": " +
                      (spec.workload == Workload::kExplore
                           ? ExploreAnnouncement(spec)
                           : WorkersText(spec, link ? link->spec() : ShardSpec{}) + ", " + std::to_string(spec.rounds) + " round(s)"));
    progress->Start([&] {
      return ProgressLine(k, total, label, live, start, spec.workload == Workload::kExplore, o.reconnect_for);
    });
    const std::string schema = CaseSchema(r->run_id, i, rep, o.repeat);
    r->cases[k] = runner.Run(spec, schema, &live);
    r->cases[k].repetition = rep;
    r->cases[k].repetitions = o.repeat;
    progress->Stop();
    const CaseResult& c = r->cases[k];
    progress->Println(std::string("      ") + VerdictMark(c.verdict) + "  " + c.verdict_reason);
    // A case that cannot run here says so and the others still run; any
    // other error means the server or the harness broke: stop.
    if (c.verdict == Verdict::kError && c.cannot_run.empty()) {
      // A driver's error carries its stderr tail: keep every line.
      if (!c.driver.empty()) throw DriverError("case '" + c.name + "': " + c.error);
      throw InfrastructureError("case '" + c.name + "': " + c.error);
    }
  }
}

// What is checked on the server before any case runs: its version and
// settings (for the report), the [[sql_invariant]] queries, the session
// settings, what each driver offers. Returns `s` with the strategies the
// drivers offer by default filled in. Throws ScenarioError or DriverError.
Scenario Prepare(const Target& target, const Scenario& s, const RunOptions& o, const ShardLink* link,
                 StopSource* stop, ProgressPrinter* progress, RunResult* r) {
  Scenario resolved = s;
  if (stop->stop_requested()) return resolved;
  {
    auto conn = Connect(target, SessionSettings::Named("ledgerstress/" + r->run_id + "/info"));
    const ServerInfo info = ReadServerInfo(*conn);
    r->server_version = info.version;
    r->server_version_num = info.version_num;
    r->server_settings = info.settings;
  }
  // Shard 0 checks the scenario's SQL for every shard (in one scratch schema of the run).
  const bool checks = !link || link->coordinator();
  if (checks && !stop->stop_requested()) CheckScenarioSqlOn(target, s, r->run_id, DriverLogDir(s, o, *r), stop, progress);
  if (!stop->stop_requested()) ValidateSessionSettingsOn(target, s, r->run_id);
  if (!stop->stop_requested()) ProbeDrivers(target, "ledgerstress/" + r->run_id, DriverLogDir(s, o, *r), &resolved);
  return resolved;
}

// This process's link to the other shards of a sharded run (null when it
// is not one). Throws ScenarioError when the run's server is a throwaway
// cluster of this process, which no other shard reaches.
std::unique_ptr<ShardLink> JoinShards(const Target& target, const EmbeddedCluster* cluster, const Scenario& s,
                                      const RunOptions& o, const std::string& run_id, StopSource* stop,
                                      ProgressPrinter* progress) {
  if (!o.shard.sharded()) return nullptr;
  if (cluster) {
    throw ScenarioError("--shard: every shard must reach one server, and none was named (--dsn, $DATABASE_URL, "
                        "the PG* variables, or a 'ledgerstress db start' cluster): this process started a "
                        "throwaway cluster no other shard can reach");
  }
  auto link = std::make_unique<ShardLink>(target, run_id, o.shard, Fingerprint(s, o), stop);
  progress->Println("ledgerstress: shard " + std::to_string(link->spec().index) + "/" + std::to_string(o.shard.count) +
                    " of run " + run_id + " joined (coordination schema " + link->schema() + ")");
  return link;
}

// Runs `s` on the server `given` names, or on the one ChooseServer picks when
// `given` is null.
void RunOn(const Target* given, double startup_seconds, const Scenario& s, const RunOptions& o,
           StopSource* stop, ProgressPrinter* progress, RunResult* r) {
  const auto t0 = Clock::now();
  FillMetadata(s, o, r);
  Target target;
  std::unique_ptr<ShardLink> link;
  try {
    std::unique_ptr<EmbeddedCluster> cluster;
    CheckScheduleIds(s.cases);  // before a server is started for nothing
    CheckShardable(s, o.shard);
    if (o.shard.sharded() && o.embedded) {
      throw ScenarioError("--shard with --embedded: every shard must reach one server, and a throwaway cluster of "
                          "this process is reached by no other shard (name one with --dsn, or drop --embedded)");
    }
    if (given) {
      target = *given;
      r->cluster_startup_seconds = startup_seconds;
    } else {
      cluster = ChooseServer(s.MaxWorkers(), s.CrashWhere(), o, progress, &target);
      if (cluster) r->cluster_startup_seconds = cluster->startup_seconds();
    }
    if (!s.CrashWhere().empty() && !target.own_cluster) {
      throw ScenarioError(s.CrashWhere() + ": 'server_crash_every' runs only on an embedded cluster this run started");
    }
    target.reconnect_for = o.reconnect_for;
    r->target_source = target.source;
    r->target_display = target.Display();
    link = JoinShards(target, cluster.get(), s, o, r->run_id, stop, progress);
    if (link) r->shard_index = link->spec().index;  // --shard auto/N: the one it took
    const Scenario resolved = Prepare(target, s, o, link.get(), stop, progress, r);
    RunCases(resolved, o, target, link.get(), stop, progress, r);
  } catch (const ScenarioError& e) {
    r->verdict = Verdict::kInvalid;
    r->error = e.what();
  } catch (const DriverError& e) {
    r->verdict = Verdict::kError;  // a driver that cannot start: its message ends with its stderr tail
    r->error = RedactWith(e.what(), target.dsn.empty() ? o.dsn : target.dsn);
  } catch (const std::exception& e) {
    r->verdict = Verdict::kError;
    r->error = RedactWith(FirstLine(e.what()), target.dsn.empty() ? o.dsn : target.dsn);
    if (!o.dsn.empty()) r->error = RedactWith(r->error, o.dsn);
  }
  if (link && (r->verdict == Verdict::kError || r->verdict == Verdict::kInvalid)) link->Abort(FirstLine(r->error));
  EndShards(link.get(), CaseSchemas(r->run_id, s, o.repeat), o.keep_data);
  r->interrupted = stop->stop_requested();
  if (r->interrupted) {
    r->verdict = Verdict::kInterrupted;
    for (CaseResult& c : r->cases) {
      if (c.verdict == Verdict::kSkipped) c.verdict_reason = "not run: the run was interrupted";
    }
  } else if (r->verdict != Verdict::kError && r->verdict != Verdict::kInvalid) {
    r->verdict = Verdict::kPass;
    std::string cannot;  // the cases that cannot run here: no verdict for the run either
    int n = 0;
    for (const CaseResult& c : r->cases) {
      if (!c.GatePassed() && r->verdict == Verdict::kPass) r->verdict = Verdict::kFail;
      if (c.verdict != Verdict::kError) continue;
      r->verdict = Verdict::kError;
      cannot += (n++ ? ", '" : "'") + c.name + "'";
    }
    if (n > 0) {
      r->error = std::to_string(n) + " case(s) cannot run on this server: " + cannot +
                 " (what is missing and how to fix it: the 'cannot run:' lines and each case's cannot_run in the report)";
    }
  }
  r->finished_at = UtcNowIso8601();
  r->duration_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r->peak_rss_bytes = PeakRssBytes();
  r->harness_cpu_seconds = ProcessCpuSeconds();
}

}  // namespace

namespace {

std::unique_ptr<EmbeddedCluster> Choose(int max_workers, const std::string& crash_where, const RunOptions& o,
                                        ProgressPrinter* progress, Target* target) {
  if (!o.embedded && ResolveUserTarget(o.dsn, target)) {
    if (crash_where.empty()) return nullptr;
    throw ScenarioError(crash_where + ": 'server_crash_every' crashes the server, so it runs only on the embedded "
                        "cluster ledgerstress starts for the run; refused on the server " + target->source +
                        " names (" + target->Display() + "): ledgerstress never crashes a server it did not start");
  }
  if (!crash_where.empty()) {
    progress->Println("ledgerstress: a case crashes the server (server_crash_every): starting a cluster of its own");
  } else if (auto kept = o.embedded ? nullptr : EmbeddedCluster::Attach(PersistentClusterDir())) {
    *target = Target{kept->Dsn(), "db start cluster"};
    return nullptr;  // never stop a cluster `db start` owns
  }
  for (const std::string& dir : EmbeddedCluster::RemoveOrphans()) {
    progress->Println("ledgerstress: removed " + dir + ", a cluster left by a run that was killed");
  }
  EmbeddedCluster::Options eo;
  eo.max_connections = std::max(20, max_workers + 10);
  eo.durable = o.durable;
  progress->Println("ledgerstress: starting an embedded PostgreSQL cluster...");
  auto cluster = EmbeddedCluster::Start(eo);
  *target = Target{cluster->Dsn(), "embedded cluster", cluster.get()};
  char buf[256];
  std::snprintf(buf, sizeof buf, "ledgerstress: embedded cluster up in %.2fs (%s)", cluster->startup_seconds(),
                cluster->dir().c_str());
  progress->Println(buf);
  return cluster;
}

}  // namespace

std::unique_ptr<EmbeddedCluster> ChooseServer(int max_workers, const std::string& crash_where, const RunOptions& o,
                                              ProgressPrinter* progress, Target* target) {
  std::unique_ptr<EmbeddedCluster> cluster = Choose(max_workers, crash_where, o, progress, target);
  if (o.announce_server) o.announce_server("server: " + target->Describe());
  return cluster;
}

void RunScenario(const Scenario& s, const RunOptions& o, StopSource* stop, ProgressPrinter* progress,
                 RunResult* r) {
  RunOn(nullptr, -1, s, o, stop, progress, r);
}

void RunScenarioOn(const Target& target, double startup_seconds, const Scenario& s, const RunOptions& o,
                   StopSource* stop, ProgressPrinter* progress, RunResult* r) {
  RunOn(&target, startup_seconds, s, o, stop, progress, r);
}

int ExitCodeFor(const RunResult& r) {
  if (r.verdict == Verdict::kInvalid) return kExitUsage;
  if (r.verdict == Verdict::kInterrupted) return kExitInterrupted;
  if (r.verdict == Verdict::kError) return kExitInfrastructure;
  if (r.verdict == Verdict::kFail) return kExitGateFailed;
  return kExitPass;
}

}  // namespace ledgerstress
