#include "harness/cli/run_flags.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "harness/cli/common.h"
#include "harness/errors.h"
#include "harness/scenario/case_filter.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {
namespace {

// DATABASE_URL and what libpq reads from the environment to find a server
// and log in to it.
const char* const kServerVariables[] = {
    "DATABASE_URL", "PGHOST",      "PGHOSTADDR",    "PGPORT",        "PGDATABASE",         "PGUSER",
    "PGPASSWORD",   "PGPASSFILE",  "PGSERVICE",     "PGSERVICEFILE", "PGSSLMODE",          "PGREQUIRESSL",
    "PGSSLCERT",    "PGSSLKEY",    "PGSSLROOTCERT", "PGGSSENCMODE",  "PGTARGETSESSIONATTRS", "PGCONNECT_TIMEOUT"};

void PrintLine(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

void AddRunFlags(po::options_description* opts, RunFlags* flags) {
  opts->add_options()
      ("case", po::value(&flags->cases)->composing()->value_name("PATTERN"),
       "run only the cases whose name matches PATTERN, a glob as in --gtest_filter ('*' any characters, '/' "
       "too; '?' one); several separated by ':' or the option repeated, a case runs if any matches; a pattern "
       "that matches no case is an error (exit 2) before anything runs")
      ("embedded", po::bool_switch(&flags->embedded),
       "always start a throwaway embedded cluster, ignoring a 'db start' cluster, $DATABASE_URL and the PG* "
       "variables (not with --dsn)")
      ("reconnect-for", po::value(&flags->reconnect_for_s)->default_value(20)->value_name("SECONDS"),
       "how long a worker that lost the server (a killed backend, crash recovery, a failover) keeps trying to "
       "reach it again, backing off up to 1 s, before the case is an error (exit 3); the progress line counts the "
       "workers still trying. 1 to 3600");
}

std::optional<int> CasePatterns(const RunFlags& flags, std::vector<std::string>* patterns) {
  try {
    *patterns = SplitCasePatterns(flags.cases);
  } catch (const ScenarioError& e) {
    return Error(kExitUsage, e.what());
  }
  return std::nullopt;
}

std::optional<int> ApplyServerFlags(const RunFlags& flags, RunOptions* run) {
  if (flags.embedded && !run->dsn.empty()) {
    return Error(kExitUsage, "--embedded starts a cluster of its own: it cannot go with --dsn (drop one)");
  }
  if (flags.reconnect_for_s < 1 || flags.reconnect_for_s > 3600) {
    return Error(kExitUsage, "--reconnect-for " + std::to_string(flags.reconnect_for_s) +
                             ": from 1 to 3600 seconds (how long a worker tries to reach a server that went away)");
  }
  run->reconnect_for = std::chrono::seconds(flags.reconnect_for_s);
  run->embedded = flags.embedded;
  if (flags.embedded) {
    for (const char* var : kServerVariables) unsetenv(var);
  }
  run->announce_server = PrintLine;
  return std::nullopt;
}

}  // namespace cli
}  // namespace ledgerstress
