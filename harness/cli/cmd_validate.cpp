// `ledgerstress validate`: check scenario files without running anything.
#include <cstdio>

#include "harness/cli/common.h"
#include "harness/cli/options.h"
#include "harness/cli/search_path.h"
#include "harness/errors.h"
#include "harness/scenario/scenario_loader.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {

int ValidateCommand(const Invocation& inv) {
  po::options_description opts("options");
  std::vector<std::string> files, sets;
  opts.add_options()("file", po::value(&files), "scenario files or names (positional)")(
      "set", po::value(&sets)->composing(), "validate with these overrides, as 'run --set'");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (auto code = ParseArgs(inv.args, opts, pos,
                            "usage: ledgerstress validate SCENARIO... [--set key=value]...\n\n"
                            "Checks each scenario (a file, or a name as for run) strictly (unknown keys,\n"
                            "types, ranges, strategies) and prints 'FILE: ok' or 'FILE:LINE:COL: problem'.\n"
                            "Exit 2 if any is invalid.\n"
                            "It needs no server, so the scenario's own SQL ([schema], its fixture,\n"
                            "[[operation]] statements, [[sql_invariant]] queries) is only parsed here\n"
                            "(:parameters defined and used), and no [schema] command runs; `run`\n"
                            "runs those on a scratch schema and has the server prepare every\n"
                            "statement before any case starts.",
                            "  ledgerstress validate scenarios/*.toml\n  ledgerstress validate ci wallet_race\n", &vm)) {
    return *code;
  }
  if (files.empty()) return Error(kExitUsage, "validate needs at least one scenario: a name or a file (see --help)");
  int code = kExitPass;
  for (const std::string& f : files) {
    try {
      LoadOptions lo;
      lo.overrides = sets;
      const Scenario s = LoadScenarioFile(ScenarioFile(f), lo);
      std::printf("%s: ok (%zu case%s)\n", f.c_str(), s.cases.size(), s.cases.size() == 1 ? "" : "s");
    } catch (const ScenarioError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      code = kExitUsage;
    }
  }
  return code;
}

}  // namespace cli
}  // namespace ledgerstress
