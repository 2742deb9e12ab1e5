#ifndef LEDGERSTRESS_HARNESS_CLI_OPTIONS_H_
#define LEDGERSTRESS_HARNESS_CLI_OPTIONS_H_

#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace ledgerstress {
namespace cli {

// Parses a subcommand's arguments. Prints `usage` + the options on --help
// (returns 0) and a one-line error on bad arguments (returns 2); returns
// nullopt when the command should go on with *vm filled in.
std::optional<int> ParseArgs(const std::vector<std::string>& args,
                             const boost::program_options::options_description& visible,
                             const boost::program_options::positional_options_description& positional,
                             const std::string& usage, const std::string& examples,
                             boost::program_options::variables_map* vm);

}  // namespace cli
}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_CLI_OPTIONS_H_
