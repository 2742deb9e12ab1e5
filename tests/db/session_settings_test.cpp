// A case's session.<setting> values reach the sessions the harness opens.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/pg/target.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

TEST(SessionSettings, ExtraSettingsAreSetOnTheSessionAndOthersAreLeftAlone) {
  SessionSettings s = SessionSettings::Named("ledgerstress/test/session");
  s.extra = {{"synchronous_commit", "off"}, {"default_transaction_isolation", "repeatable read"}};
  auto conn = Connect(testing::ClusterTarget(), s);
  pqxx::nontransaction tx(*conn);
  EXPECT_EQ(tx.exec1("SHOW synchronous_commit")[0].as<std::string>(), "off");
  EXPECT_EQ(tx.exec1("SHOW default_transaction_isolation")[0].as<std::string>(), "repeatable read");
  auto plain = Connect(testing::ClusterTarget(), SessionSettings::Named("ledgerstress/test/plain"));
  pqxx::nontransaction other(*plain);
  EXPECT_EQ(other.exec1("SHOW synchronous_commit")[0].as<std::string>(), "on") << "only the sessions asked for";
}

}  // namespace
}  // namespace ledgerstress
