#ifndef LEDGERSTRESS_HARNESS_CLI_RUN_FLAGS_H_
#define LEDGERSTRESS_HARNESS_CLI_RUN_FLAGS_H_

// The options `run` and `sweep` share, described and checked once: --case
// (which cases run), --embedded (which server) and --reconnect-for (how
// long a worker waits for a server that went away).

#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "harness/run_scenario.h"

namespace ledgerstress {
namespace cli {

struct RunFlags {
  std::vector<std::string> cases;  // --case values, as given (SplitCasePatterns splits them)
  bool embedded = false;           // --embedded
  int reconnect_for_s = 20;        // --reconnect-for
};

// Adds --case, --embedded and --reconnect-for to `opts`, filling `flags`.
void AddRunFlags(boost::program_options::options_description* opts, RunFlags* flags);

// The --case patterns: every value split on ':'. Returns the exit code (2,
// after a one-line error) when a pattern is empty.
std::optional<int> CasePatterns(const RunFlags& flags, std::vector<std::string>* patterns);

// Applies --embedded and --reconnect-for to `run` (whose dsn is --dsn):
// refuses --embedded with --dsn, and a --reconnect-for outside 1..3600
// (exit 2, after a one-line error); otherwise sets run->embedded and, so that
// nothing in this process or its drivers reaches the user's server, unsets
// $DATABASE_URL and the libpq variables naming a server. Also has `run`
// print its "server: ..." line on stdout.
std::optional<int> ApplyServerFlags(const RunFlags& flags, RunOptions* run);

}  // namespace cli
}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_CLI_RUN_FLAGS_H_
