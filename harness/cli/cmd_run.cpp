// `ledgerstress run`: load a scenario, run it, write the report, exit with
// the gate's verdict.
#include <algorithm>
#include <cctype>
#include <optional>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "harness/cli/common.h"
#include "reports/explore_report.h"
#include "model/text.h"
#include "harness/cli/options.h"
#include "harness/cli/run_flags.h"
#include "harness/cli/search_path.h"
#include "harness/engine/monitor.h"
#include "harness/errors.h"
#include "harness/progress.h"
#include "harness/run_scenario.h"
#include "harness/scenario/case_filter.h"
#include "harness/scenario/scenario_loader.h"
#include "reports/atomic_file.h"
#include "reports/close_table.h"
#include "reports/html_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_report.h"
#include "reports/json_report.h"
#include "reports/shard_report.h"
#include "reports/summary_table.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {
namespace {

const char kUsage[] =
    "usage: ledgerstress run SCENARIO [options]\n"
    "\n"
    "Runs every case of the scenario (or those --case selects) against PostgreSQL\n"
    "and checks its invariants.\n"
    "SCENARIO is a file (a path with a '/', ending in .toml, or naming an existing\n"
    "file) or the name of a scenario on the search path: $LEDGERSTRESS_SCENARIO_PATH\n"
    "(colon-separated directories), then the installed share/ledgerstress/scenarios\n"
    "(for a binary in its build tree, the source tree's scenarios/); 'ledgerstress\n"
    "list scenarios' shows them. Paths inside a scenario are relative to its file.\n"
    "The server is, in this order: --dsn, $DATABASE_URL, the libpq PG* variables,\n"
    "a cluster kept by 'ledgerstress db start', or else a throwaway embedded\n"
    "cluster (removed at exit); --embedded always starts a throwaway one. The\n"
    "line 'server: ...' on stdout says which, before the first case. Each case's\n"
    "data lives in its own schema ls_<run-id>_<n>, dropped at the end unless\n"
    "--keep-data. With --case, the reports hold only the cases that ran.\n"
    "\n"
    "exit: 0 every case met its expectation, 1 gate failed, 2 scenario or usage\n"
    "error, 3 database unreachable or harness failure, 130 interrupted (a partial\n"
    "report is still written).";

const char kExamples[] =
    "  ledgerstress run wallet_race\n"
    "  ledgerstress run wallet_race --set workers=20 --seed 7\n"
    "  ledgerstress run close_5000 --case 'keyset*:set_based' --embedded\n"
    "  ledgerstress run ci --format json,html,junit,md --report-dir reports\n"
    "  ledgerstress run ./mine.toml --dsn postgresql://me@db/test --keep-data\n"
    "  ledgerstress run wallet_race --dsn \"$DSN\" --shard 1/4 --run-id nightly_42   # on each of 4 hosts\n";

// Writes each wanted format next to `base`; appends the Markdown summary to
// $GITHUB_STEP_SUMMARY when it is set.
void WriteReports(const RunResult& result, const std::string& base, const std::vector<std::string>& wanted,
                  std::vector<std::string>* written, std::string* write_error) {
  for (const std::string& f : wanted) {
    const std::string path = base + (f == "junit" ? ".junit.xml" : "." + f);
    const std::string text = f == "json"    ? RenderJsonReport(result)
                             : f == "html"  ? RenderHtmlReport(result)
                             : f == "junit" ? RenderJunitReport(result)
                                            : RenderMarkdownReport(result);
    if (WriteFileAtomically(path, text, write_error)) written->push_back(path);
  }
  // An explored counterexample, replayable by PostgreSQL's isolation tester.
  for (const CaseResult& c : result.cases) {
    if (c.explore.isolation_spec.empty()) continue;
    const std::string path = base + "-" + FileSafe(c.name) + ".spec";
    const std::string spec = "# In ledgerstress: " + ExploreReplayCommand(c, result) + "\n" + c.explore.isolation_spec;
    if (WriteFileAtomically(path, spec, write_error)) written->push_back(path);
  }
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary) {
    if (std::FILE* f = std::fopen(summary, "a")) {
      std::fputs(RenderMarkdownReport(result).c_str(), f);
      std::fclose(f);
    } else {
      Warn(std::string("cannot append to $GITHUB_STEP_SUMMARY (") + summary + ")");
    }
  }
}

