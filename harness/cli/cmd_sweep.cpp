// `ledgerstress sweep`: run a scenario at every value of one or more keys,
// print the trade-off table and a recommendation, write JSON and HTML.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "harness/cli/common.h"
#include "model/text.h"
#include "harness/cli/options.h"
#include "harness/cli/run_flags.h"
#include "harness/cli/search_path.h"
#include "harness/errors.h"
#include "harness/progress.h"
#include "harness/run_scenario.h"
#include "harness/scenario/duration.h"
#include "harness/sweep/run_sweep.h"
#include "harness/sweep/sweep_plan.h"
#include "reports/atomic_file.h"
#include "reports/sweep_report.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {
namespace {

const char kUsage[] =
    "usage: ledgerstress sweep SCENARIO --vary KEY=v1,v2,... [--vary KEY2=...] [options]\n"
    "\n"
    "Runs the scenario once per value of KEY (every combination when several keys\n"
    "vary), each on fresh data, on one server; prints a table (close time,\n"
    "statements, rows locked, p99 of the concurrent user operations, errors,\n"
    "invariants), recommends a value with its reason, and writes JSON and a\n"
    "self-contained HTML page with the curves. Only the cases that read a varied\n"
    "key run (release_batch_size: the keyset and batched closes). KEY is any case\n"
    "key of the scenario format, as for 'run --set'; every value is checked\n"
    "before anything runs. --case selects cases as for run. SCENARIO is a file\n"
    "or a scenario's name, and the server is chosen (and named on stdout), as\n"
    "for run.\n"
    "\n"
    "The recommendation: of the values at which every case expected to pass held\n"
    "its invariants, those whose concurrent user p99 is within --p99-budget and\n"
    "whose close time is within --tolerance of the fastest compete, and the lowest\n"
    "p99 wins; if none is within the tolerance, the fastest within budget. A value\n"
    "whose invariants fail is never recommended. With an arrival_rate (set it in\n"
    "the scenario or with --set arrival_rate=300/s) the p99 is the corrected one,\n"
    "from each call's intended start; without, a closed loop's, which a stall\n"
    "hides. The recommendation says which it used.\n"
    "\n"
    "exit: 0 done, 1 a case missed its expectation at some value, 2 usage or\n"
    "scenario error (nothing ran), 3 database unreachable or harness failure,\n"
    "130 interrupted (the partial sweep is still written).";

const char kExamples[] =
    "  ledgerstress sweep close_5000 --vary release_batch_size=25,100,500,1000\n"
    "  ledgerstress sweep scenarios/close_5000.toml --case keyset --vary release_batch_size=50,100,200 "
    "--vary workers=4,16 --repeat 3\n"
    "  ledgerstress sweep scenarios/close_1000.toml --vary release_batch_size=100,1000 --p99-budget 20ms "
    "--tolerance 5%\n";

// "10%", "10" (percent) or "0.1" (fraction).
bool ParseTolerance(const std::string& text, double* out) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || v < 0) return false;
  const std::string rest(end);
  if (rest == "%") *out = v / 100;
  else if (rest.empty()) *out = v >= 1 ? v / 100 : v;
  else return false;
  return *out <= 10;
}

// Every grid point's scenario, checked before anything runs (exit 2 otherwise).
std::optional<int> Plan(const std::string& path, const std::vector<std::string>& sets,
                        std::optional<std::uint64_t> seed, const std::vector<std::string>& varies_text,
                        const std::vector<std::string>& case_patterns, SweepPlan* plan) {
  LoadOptions load;
  load.overrides = sets;
  load.seed = seed;
  try {
    std::vector<Vary> varies;
    for (const std::string& v : varies_text) varies.push_back(ParseVary(v));
    *plan = PlanSweep(ScenarioFile(path), load, varies, case_patterns);
  } catch (const ScenarioError& e) {
    return Error(kExitUsage, e.what());
  }
  return std::nullopt;
}

// Writes the sweep's files, prints the table and where the files are;
// returns the exit code.
int WriteAndReport(const SweepResult& sweep, const std::string& report_dir, const std::vector<std::string>& wanted,
                   const StopSource* stop) {
  std::vector<std::string> written;
  std::string write_error;
  const std::string base = report_dir + "/" + FileSafe(sweep.scenario_name) + "-sweep-" + sweep.run_id;
  for (const std::string& f : wanted) {
    const std::string text = f == "json" ? RenderSweepJson(sweep) : RenderSweepHtml(sweep);
    if (WriteFileAtomically(base + "." + f, text, &write_error)) written.push_back(base + "." + f);
  }
  std::fputs(RenderSweepTable(sweep).c_str(), stdout);
  if (sweep.repeat == 1 && sweep.points.size() > 1) {
    std::puts("note: one run per value; p99s move from run to run on a busy server: --repeat 3 gives medians");
  }
  for (const std::string& path : written) std::printf("report: %s\n", path.c_str());
  std::fflush(stdout);
  if (written.size() != wanted.size()) return Error(kExitInfrastructure, write_error);
  if (sweep.verdict == Verdict::kInterrupted || stop->stop_requested()) {
    Warn("interrupted; the sweep is partial");
    return kExitInterrupted;
  }
  if (sweep.verdict == Verdict::kError) return Error(kExitInfrastructure, sweep.error);
  return sweep.verdict == Verdict::kFail ? kExitGateFailed : kExitPass;
}


}  // namespace

