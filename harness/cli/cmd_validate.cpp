// `ledgerstress validate`: check scenario files without running anything.
#include <algorithm>
#include <cstdio>

#include "harness/cli/common.h"
#include "harness/cli/options.h"
#include "harness/cli/search_path.h"
#include "harness/drivers/driver_client.h"
#include "harness/drivers/driver_probe.h"
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
                            "Exit 2 if any is invalid, 3 if a driver cannot be asked.\n"
                            "It needs no server, so the scenario's own SQL ([schema], its fixture,\n"
                            "[[operation]] statements, [[sql_invariant]] queries) is only parsed here\n"
                            "(:parameters and vars defined and used, gset columns as far as the text\n"
                            "names them), and no [schema] command runs; `run` runs those on a scratch\n"
                            "schema and has the server prepare every statement before any case\n"
                            "starts. Each driver a case uses is started once and asked what it\n"
                            "offers (init with \"probe\": true, then shutdown): an operation or\n"
                            "strategy it does not offer is invalid; a driver that cannot get through\n"
                            "init exits 3.",
                            "  ledgerstress validate scenarios/*.toml\n  ledgerstress validate ci wallet_race\n", &vm)) {
    return *code;
  }
  if (files.empty()) return Error(kExitUsage, "validate needs at least one scenario: a name or a file (see --help)");
  int code = kExitPass;
  for (const std::string& f : files) {
    try {
      LoadOptions lo;
      lo.overrides = sets;
      Scenario s = LoadScenarioFile(ScenarioFile(f), lo);
      ProbeDriversWithoutServer(&s);
      std::printf("%s: ok (%zu case%s)\n", f.c_str(), s.cases.size(), s.cases.size() == 1 ? "" : "s");
    } catch (const ScenarioError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      code = std::max(code, static_cast<int>(kExitUsage));
    } catch (const DriverError& e) {
      std::fprintf(stderr, "%s: %s\n", f.c_str(), e.what());
      code = kExitInfrastructure;
    }
  }
  return code;
}

}  // namespace cli
}  // namespace ledgerstress
