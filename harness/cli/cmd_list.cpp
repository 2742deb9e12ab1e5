// `ledgerstress list`: the vocabulary scenarios may use.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "harness/cli/common.h"
#include "harness/cli/options.h"
#include "harness/cli/search_path.h"
#include "harness/errors.h"
#include "harness/scenario/case_keys.h"
#include "harness/scenario/workload_table.h"
#include "harness/scenario/catalog.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scenario/scenario_lookup.h"
#include "harness/scenario/suggest.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {
namespace {

const std::vector<std::string> kWhat = {"scenarios", "strategies", "invariants", "schema-options", "case-keys"};

// The scenarios on the search path, by directory (origin noted), each with
// its case count and description; a name an earlier directory also has is
// marked shadowed. With `names_only`, the names a name lookup finds.
int ListScenarios(bool names_only) {
  const std::vector<ScenarioDir> dirs = ScenarioSearchPath();
  const std::vector<FoundScenario> found = FindScenarios(dirs);
  if (names_only) {
    for (const FoundScenario& f : found) {
      if (!f.shadowed) std::printf("%s\n", f.name.c_str());
    }
    return kExitPass;
  }
  for (const ScenarioDir& d : dirs) {
    std::error_code ec;
    std::printf("%s (%s)%s\n", d.path.c_str(), d.origin.c_str(),
                std::filesystem::is_directory(d.path, ec) ? ":" : ": does not exist");
    for (const FoundScenario& f : found) {
      if (f.dir != d.path) continue;
      try {
        const Scenario s = LoadScenarioFile(f.path);
        std::printf("  %-20s %2zu case%s  %s%s\n", f.name.c_str(), s.cases.size(), s.cases.size() == 1 ? " " : "s",
                    s.description.c_str(), f.shadowed ? "  (shadowed by an earlier directory)" : "");
      } catch (const ScenarioError& e) {
        std::printf("  %-20s INVALID: %s\n", f.name.c_str(), e.what());
      }
    }
  }
  if (dirs.empty()) std::printf("no scenario directory: set LEDGERSTRESS_SCENARIO_PATH\n");
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

// "race, close, ledger", or "every workload".
std::string WorkloadList(unsigned bits) {
  std::vector<std::string> names;
  for (const WorkloadRow& w : WorkloadRows()) {
    if (bits & BitOf(w.id)) names.push_back(w.name);
  }
  return names.size() == WorkloadRows().size() ? "every workload" : JoinNames(names);
}

// Every key a [[case]], [defaults] or --set may give, with the workloads
// that read it; a table key is listed as its sub-keys when the harness knows
// them (mix.<operation>, strategy.<operation>, schema.<option>), else as a
// prefix ("thresholds."). With `names_only`, one name a line.
int ListCaseKeys(bool names_only) {
  for (const CaseKeyDef& k : CaseKeys()) {
    if (k.name == "name") continue;  // each case's own
    std::vector<std::string> names;
    if (k.name == "mix" || k.name == "strategy") {
      for (const OperationDef& op : BuiltinOperations().rows()) {
        if (k.name == "strategy" ? !op.strategies.empty() : op.Plays(kBackground)) names.push_back(k.name + "." + op.name);
      }
    } else if (k.name == "schema") {
      for (const SchemaOptionInfo& o : SchemaOptions()) names.push_back("schema." + o.name);
    } else {
      names.push_back(k.table ? k.name + "." : k.name);
    }
    for (const std::string& n : names) {
      if (names_only) std::printf("%s\n", n.c_str());
      else std::printf("%-44s %s\n", n.c_str(), WorkloadList(k.workloads).c_str());
    }
  }
  return kExitPass;
}

// `list WHAT --names` for the tables: the operations (strategies), the
// invariants, the schema options.
int ListNames(const std::string& what) {
  std::vector<std::string> names;
  if (what == "strategies" || what == "operations") {
    for (const OperationDef& op : BuiltinOperations().rows()) names.push_back(op.name);
  } else if (what == "invariants") {
    names = InvariantNames();
  } else if (what == "schema-options") {
    names = SchemaOptionNames();
  } else {
    return Error(kExitUsage, "list what? " + JoinNames(kWhat) + (what.empty() ? "" : DidYouMean(what, kWhat)));
  }
  for (const std::string& n : names) std::printf("%s\n", n.c_str());
  return kExitPass;
}

}  // namespace

int ListCommand(const Invocation& inv) {
  po::options_description opts("options");
  std::string what;
  bool names_only = false;
  opts.add_options()("what", po::value(&what), "scenarios | strategies | invariants | schema-options | case-keys")(
      "names", po::bool_switch(&names_only), "only the names, one a line (for scripts and shell completion)");
  po::positional_options_description pos;
  pos.add("what", 1);
  po::variables_map vm;
  if (auto code = ParseArgs(inv.args, opts, pos,
                            "usage: ledgerstress list scenarios|strategies|invariants|schema-options|case-keys "
                            "[--names]\n\n"
                            "scenarios: the scenarios 'run NAME' finds, by directory, in search order:\n"
                            "$LEDGERSTRESS_SCENARIO_PATH (colon-separated), then the installed\n"
                            "share/ledgerstress/scenarios (or, for a binary in its build tree, the source\n"
                            "tree's scenarios/); the first directory that has a name wins.\n"
                            "strategies: the operations and their strategies; invariants: the built-in\n"
                            "checks; schema-options: schema.* keys; case-keys: every key --set may give.",
                            "  ledgerstress list scenarios\n  ledgerstress list strategies\n", &vm)) {
    return *code;
  }
  if (what == "scenarios") return ListScenarios(names_only);
  if (what == "case-keys") return ListCaseKeys(names_only);
  if (names_only) return ListNames(what);
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
  return Error(kExitUsage, "list what? " + JoinNames(kWhat) + (what.empty() ? "" : DidYouMean(what, kWhat)));
}

}  // namespace cli
}  // namespace ledgerstress
