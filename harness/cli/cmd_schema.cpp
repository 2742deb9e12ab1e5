// `ledgerstress schema`: the built-in schema's DDL, so that a driver's
// author never has to read a source file.
#include <cstdio>
#include <map>

#include "harness/cli/common.h"
#include "harness/cli/options.h"
#include "harness/engine/fixtures.h"
#include "harness/errors.h"
#include "harness/scenario/case_reader.h"
#include "harness/scenario/catalog.h"
#include "harness/scenario/suggest.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {
namespace {

const char kUsage[] =
    "usage: ledgerstress schema [--set schema.OPTION=true|false]...\n\n"
    "Prints the DDL of the built-in schema: the tables the built-in operations\n"
    "and invariants work on, which a driver implementing those operations\n"
    "writes to. Each case gets them in its own schema, exactly so (names are\n"
    "unqualified: they land in the first schema of search_path), with the\n"
    "schema options at their defaults ('ledgerstress list schema-options')\n"
    "unless --set changes one as a case's schema.<option> would.";

const char kExamples[] =
    "  ledgerstress schema\n"
    "  ledgerstress schema --set schema.saka_unique_user=false\n"
    "  psql -c 'CREATE SCHEMA mine'\n"
    "  ledgerstress schema | PGOPTIONS='-c search_path=mine' psql -v ON_ERROR_STOP=1\n";

// "schema.NAME=true|false" into *options; the exit code on a bad one.
std::optional<int> ApplySet(const std::string& set, std::map<std::string, bool>* options) {
  const auto eq = set.find('=');
  const std::string key = set.substr(0, eq);
  const std::string value = eq == std::string::npos ? "" : set.substr(eq + 1);
  const std::string name = key.rfind("schema.", 0) == 0 ? key.substr(7) : "";
  const std::vector<std::string> names = SchemaOptionNames();
  if (!Contains(names, name)) {
    std::string known;
    for (const std::string& n : names) known += (known.empty() ? "schema." : ", schema.") + n;
    return Error(kExitUsage, "--set " + set + ": not a schema option" + DidYouMean(name, names) + "; known: " + known);
  }
  if (value != "true" && value != "false") return Error(kExitUsage, "--set " + set + ": the value must be true or false");
  (*options)[name] = value == "true";
  return std::nullopt;
}

}  // namespace

int SchemaCommand(const Invocation& inv) {
  po::options_description opts("options");
  std::vector<std::string> sets;
  opts.add_options()("set", po::value(&sets)->composing(), "a schema option, as 'run --set schema.NAME=false'");
  po::variables_map vm;
  if (auto code = ParseArgs(inv.args, opts, po::positional_options_description(), kUsage, kExamples, &vm)) return *code;
  std::map<std::string, bool> options;
  for (const SchemaOptionInfo& o : SchemaOptions()) options[o.name] = o.default_value;
  for (const std::string& s : sets) {
    if (auto code = ApplySet(s, &options)) return *code;
  }
  std::fputs(BuiltinSchemaSql(options).c_str(), stdout);
  return std::fflush(stdout) == 0 ? kExitPass : Error(kExitInfrastructure, "cannot write the schema to stdout");
}

}  // namespace cli
}  // namespace ledgerstress
