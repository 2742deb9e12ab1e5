// The built-in pledge's arguments under pledges_into_closing: that share of
// the pledges aims at a project being closed, the rest at the background
// project; none at a closing project when the share is 0 or nothing closes.
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "harness/operations/call.h"
#include "harness/operations/operation.h"

namespace ledgerstress {
namespace {

// How many of 2000 drawn pledges aim at each project.
std::map<std::int64_t, int> Draw(const Targets& t, std::uint64_t seed) {
  const OperationDef* def = BuiltinOperations().Find("pledge_funds");
  std::mt19937_64 rng(seed);
  settlement::NoopObserver obs;
  settlement::RetryPolicy retry;
  const std::string key = "k";
  CallContext ctx{nullptr, nullptr, obs, rng, t, 0, key, retry, 0, {}};
  std::map<std::int64_t, int> by_project;
  for (int i = 0; i < 2000; ++i) {
    CallArgs a;
    def->draw(ctx, &a);
    ++by_project[a.project_id];
    EXPECT_GE(a.user_id, t.donor_first_user);
    EXPECT_LT(a.user_id, t.donor_first_user + t.donors);
    EXPECT_GE(a.amount, 100);
    EXPECT_LE(a.amount, 2000);
  }
  return by_project;
}

Targets Closing(double share) {
  Targets t;
  t.donor_first_user = 100;
  t.donors = 10;
  t.background_project = 1;
  t.closing_projects = {7, 8};
  t.into_closing = share;
  return t;
}

TEST(DrawPledge, HalfThePledgesAimAtTheProjectsBeingClosed) {
  std::map<std::int64_t, int> n = Draw(Closing(0.5), 42);
  EXPECT_EQ(n[1] + n[7] + n[8], 2000);
  EXPECT_NEAR(n[7] + n[8], 1000, 150) << "about half into closing projects";
  EXPECT_GT(n[7], 0) << "each closing project gets some";
  EXPECT_GT(n[8], 0);
}

TEST(DrawPledge, NoShareOrNothingClosingMeansTheBackgroundProjectOnly) {
  EXPECT_EQ(Draw(Closing(0), 42)[1], 2000);
  Targets none = Closing(1);
  none.closing_projects.clear();
  EXPECT_EQ(Draw(none, 42)[1], 2000) << "nothing is closing: the background project";
  EXPECT_EQ(Draw(Closing(1), 42)[1], 0) << "a share of 1: every pledge into a closing project";
}

}  // namespace
}  // namespace ledgerstress
