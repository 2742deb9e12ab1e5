// The crash nemesis end to end: scenarios/crash.toml on the embedded
// cluster a run starts, and refused on any server the user names.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

const nlohmann::json& Invariant(const nlohmann::json& c, const std::string& name) {
  for (const auto& i : c["invariants"]) {
    if (i["name"] == name) return i;
  }
  static const nlohmann::json none;
  ADD_FAILURE() << name << " was not checked in " << c["name"];
  return none;
}

TEST(Crash, AsynchronousCommitLosesAcknowledgedWritesAndSynchronousCommitDoesNot) {
  Scratch s(Server::kOwn);
  const Result r = RunLs(s, {"run", LEDGERSTRESS_SOURCE_DIR "/scenarios/crash.toml", "--report-dir",
                             (s / "r").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  ASSERT_EQ(j["cases"].size(), 2u);
  const auto& async = j["cases"][0];
  const auto& sync = j["cases"][1];
  for (const auto* c : {&async, &sync}) {
    EXPECT_GE((*c)["faults"]["server_crashes"].get<int>(), 2) << (*c)["faults"].dump();
    EXPECT_GT((*c)["faults"]["longest_outage_s"].get<double>(), 0);
    // The faults it did not ask for read -1, as in every report with a fault.
    EXPECT_EQ((*c)["faults"]["backends_killed"], -1) << (*c)["faults"].dump();
    EXPECT_EQ((*c)["faults"]["replies_lost"], -1) << (*c)["faults"].dump();
  }
  EXPECT_EQ(async["verdict"], "caught");
  const auto& lost = Invariant(async, "acknowledged_writes_durable");
  EXPECT_EQ(lost["status"], "violated");
  EXPECT_GT(lost["violations"].get<int>(), 0) << "asynchronous commit lost no acknowledged write";
  EXPECT_EQ(async["invariants"].size(), 4u);
  EXPECT_EQ(sync["verdict"], "pass");
  const auto& kept = Invariant(sync, "acknowledged_writes_durable");
  EXPECT_EQ(kept["status"], "held");
  EXPECT_EQ(kept["violations"], 0);
  EXPECT_GT(kept["details"]["acknowledged"].get<double>(), 1000);
  EXPECT_NE(r.out.find("statement and deadlock counts not measured"), std::string::npos)
      << "a crash resets the server's statistics: the report must say so";
  EXPECT_TRUE(fs::is_empty(s / "tmp")) << "the crashed cluster's directory was left behind";
  EXPECT_EQ(ProcessesMentioning((s / "tmp").string()), 0);
}

TEST(Crash, AServerTheUserNamesIsNeverCrashed) {
  Scratch s(Server::kOwn);
  // Refused before anything connects: the server need not even exist.
  const Result r = RunLs(s, {"run", LEDGERSTRESS_SOURCE_DIR "/scenarios/crash.toml", "--dsn",
                             "host=/nonexistent user=dba password=hunter2 dbname=prod", "--report-dir",
                             (s / "r").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("crash.toml:38:22: 'server_crash_every' crashes the server"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("never crashes a server it did not start"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << "a password was printed";
  EXPECT_EQ(r.out.find("hunter2"), std::string::npos) << "a password was printed";
}

}  // namespace
}  // namespace ledgerstress::e2e
