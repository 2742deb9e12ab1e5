// ledgerstress: dispatches to one subcommand; the work lives in the libraries.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "harness/build_info.h"
#include "harness/cli/commands.h"
#include "harness/cli/common.h"
#include "harness/errors.h"
#include "harness/pg/dsn.h"
#include "harness/scenario/suggest.h"

namespace {

// The usage text; %s: the commands (CommandListing()).
const char kUsage[] =
    "usage: ledgerstress <command> [options]\n"
    "\n"
    "Concurrency stress tests for PostgreSQL settlement code: runs operations (the\n"
    "built-in settlement code, a scenario's SQL, or your own code through a driver\n"
    "process) from many threads against a real PostgreSQL, injects faults, checks\n"
    "invariants and the history of acknowledged writes, and writes JSON, HTML,\n"
    "JUnit and Markdown reports.\n"
    "\n"
    "commands:\n"
    "%s"
    "\n"
    "SCENARIO is a file (a path with a '/', ending in .toml, or an existing file)\n"
    "or a scenario's name, looked for in $LEDGERSTRESS_SCENARIO_PATH, then in the\n"
    "installed share/ledgerstress/scenarios (for a binary in its build tree, the\n"
    "source tree's scenarios/); 'ledgerstress list scenarios' shows them.\n"
    "\n"
    "exit codes:\n"
    "  0    every case met its expectation\n"
    "  1    gate failed\n"
    "  2    usage or scenario error\n"
    "  3    infrastructure error\n"
    "  130  interrupted\n"
    "\n"
    "environment:\n"
    "  LEDGERSTRESS_SCENARIO_PATH  colon-separated directories searched first for\n"
    "                              scenario names\n"
    "  DATABASE_URL, PG*           the server to use when --dsn is not given\n"
    "  LEDGERSTRESS_DB_DIR         where 'db start' keeps its cluster\n"
    "  LEDGERSTRESS_PG_BINDIR      PostgreSQL's initdb and pg_ctl for the embedded\n"
    "                              cluster (else pg_config, /usr/lib/postgresql/*/bin)\n"
    "  TMPDIR                      where a throwaway embedded cluster lives\n"
    "  GITHUB_STEP_SUMMARY         run appends its Markdown summary to this file\n"
    "  NO_COLOR                    no colour, even on a terminal\n"
    "\n"
    "examples:\n"
    "  ledgerstress run wallet_race      a shipped scenario, by name\n"
    "  ledgerstress run ci --format md   the gate suite, with a Markdown summary\n"
    "  ledgerstress run ./mine.toml      a scenario file of your own\n"
    "\n"
    "'ledgerstress <command> --help' describes a command.\n";

std::string Usage() {
  const std::string listing = ledgerstress::cli::CommandListing();
  std::string out(sizeof kUsage + listing.size(), '\0');
  out.resize(std::snprintf(out.data(), out.size(), kUsage, listing.c_str()));
  return out;
}

std::string RedactedCommandLine(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (i > 0 && std::strcmp(argv[i - 1], "--dsn") == 0) a = ledgerstress::RedactDsn(a);
    if (a.rfind("--dsn=", 0) == 0) a = "--dsn=" + ledgerstress::RedactDsn(a.substr(6));
    out += (i ? " " : "") + a;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ledgerstress;
  static StopSource stop;
  InstallSignalHandling(&stop);  // before any thread exists
  // A closed pipe (`ledgerstress run ... | head`) must fail a write, not kill
  // the process before it cleans up its cluster and schemas.
  std::signal(SIGPIPE, SIG_IGN);

  const std::string usage = Usage();
  if (argc < 2) {
    std::fputs(usage.c_str(), stderr);
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(usage.c_str(), stdout);
    return kExitPass;
  }
  if (command == "--version" || command == "version") {
    std::printf("ledgerstress %s (%s)\n", kVersion, kGitCommit);
    return kExitPass;
  }
  cli::Invocation inv{std::vector<std::string>(argv + 2, argv + argc), RedactedCommandLine(argc, argv), &stop};
  try {
    if (const cli::Command* c = cli::FindCommand(command)) return c->run(inv);
  } catch (const InfrastructureError& e) {
    return cli::Error(kExitInfrastructure, e.what());
  } catch (const std::exception& e) {
    return cli::Error(kExitInfrastructure, std::string("internal error: ") + e.what());
  }
  return cli::Error(kExitUsage, "unknown command '" + command + "'" +
                                    DidYouMean(command, cli::CommandNames()) +
                                    "; see 'ledgerstress --help'");
}