namespace {

// sweep's own options (the server and case flags are AddRunFlags').
struct SweepArgs {
  std::string scenario_path, dsn, report_dir, formats, budget_text, tolerance_text;
  int repeat = 1;
  std::vector<std::string> varies_text, sets;
};

po::options_description SweepOptionsOf(SweepArgs* a, RunFlags* flags) {
  po::options_description opts("options");
  opts.add_options()
      ("scenario", po::value(&a->scenario_path), "scenario file or name (positional)")
      ("vary", po::value(&a->varies_text)->composing(),
       "KEY=v1,v2,...: a case key and the values to try (repeatable: a grid)")
      ("repeat", po::value<int>(&a->repeat)->default_value(1),
       "runs per value, on fresh data; the table shows medians")
      ("p99-budget", po::value(&a->budget_text)->default_value("50ms"),
       "the p99 the concurrent user operations may reach (recommendation)")
      ("tolerance", po::value(&a->tolerance_text)->default_value("10%"),
       "how much slower than the fastest close a recommended value may be")
      ("set", po::value(&a->sets)->composing(), "override a case key in every case, as for run (repeatable)")
      ("seed", po::value<std::uint64_t>(), "RNG seed, replaces the scenario's (every value uses it)")
      ("dsn", po::value(&a->dsn), "PostgreSQL connection string or URL (password never printed)")
      ("report-dir", po::value(&a->report_dir)->default_value("ledgerstress-reports"), "where the files go")
      ("format", po::value(&a->formats)->default_value("json,html"), "json, html, or both")
      ("durable", po::bool_switch(), "embedded cluster with fsync and full_page_writes on (see run --help)");
  AddRunFlags(&opts, flags);
  return opts;
}

// --p99-budget and --tolerance into *so; an exit code when one is off.
std::optional<int> ReadBudget(const SweepArgs& a, SweepOptions* so) {
  std::chrono::milliseconds budget{0};
  if (!ParseDuration(a.budget_text, &budget) || budget.count() <= 0) {
    return Error(kExitUsage, "--p99-budget '" + a.budget_text + "': expected a duration such as 50ms");
  }
  if (!ParseTolerance(a.tolerance_text, &so->tolerance)) {
    return Error(kExitUsage, "--tolerance '" + a.tolerance_text + "': expected a percentage such as 10%");
  }
  so->p99_budget_ms = static_cast<double>(budget.count());
  return std::nullopt;
}

}  // namespace

int SweepCommand(const Invocation& inv) {
  SweepArgs a;
  RunFlags flags;
  const po::options_description opts = SweepOptionsOf(&a, &flags);
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (auto code = ParseArgs(inv.args, opts, pos, kUsage, kExamples, &vm)) return *code;
  if (a.scenario_path.empty()) return Error(kExitUsage, "sweep needs a scenario: a name or a file (see --help)");
  if (a.varies_text.empty()) return Error(kExitUsage, "sweep needs at least one --vary KEY=v1,v2,... (see --help)");
  if (a.repeat < 1 || a.repeat > 100) return Error(kExitUsage, "--repeat must be from 1 to 100");
  SweepOptions so;
  if (auto code = ReadBudget(a, &so)) return *code;
  std::vector<std::string> wanted;
  if (auto code = ParseFormats(a.formats, {"json", "html"}, &wanted)) return *code;
  std::vector<std::string> patterns;
  if (auto code = CasePatterns(flags, &patterns)) return *code;
  so.run.dsn = a.dsn;
  if (auto code = ApplyServerFlags(flags, &so.run)) return *code;

  std::optional<std::uint64_t> seed;
  if (vm.count("seed")) seed = vm["seed"].as<std::uint64_t>();
  SweepPlan plan;
  if (auto code = Plan(a.scenario_path, a.sets, seed, a.varies_text, patterns, &plan)) return *code;

  so.run.repeat = a.repeat;
  so.run.durable = vm["durable"].as<bool>();
  so.run.report_dir = a.report_dir;
  so.run.command_line = inv.command_line;
  ProgressPrinter progress(stderr);
  SweepResult sweep;
  RunSweep(plan, so, inv.stop, &progress, &sweep);
  if (sweep.verdict == Verdict::kInvalid) return Error(kExitUsage, sweep.error);  // nothing ran
  return WriteAndReport(sweep, a.report_dir, wanted, inv.stop);
}

}  // namespace cli
}  // namespace ledgerstress