// `missing` without the note that the rows locked of a scenario's own
// schema are not measured: a figure that does not apply there (a threshold
// on it still says why it cannot run).
std::string MissingToPrint(const std::string& missing) {
  std::string out;
  std::size_t from = 0;
  while (from <= missing.size()) {  // the reasons, "; "-separated (Monitor::Miss)
    const std::size_t end = std::min(missing.find("; ", from), missing.size());
    const std::string why = missing.substr(from, end - from);
    if (!why.empty() && why != Monitor::kOwnSchemaNoRowsLocked) out += (out.empty() ? "" : "; ") + why;
    from = end + 2;
  }
  return out;
}

// What this server could not do: cases that cannot run (an error), and
// figures the monitor could not measure (marked missing in the reports),
// each once, with how to get it.
void PrintWhatDidNotRun(const RunResult& result) {
  std::vector<std::string> seen;
  for (const CaseResult& c : result.cases) {
    if (!c.cannot_run.empty()) std::printf("cannot run: case '%s': %s\n", c.name.c_str(), c.cannot_run.c_str());
    const std::string m = MissingToPrint(c.server.missing);
    if (m.empty() || std::find(seen.begin(), seen.end(), m) != seen.end()) continue;
    seen.push_back(m);
    const bool extension = m.find("not installed") != std::string::npos;
    std::printf("not measured: %s%s\n", m.c_str(),
                extension ? " (to measure: in this database, CREATE EXTENSION pgrowlocks and CREATE EXTENSION "
                            "pg_stat_statements, the latter with pg_stat_statements in shared_preload_libraries)"
                          : "");
  }
}

// The tables on stdout, the schemas kept, where the reports are.
void PrintSummary(const RunResult& result, bool keep_data, const std::vector<std::string>& written) {
  const std::string closes = RenderCloseTable(result);
  if (!closes.empty()) std::printf("%s\n", closes.c_str());
  std::fputs(RenderSummaryTable(result, UseColor(1)).c_str(), stdout);
  if (keep_data) {
    std::string schemas;
    for (const CaseResult& c : result.cases) {
      if (!c.schema.empty()) schemas += (schemas.empty() ? "" : " ") + c.schema;
    }
    if (!schemas.empty()) std::printf("data kept in schemas: %s\n", schemas.c_str());
  }
  PrintWhatDidNotRun(result);
  for (const CaseResult& c : result.cases) {
    if (!c.shards.empty()) std::printf("%s: %s\n", c.name.c_str(), ShardsText(c).c_str());
    if (c.explore.counterexample_id >= 0) {
      std::printf("%s: counterexample, schedule %lld (%s); replay it alone: %s\n", c.name.c_str(),
                  static_cast<long long>(c.explore.counterexample_id), c.explore.counterexample_order.c_str(),
                  ExploreReplayCommand(c, result).c_str());
    }
  }
  for (const std::string& path : written) std::printf("report: %s\n", path.c_str());
  std::fflush(stdout);
}

// The exit code, with what the user must know about an error or a stop.
int ExitCode(const RunResult& result, const StopSource* stop) {
  if (result.verdict == Verdict::kError) Error(kExitInfrastructure, result.error);
  if (result.verdict == Verdict::kInterrupted) Warn("interrupted; the report is partial");
  if (result.verdict != Verdict::kInterrupted && stop->stop_requested()) {
    // The stop came after the run, while the reports were written: they are
    // whole (each written atomically), but the user asked to stop.
    Warn("interrupted while writing the reports; the run had finished and its reports are complete");
    return kExitInterrupted;
  }
  return ExitCodeFor(result);
}

}  // namespace

