#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "harness/engine/engine.h"
#include "harness/pg/embedded_cluster.h"
#include "settlement/connection.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace testing {
namespace {

std::unique_ptr<EmbeddedCluster> g_cluster;
Target g_target;

class ClusterEnvironment : public ::testing::Environment {
 public:
  // Under ctest, the cluster the fixture started (tests/cluster_fixture.sh)
  // in $LEDGERSTRESS_TEST_DB_DIR, left running; run by hand, one of its own.
  void SetUp() override {
    if (const char* dir = std::getenv("LEDGERSTRESS_TEST_DB_DIR"); dir && *dir) {
      g_cluster = EmbeddedCluster::Attach(dir);
      if (!g_cluster) throw std::runtime_error(std::string("no cluster is running in $LEDGERSTRESS_TEST_DB_DIR=") + dir);
      g_cluster->Detach();
    } else {
      EmbeddedCluster::Options o;
      o.max_connections = 150;
      g_cluster = EmbeddedCluster::Start(o);
    }
    g_target = Target{g_cluster->Dsn(), "embedded cluster"};
  }
  void TearDown() override { g_cluster.reset(); }
};

}  // namespace

const Target& ClusterTarget() { return g_target; }

std::string FreshSchemaName() {
  static std::atomic<int> n{0};
  return "ls_test_" + std::to_string(getpid()) + "_" + std::to_string(n.fetch_add(1));
}

const std::string& TestRunId() {
  static const std::string id = "test-" + std::to_string(getpid());
  return id;
}

CaseResult RunCase(const CaseSpec& spec) { return RunCase(spec, g_target); }

CaseResult RunCase(const CaseSpec& spec, const Target& target) {
  StopSource stop;
  CaseRunner runner(CaseRunner::Options{target, TestRunId(), false, ""}, &stop);
  CaseProgress progress;
  return runner.Run(spec, FreshSchemaName(), &progress);
}

void ForgetServerStatements() {
  pqxx::connection c(g_target.dsn);
  pqxx::nontransaction(c).exec("SELECT pg_stat_statements_reset()");
}

std::unique_ptr<settlement::Connection> ConnectToSchema(const std::string& schema) {
  return Connect(g_target, SessionSettings::Named("ledgerstress/test", schema));
}

}  // namespace testing
}  // namespace ledgerstress

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new ledgerstress::testing::ClusterEnvironment);
  return RUN_ALL_TESTS();
}
