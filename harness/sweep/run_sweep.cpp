#include "harness/sweep/run_sweep.h"

#include <algorithm>
#include <chrono>

#include "harness/build_info.h"
#include "harness/host_info.h"
#include "harness/pg/dsn.h"
#include "model/sweep_figures.h"
#include "model/sweep_recommend.h"

namespace ledgerstress {
namespace {

using Clock = std::chrono::steady_clock;

void FillMetadata(const SweepPlan& plan, const SweepOptions& o, SweepResult* s) {
  s->run_id = NewRunId();
  s->scenario_name = plan.scenarios.front().name;
  s->scenario_path = plan.scenarios.front().path;
  s->seed = plan.scenarios.front().seed;
  s->started_at = UtcNowIso8601();
  s->tool_version = kVersion;
  s->git_commit = kGitCommit;
  s->command_line = o.run.command_line;
  const HostInfo host = ReadHostInfo();
  s->host_name = host.name;
  s->host_cores = host.cores;
  s->host_memory_bytes = host.memory_bytes;
  s->keys = plan.keys;
  s->repeat = o.run.repeat;
  s->p99_budget_ms = o.p99_budget_ms;
  s->tolerance = o.tolerance;
  s->swept_cases = plan.swept_cases;
  s->skipped_cases = plan.skipped_cases;
  for (const auto& settings : plan.points) s->points.push_back(SweepPoint{settings, {}, Verdict::kSkipped, "", 0});
}

// What the first run tells of the server.
void FillServer(const RunResult& run, SweepResult* s) {
  s->seed = run.seed;
  s->target_source = run.target_source;
  s->target_display = run.target_display;
  s->server_version = run.server_version;
}

// Runs point i; false when the sweep must stop (an error, or nothing may run).
bool RunPoint(const SweepPlan& plan, std::size_t i, const Target& target, double startup, const SweepOptions& o,
              StopSource* stop, ProgressPrinter* progress, SweepResult* sweep) {
  SweepPoint& point = sweep->points[i];
  progress->Println("ledgerstress: sweep " + std::to_string(i + 1) + "/" + std::to_string(plan.points.size()) + ": " +
                    point.Label());
  const auto t0 = Clock::now();
  RunResult run;
  RunScenarioOn(target, startup, plan.scenarios[i], o.run, stop, progress, &run);
  point.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  point.verdict = run.verdict;
  point.error = run.error;
  point.cases = SweepFiguresOf(run);
  if (i == 0) FillServer(run, sweep);
  if (run.verdict == Verdict::kInvalid || run.verdict == Verdict::kError) {
    sweep->verdict = run.verdict;
    sweep->error = run.verdict == Verdict::kInvalid ? run.error : point.Label() + ": " + run.error;
    return false;
  }
  if (run.verdict == Verdict::kFail) sweep->verdict = Verdict::kFail;
  return true;
}

}  // namespace

void RunSweep(const SweepPlan& plan, const SweepOptions& o, StopSource* stop, ProgressPrinter* progress,
              SweepResult* sweep) {
  const auto t0 = Clock::now();
  FillMetadata(plan, o, sweep);
  int max_workers = 0;
  std::string crash_where;
  for (const Scenario& s : plan.scenarios) {
    max_workers = std::max(max_workers, s.MaxWorkers());
    if (crash_where.empty()) crash_where = s.CrashWhere();
  }
  try {
    Target target;
    std::unique_ptr<EmbeddedCluster> cluster = ChooseServer(max_workers, crash_where, o.run, progress, &target);
    const double startup = cluster ? cluster->startup_seconds() : -1;
    for (std::size_t i = 0; i < plan.points.size() && !stop->stop_requested(); ++i) {
      if (!RunPoint(plan, i, target, startup, o, stop, progress, sweep)) break;
    }
  } catch (const ScenarioError& e) {
    sweep->verdict = Verdict::kInvalid;  // nothing ran (e.g. a crash nemesis on a server we did not start)
    sweep->error = RedactWith(e.what(), o.run.dsn);
  } catch (const std::exception& e) {
    sweep->verdict = Verdict::kError;
    sweep->error = RedactWith(FirstLine(e.what()), o.run.dsn);
  }
  if (stop->stop_requested()) sweep->verdict = Verdict::kInterrupted;
  else if (sweep->verdict == Verdict::kPending) sweep->verdict = Verdict::kPass;
  sweep->recommendation = Recommend(*sweep);
  sweep->finished_at = UtcNowIso8601();
  sweep->duration_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace ledgerstress