namespace {

// run's own options (the server and case flags are AddRunFlags').
struct RunArgs {
  std::string scenario_path, dsn, report_dir, formats, shard, run_id;
  double shard_timeout_s = 60;
  int repeat = 1;
  std::int64_t schedule = -1;
  std::vector<std::string> sets;
};

po::options_description RunOptionsOf(RunArgs* a, RunFlags* flags) {
  po::options_description opts("options");
  opts.add_options()
      ("scenario", po::value(&a->scenario_path), "scenario file or name (positional)")
      ("dsn", po::value(&a->dsn), "PostgreSQL connection string or URL (password never printed)")
      ("set", po::value(&a->sets)->composing(),
       "override a case key in every case: --set workers=10, --set duration=15s, "
       "--set strategy.saka_get_or_create_wallet=insert_on_conflict (repeatable)")
      ("seed", po::value<std::uint64_t>(), "RNG seed, replaces the scenario's (the report records it)")
      ("schedule", po::value(&a->schedule),
       "explore cases: run only this schedule (the id a report gives a counterexample; with the same --seed "
       "it is the same order of the same statements); same as --set schedule=ID")
      ("report-dir", po::value(&a->report_dir)->default_value("ledgerstress-reports"),
       "where the report files go")
      ("format", po::value(&a->formats)->default_value("json,html"),
       "report formats, comma-separated: json, html (self-contained, opens offline), junit (XML for CI), "
       "md (Markdown summary; also appended to $GITHUB_STEP_SUMMARY when set)")
      ("repeat", po::value<int>(&a->repeat)->default_value(1),
       "run every case N times on fresh data, keeping each repetition's figures (for compare)")
      ("keep-data", po::bool_switch(), "keep each case's schema and rows for inspection")
      ("shard", po::value(&a->shard)->value_name("I/N"),
       "run shard I (from 0) of N processes of one run, each on its own host if you like: every shard gets the "
       "same scenario, seed and --run-id and the same server; shard 0 sets each case up, judges it on every "
       "shard's figures and history and writes the run's reports; the others run their slice of the workers "
       "(race and ledger cases) and write their own share's (named ...-shard<I>); 'auto/N' takes the lowest "
       "shard no process has taken yet (for launchers that number nothing, as docker compose --scale)")
      ("run-id", po::value(&a->run_id)->value_name("ID"),
       "the run's id (lower-case letters, digits, '_'; at most 40): its schemas are ls_<ID>_*; required with "
       "--shard, the same on every shard, new for every run")
      ("shard-timeout", po::value(&a->shard_timeout_s)->default_value(60)->value_name("SECONDS"),
       "how long a shard waits for the others (at a barrier, for a case's set-up, for their figures) before "
       "the case is an error naming the missing shard (exit 3); a shard whose process dies is noticed at once")
      ("durable", po::bool_switch(), "embedded cluster with fsync and full_page_writes on: safe against an OS crash or power cut, slower; PostgreSQL crashes (server_crash_every) lose nothing more without it");
  AddRunFlags(&opts, flags);
  return opts;
}

// --shard, --run-id and --shard-timeout into `ro`; the exit code of a
// usage error.
std::optional<int> ShardOptions(const RunArgs& a, RunOptions* ro) {
  for (char c : a.run_id) {
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return Error(kExitUsage, "--run-id '" + a.run_id + "': only lower-case letters, digits and '_' (it names schemas)");
    }
  }
  if (a.run_id.size() > 40) return Error(kExitUsage, "--run-id: at most 40 characters (it names schemas)");
  ro->run_id = a.run_id;
  if (a.shard.empty()) return std::nullopt;
  int i = -1, n = 0;
  char end = 0;
  const bool automatic = std::sscanf(a.shard.c_str(), "auto/%d%c", &n, &end) == 1;
  if (automatic) i = ShardSpec::kAuto;
  if (!automatic && (std::sscanf(a.shard.c_str(), "%d/%d%c", &i, &n, &end) != 2 || i < 0 || i >= n)) n = 0;
  if (n < 1 || n > 1000) {
    return Error(kExitUsage, "--shard '" + a.shard + "': expected I/N with 0 <= I < N <= 1000 (e.g. --shard 0/4), "
                             "or auto/N (the lowest shard no process has taken yet)");
  }
  if (n > 1 && a.run_id.empty()) {
    return Error(kExitUsage, "--shard " + a.shard + " needs --run-id: the same id on every shard of the run, a new one "
                             "for every run (e.g. --run-id nightly_$(date +%Y%m%d%H%M))");
  }
  if (a.shard_timeout_s <= 0) return Error(kExitUsage, "--shard-timeout must be more than 0 seconds");
  ro->shard.index = i;
  ro->shard.count = n;
  ro->shard.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(a.shard_timeout_s * 1000));
  return std::nullopt;
}

