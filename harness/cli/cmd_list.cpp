// `ledgerstress list`: the vocabulary scenarios may use.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "harness/cli/common.h"
#include "harness/cli/options.h"
#include "harness/errors.h"
#include "harness/scenario/catalog.h"
#include "harness/scenario/scenario_loader.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {
namespace {

int ListScenarios() {
  const std::string dir = ScenarioDir();
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  }
  if (ec) return Error(kExitUsage, "cannot read " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    try {
      const Scenario s = LoadScenarioFile(f);
      std::printf("%-40s %zu case(s)  %s\n", f.c_str(), s.cases.size(), s.description.c_str());
    } catch (const ScenarioError& e) {
      std::printf("%-40s INVALID: %s\n", f.c_str(), e.what());
    }
  }
  return kExitPass;
}

std::string JoinNames(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// Where the operation runs, in the scenario's words.
std::string RolesText(const OperationDef& op) {
  std::vector<std::string> parts;
  if (op.Plays(kRaceCaller)) parts.push_back("raced by every worker in workload = \"race\"");
  if (op.Plays(kBackground)) parts.push_back("in the mix of workload = \"ledger\" and the close's background");
  if (op.Plays(kCloser)) parts.push_back("called by the closers of workload = \"close\"");
  return JoinNames(parts) + (op.Tracked() ? "; tracked by acknowledged_writes_durable" : "");
}

}  // namespace

int ListCommand(const Invocation& inv) {
  po::options_description opts("options");
  std::string what;
  opts.add_options()("what", po::value(&what), "scenarios | strategies | invariants | schema-options");
  po::positional_options_description pos;
  pos.add("what", 1);
  po::variables_map vm;
  if (auto code = ParseArgs(inv.args, opts, pos,
                            "usage: ledgerstress list scenarios|strategies|invariants|schema-options",
                            "  ledgerstress list strategies\n", &vm)) {
    return *code;
  }
  if (what == "scenarios") return ListScenarios();
  if (what == "strategies" || what == "operations") {
    for (const OperationDef& op : BuiltinOperations().rows()) {
      std::printf("%s  -- %s\n", op.name.c_str(), op.summary.c_str());
      std::printf("    (%s; arguments: %s)\n", RolesText(op).c_str(), JoinNames(op.args).c_str());
      for (std::size_t i = 0; i < op.strategies.size(); ++i) {
        std::printf("    %s%s\n", op.strategies[i].c_str(), i == 0 ? "  (default)" : "");
      }
    }
    return kExitPass;
  }
  if (what == "invariants") {
    for (const InvariantDef& i : BuiltinInvariants()) {
      std::printf("%-28s %s\n%-28s   reads: %s\n", i.name.c_str(), i.summary.c_str(), "", i.applies_to.c_str());
    }
    return kExitPass;
  }
  if (what == "schema-options") {
    for (const SchemaOptionInfo& o : SchemaOptions()) {
      std::printf("%-20s default %-5s  %s\n", o.name.c_str(), o.default_value ? "true" : "false", o.summary.c_str());
    }
    return kExitPass;
  }
  return Error(kExitUsage, "list what? scenarios, strategies, invariants or schema-options");
}

}  // namespace cli
}  // namespace ledgerstress
