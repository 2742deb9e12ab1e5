#include "harness/cli/options.h"

#include <iostream>

#include "harness/cli/common.h"
#include "harness/errors.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {

std::optional<int> ParseArgs(const std::vector<std::string>& args, const po::options_description& visible,
                             const po::positional_options_description& positional, const std::string& usage,
                             const std::string& examples, po::variables_map* vm) {
  po::options_description all;
  all.add(visible);
  all.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), *vm);
    if (vm->count("help")) {
      std::cout << usage << "\n\n" << all << (examples.empty() ? "" : "\nexamples:\n" + examples);
      return kExitPass;
    }
    po::notify(*vm);
  } catch (const po::error& e) {
    return Error(kExitUsage, std::string(e.what()) + " (see --help)");
  }
  return std::nullopt;
}

}  // namespace cli
}  // namespace ledgerstress
