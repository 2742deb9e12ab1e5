#ifndef LEDGERSTRESS_TESTS_DB_TEST_CLUSTER_H_
#define LEDGERSTRESS_TESTS_DB_TEST_CLUSTER_H_

#include <memory>
#include <string>

#include <pqxx/connection>

#include "harness/pg/target.h"
#include "harness/scenario/scenario.h"
#include "model/run_result.h"
#include "settlement/connection.h"

namespace ledgerstress {
namespace testing {

// The embedded cluster the db_tests binary starts once for all its tests
// (a real PostgreSQL, removed at exit).
const Target& ClusterTarget();

// A schema name no other test uses.
std::string FreshSchemaName();

// The run id of this test process ("test-<pid>"): db tests run two at a
// time on the shared cluster, and a run's backend killer and idle-session
// count match its sessions by run id, so no two processes share one.
const std::string& TestRunId();

// Runs one case through the real engine on the cluster, in a fresh schema
// that is dropped afterwards.
CaseResult RunCase(const CaseSpec& spec);
// The same against another server or role (`target`).
CaseResult RunCase(const CaseSpec& spec, const Target& target);

// Empties the cluster's pg_stat_statements, for a test that counts the
// server's statements: the suite's many schemas fill it past
// pg_stat_statements.max, and an eviction during the count makes it
// missing. Only from a test that runs alone (RUN_SERIAL).
void ForgetServerStatements();

// A connection whose search_path is `schema`.
std::unique_ptr<settlement::Connection> ConnectToSchema(const std::string& schema);

}  // namespace testing
}  // namespace ledgerstress

#endif  // LEDGERSTRESS_TESTS_DB_TEST_CLUSTER_H_
