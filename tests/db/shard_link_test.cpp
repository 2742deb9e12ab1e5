// ShardLink::AwaitParts, with three links of one run in this process: a
// part posted is its body; a shard that ended the run before posting its
// part, and one whose process is gone, are lost, each with why.
#include <chrono>
#include <memory>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "harness/engine/shard_link.h"
#include "harness/interrupt.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

class ShardLinkParts : public ::testing::Test {
 protected:
  std::unique_ptr<ShardLink> Join(int index) {
    ShardSpec spec;
    spec.index = index;
    spec.count = 3;
    spec.timeout = std::chrono::milliseconds(5000);
    return std::make_unique<ShardLink>(testing::ClusterTarget(), run_, spec, "same cases", &stop_);
  }

  std::string run_ = "dbtest_parts_" + std::to_string(getpid());
  StopSource stop_;
};

TEST_F(ShardLinkParts, APostedPartIsItsBodyAndAShardThatEndedTheRunOrIsGoneIsLostWithWhy) {
  auto zero = Join(0);
  auto one = Join(1);
  auto two = Join(2);
  one->Post("case/part", "one's part");
  two->Abort("its workers could not connect");
  std::vector<ShardLink::Part> parts = zero->AwaitParts("case/part", {1, 2});
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_TRUE(parts[0].posted);
  EXPECT_EQ(parts[0].body, "one's part");
  EXPECT_TRUE(parts[0].lost.empty()) << parts[0].lost;
  EXPECT_FALSE(parts[1].posted);
  EXPECT_NE(parts[1].lost.find("shard 2 (host "), std::string::npos) << parts[1].lost;
  EXPECT_NE(parts[1].lost.find("ended the run: its workers could not connect"), std::string::npos) << parts[1].lost;

  one.reset();  // its link closes: its process is gone
  parts = zero->AwaitParts("next/part", {1});
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_FALSE(parts[0].posted);
  EXPECT_NE(parts[0].lost.find("shard 1 (host "), std::string::npos) << parts[0].lost;
  EXPECT_NE(parts[0].lost.find("its process is gone"), std::string::npos) << parts[0].lost;
  two.reset();
  zero->Drop({});
}

}  // namespace
}  // namespace ledgerstress