// Writes the reports of a finished run and prints its summary; the exit code.
int Report(const RunResult& result, const RunOptions& ro, const Scenario& scenario,
           const std::vector<std::string>& wanted, const Invocation& inv) {
  std::vector<std::string> written;
  std::string write_error;
  const auto t_reports = std::chrono::steady_clock::now();
  // A shard's own share is named after it, so that the shards of a run can share a report directory.
  const std::string shard = result.shard_count > 1 && result.shard_index > 0 ? "-shard" + std::to_string(result.shard_index) : "";
  WriteReports(result, ro.report_dir + "/" + FileSafe(scenario.name) + "-" + result.run_id + shard, wanted, &written,
               &write_error);
  const double report_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_reports).count();
  PrintSummary(result, ro.keep_data, written);
  if (std::getenv("LEDGERSTRESS_TIMING")) std::fprintf(stderr, "ledgerstress: reports written in %.1f ms\n", report_ms);
  if (!write_error.empty()) return Error(kExitInfrastructure, write_error);
  return ExitCode(result, inv.stop);
}

}  // namespace

int RunCommand(const Invocation& inv) {
  RunArgs a;
  RunFlags flags;
  const po::options_description opts = RunOptionsOf(&a, &flags);
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (auto code = ParseArgs(inv.args, opts, pos, kUsage, kExamples, &vm)) return *code;
  if (a.scenario_path.empty()) return Error(kExitUsage, "run needs a scenario: a name or a file (see --help)");
  if (a.repeat < 1 || a.repeat > 1000) return Error(kExitUsage, "--repeat must be from 1 to 1000");
  std::vector<std::string> wanted;
  if (auto code = ParseFormats(a.formats, {"json", "html", "junit", "md"}, &wanted)) return *code;
  std::vector<std::string> patterns;
  if (auto code = CasePatterns(flags, &patterns)) return *code;
  RunOptions ro;
  ro.dsn = a.dsn;
  if (auto code = ApplyServerFlags(flags, &ro)) return *code;

  LoadOptions load;
  load.overrides = a.sets;
  if (a.schedule >= 0) load.overrides.push_back("schedule=" + std::to_string(a.schedule));
  if (vm.count("seed")) load.seed = vm["seed"].as<std::uint64_t>();
  Scenario scenario;
  try {
    scenario = LoadScenarioFile(ScenarioFile(a.scenario_path), load);
    SelectCases(patterns, &scenario);
  } catch (const ScenarioError& e) {
    return Error(kExitUsage, e.what());
  }

  if (auto code = ShardOptions(a, &ro)) return *code;
  ro.keep_data = vm["keep-data"].as<bool>();
  ro.repeat = a.repeat;
  ro.durable = vm["durable"].as<bool>();
  ro.report_dir = a.report_dir;
  ro.command_line = inv.command_line;
  ProgressPrinter progress(stderr);
  RunResult result;
  RunScenario(scenario, ro, inv.stop, &progress, &result);
  if (result.verdict == Verdict::kInvalid) return Error(kExitUsage, result.error);  // nothing ran: no report
  return Report(result, ro, scenario, wanted, inv);
}

}  // namespace cli
}  // namespace ledgerstress
