// `ledgerstress merge SHARD.json...`: the JSON reports of the shards of one
// run merged offline into one (harness/engine/shard_report_merge.h).
#include <cstdio>
#include <fstream>

#include "harness/cli/common.h"
#include "harness/cli/options.h"
#include "harness/engine/shard_report_merge.h"
#include "harness/errors.h"
#include "reports/atomic_file.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {
namespace {

const char kUsage[] =
    "usage: ledgerstress merge SHARD.json... [--output MERGED.json]\n"
    "\n"
    "Merges the JSON reports the shards of one run wrote ('run --shard I/N', each\n"
    "with the same --run-id) into one report: shard 0's verdicts, invariants and\n"
    "server figures, and each case's operations recomputed from every shard's own\n"
    "share, the latency histograms' bucket counts added (a merged p99 is the p99 of\n"
    "every call, never an average of percentiles). The result's figures are those\n"
    "shard 0 merged while the run went on; give every shard's report, shard 0's\n"
    "included. Writes to stdout unless --output.\n"
    "\n"
    "exit: 0 merged, 2 a report is missing, unreadable, or of another run.";

const char kExamples[] =
    "  ledgerstress merge shard-*/ci-nightly_42.json --output ci-nightly_42-merged.json\n";

std::optional<int> Read(const std::string& path, std::vector<ShardReport>* out) {
  std::ifstream in(path);
  if (!in) return Error(kExitUsage, path + ": cannot read");
  try {
    out->push_back(ShardReport{path, nlohmann::json::parse(in)});
  } catch (const nlohmann::json::exception& e) {
    return Error(kExitUsage, path + ": not a JSON report (" + e.what() + ")");
  }
  return std::nullopt;
}

}  // namespace

int MergeCommand(const Invocation& inv) {
  std::vector<std::string> files;
  std::string output;
  po::options_description opts("options");
  opts.add_options()("report", po::value(&files), "the shards' JSON reports (positional)")(
      "output,o", po::value(&output)->value_name("PATH"), "write the merged report here (default: stdout)");
  po::positional_options_description pos;
  pos.add("report", -1);
  po::variables_map vm;
  if (auto code = ParseArgs(inv.args, opts, pos, kUsage, kExamples, &vm)) return *code;
  if (files.empty()) return Error(kExitUsage, "merge needs the shards' JSON reports (see --help)");
  std::vector<ShardReport> reports;
  for (const std::string& f : files) {
    if (auto code = Read(f, &reports)) return *code;
  }
  std::string text;
  try {
    text = MergeShardReports(reports).dump(2) + "\n";
  } catch (const std::exception& e) {
    return Error(kExitUsage, e.what());
  }
  if (output.empty()) {
    std::fputs(text.c_str(), stdout);
    return kExitPass;
  }
  std::string error;
  if (!WriteFileAtomically(output, text, &error)) return Error(kExitInfrastructure, error);
  std::printf("merged %zu shard reports into %s\n", reports.size(), output.c_str());
  return kExitPass;
}

}  // namespace cli
}  // namespace ledgerstress
