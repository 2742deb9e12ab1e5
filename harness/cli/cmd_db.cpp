// `ledgerstress db start|stop|status`: one embedded cluster kept up across
// runs, found again by `run` through its directory.
#include <cstdio>

#include "harness/cli/common.h"
#include "harness/cli/options.h"
#include "harness/errors.h"
#include "harness/pg/embedded_cluster.h"

namespace po = boost::program_options;

namespace ledgerstress {
namespace cli {

int DbCommand(const Invocation& inv) {
  po::options_description opts("options");
  std::string action, dir;
  int max_connections = 250;
  opts.add_options()("action", po::value(&action), "start | stop | status")(
      "dir", po::value(&dir)->default_value(PersistentClusterDir()), "cluster directory")(
      "max-connections", po::value(&max_connections)->default_value(250), "server max_connections (start)")(
      "durable", po::bool_switch(), "fsync and full_page_writes on (start): safe against an OS crash, slower");
  po::positional_options_description pos;
  pos.add("action", 1);
  po::variables_map vm;
  if (auto code = ParseArgs(inv.args, opts, pos,
                            "usage: ledgerstress db start|stop|status [options]\n\n"
                            "Keeps one embedded PostgreSQL cluster up so that repeated runs skip the\n"
                            "start-up. 'ledgerstress run' uses it automatically when no --dsn,\n"
                            "DATABASE_URL or PG* variable names another server, and not with\n"
                            "--embedded.",
                            "  ledgerstress db start && ledgerstress run wallet_race\n"
                            "  ledgerstress db stop\n",
                            &vm)) {
    return *code;
  }
  if (action == "start") {
    if (auto running = EmbeddedCluster::Attach(dir)) {
      std::printf("already running: %s\n", running->Dsn().c_str());
      return kExitPass;
    }
    EmbeddedCluster::Options o;
    o.dir = dir;
    o.max_connections = max_connections;
    o.durable = vm["durable"].as<bool>();
    auto cluster = EmbeddedCluster::Start(o);
    cluster->Detach();
    std::printf("started in %.2fs: %s\n", cluster->startup_seconds(), cluster->Dsn().c_str());
    return kExitPass;
  }
  if (action == "stop") {
    auto running = EmbeddedCluster::Attach(dir);
    if (!running) {
      std::printf("not running (%s)\n", dir.c_str());
      return kExitPass;
    }
    running->Destroy();
    std::printf("stopped and removed %s\n", dir.c_str());
    return kExitPass;
  }
  if (action == "status") {
    if (auto running = EmbeddedCluster::Attach(dir)) {
      std::printf("running: %s\n", running->Dsn().c_str());
      return kExitPass;
    }
    std::printf("not running (%s)\n", dir.c_str());
    return kExitGateFailed;
  }
  return Error(kExitUsage, "db needs start, stop or status (see --help)");
}

}  // namespace cli
}  // namespace ledgerstress
