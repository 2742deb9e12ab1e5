#include "harness/cli/commands.h"

#include <sstream>

namespace ledgerstress::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"run", "run SCENARIO", "run a scenario; exit 0 pass, 1 gate failed", RunCommand},
      {"sweep", "sweep SCENARIO",
       "vary a key (--vary release_batch_size=25,100,500),\nshow the trade-off and recommend a value", SweepCommand},
      {"validate", "validate SCENARIO...", "check scenarios without running them", ValidateCommand},
      {"list", "list WHAT", "list scenarios, strategies, invariants, schema-options\nor case-keys", ListCommand},
      {"compare", "compare BASE HEAD", "compare two JSON reports; exit 1 on a regression", CompareCommand},
      {"merge", "merge SHARD.json...", "merge the JSON reports of a sharded run's shards", MergeCommand},
      {"db", "db start|stop|status", "keep one embedded PostgreSQL up across runs", DbCommand},
      {"schema", "schema",
       "print the built-in schema's DDL (the tables a driver\nimplementing the built-in operations writes to)",
       SchemaCommand},
  };
  return kCommands;
}

std::string CommandListing() {
  constexpr std::size_t kColumn = 23;  // the summaries start after the widest synopsis
  std::ostringstream out;
  for (const Command& c : Commands()) {
    std::istringstream lines(c.summary);
    std::string line;
    bool first = true;
    while (std::getline(lines, line)) {
      const std::string left = first ? c.synopsis : "";
      out << "  " << left << std::string(kColumn - left.size(), ' ') << line << '\n';
      first = false;
    }
  }
  return out.str();
}

const Command* FindCommand(const std::string& name) {
  for (const Command& c : Commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

std::vector<std::string> CommandNames() {
  std::vector<std::string> names;
  for (const Command& c : Commands()) names.emplace_back(c.name);
  return names;
}

}  // namespace ledgerstress::cli
