// The matching of a shared driver process's replies to the calls in
// flight, without a process: out of order is fine; an id not asked, an id
// answered twice, a line that is not the protocol are each reported; a
// process that ends closes every call in flight with one message.
#include "harness/drivers/reply_dispatcher.h"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
using Wait = ReplyDispatcher::Wait;

std::string Ok(std::int64_t id) { return "{\"type\":\"ok\",\"id\":" + std::to_string(id) + "}"; }

Wait AwaitNow(ReplyDispatcher& d, const ReplyDispatcher::Ticket& t, nlohmann::json* reply, std::string* problem) {
  return d.Await(t, Clock::now() + std::chrono::milliseconds(20), nullptr, reply, problem);
}

TEST(ReplyDispatcher, RepliesInAnyOrderReachTheCallTheyAnswer) {
  ReplyDispatcher d;
  d.Open();
  const auto a = d.Expect(), b = d.Expect(), c = d.Expect();
  ASSERT_NE(a.id, b.id);
  EXPECT_EQ(d.in_flight(), 3u);
  EXPECT_EQ(d.Deliver("{\"type\":\"fail\",\"id\":" + std::to_string(c.id) + "}"), "");
  EXPECT_EQ(d.Deliver(Ok(a.id)), "");
  EXPECT_EQ(d.Deliver("{\"type\":\"info\",\"id\":" + std::to_string(b.id) + "}"), "");
  nlohmann::json reply;
  std::string problem;
  ASSERT_EQ(AwaitNow(d, b, &reply, &problem), Wait::kReply) << problem;
  EXPECT_EQ(reply["type"], "info");
  ASSERT_EQ(AwaitNow(d, a, &reply, &problem), Wait::kReply);
  EXPECT_EQ(reply["type"], "ok");
  ASSERT_EQ(AwaitNow(d, c, &reply, &problem), Wait::kReply);
  EXPECT_EQ(reply["type"], "fail");
  EXPECT_EQ(d.in_flight(), 0u);
}

TEST(ReplyDispatcher, AWaitingCallWakesWhenItsReplyComesFromAnotherThread) {
  ReplyDispatcher d;
  d.Open();
  const auto t = d.Expect();
  std::thread reader([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    EXPECT_EQ(d.Deliver(Ok(t.id)), "");
  });
  nlohmann::json reply;
  std::string problem;
  EXPECT_EQ(d.Await(t, Clock::now() + std::chrono::seconds(5), nullptr, &reply, &problem), Wait::kReply);
  reader.join();
}

TEST(ReplyDispatcher, AnIdNotAskedIsAMisbehaviourNamingTheCallsInFlight) {
  ReplyDispatcher d;
  d.Open();
  const auto a = d.Expect();
  d.Expect();
  EXPECT_EQ(d.Deliver(Ok(a.id + 1000)), "answered id 1001, which it was not asked (calls 1, 2 in flight)");
  EXPECT_EQ(d.Deliver(Ok(0)), "answered id 0, which it was not asked (calls 1, 2 in flight)");
  EXPECT_EQ(d.Deliver("{\"type\":\"ok\"}"), "answered without an id (calls 1, 2 in flight)");
  EXPECT_EQ(d.Deliver("{\"type\":\"ok\",\"id\":\"1\"}"), "answered without an id (calls 1, 2 in flight)");
}

TEST(ReplyDispatcher, AnIdAnsweredTwiceIsAMisbehaviourWhetherOrNotTheFirstWasCollected) {
  ReplyDispatcher d;
  d.Open();
  const auto a = d.Expect(), b = d.Expect();
  EXPECT_EQ(d.Deliver(Ok(a.id)), "");
  EXPECT_EQ(d.Deliver(Ok(a.id)), "answered id 1 twice (call 2 in flight)");
  nlohmann::json reply;
  std::string problem;
  ASSERT_EQ(AwaitNow(d, a, &reply, &problem), Wait::kReply);
  EXPECT_EQ(d.Deliver(Ok(a.id)), "answered id 1 twice (call 2 in flight)");
  EXPECT_EQ(d.Deliver(Ok(b.id)), "");
}

TEST(ReplyDispatcher, LinesOutsideTheProtocolAreMisbehaviours) {
  ReplyDispatcher d;
  d.Open();
  const auto a = d.Expect();
  EXPECT_EQ(d.Deliver("this is not json"), "wrote a line that is not a protocol message: this is not json");
  EXPECT_EQ(d.Deliver("{\"id\":1}"), "wrote a line that is not a protocol message: {\"id\":1}");
  EXPECT_EQ(d.Deliver("{\"type\":\"maybe\",\"id\":1}"), "answered with type 'maybe' (expected ok, fail or info)");
  EXPECT_EQ(d.Deliver("{\"type\":\"ok\",\"id\":1,\"effect\":\"no\"}"),
            "answered ok with an \"effect\" that is not true or false");
  EXPECT_EQ(d.Deliver(Ok(a.id)), "") << "none of them answered the call";
}

TEST(ReplyDispatcher, ClosingEndsEveryCallInFlightWithOneMessageAndRefusesNewOnesUntilReopened) {
  ReplyDispatcher d;
  d.Open();
  const auto a = d.Expect(), b = d.Expect(), answered = d.Expect();
  EXPECT_EQ(d.Deliver(Ok(answered.id)), "");
  d.Close("driver 'x' (workers 0-3) closed its stdout (exit 3)");
  d.Close("a second problem is not the cause");
  nlohmann::json reply;
  std::string problem;
  for (const auto& t : {a, b}) {
    ASSERT_EQ(AwaitNow(d, t, &reply, &problem), Wait::kClosed);
    EXPECT_EQ(problem, "driver 'x' (workers 0-3) closed its stdout (exit 3)");
  }
  EXPECT_EQ(AwaitNow(d, answered, &reply, &problem), Wait::kReply) << "answered before the process ended";
  const auto refused = d.Expect();
  EXPECT_EQ(refused.id, 0);
  EXPECT_FALSE(d.IsCurrent(refused));
  EXPECT_EQ(AwaitNow(d, refused, &reply, &problem), Wait::kClosed);
  EXPECT_THAT(problem, HasSubstr("closed its stdout"));
  d.Open();
  const auto c = d.Expect();
  EXPECT_GT(c.id, answered.id) << "ids are never reused across processes";
  EXPECT_TRUE(d.IsCurrent(c));
  EXPECT_FALSE(d.IsCurrent(a));
  EXPECT_EQ(d.Deliver(Ok(a.id)), "answered id 1, which it was not asked (call 4 in flight)")
      << "the new process was never sent the old process's calls";
}

TEST(ReplyDispatcher, ATimedOutCallStaysInFlightUntilTheProcessIsClosed) {
  ReplyDispatcher d;
  d.Open();
  const auto t = d.Expect();
  nlohmann::json reply;
  std::string problem;
  EXPECT_EQ(AwaitNow(d, t, &reply, &problem), Wait::kTimeout);
  EXPECT_EQ(d.Deliver(Ok(t.id)), "") << "a late reply is still its own";
  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    d.Close("did not answer call 1 within call_timeout (killed by the harness)");
  });
  EXPECT_EQ(d.AwaitClose(t), "did not answer call 1 within call_timeout (killed by the harness)")
      << "after a timeout the call is in doubt, whatever came meanwhile";
  closer.join();
  EXPECT_EQ(d.in_flight(), 0u);
}

TEST(ReplyDispatcher, AStopRequestEndsTheWait) {
  ReplyDispatcher d;
  d.Open();
  const auto t = d.Expect();
  nlohmann::json reply;
  std::string problem;
  EXPECT_EQ(d.Await(t, Clock::now() + std::chrono::seconds(5), [] { return true; }, &reply, &problem), Wait::kStopped);
  EXPECT_EQ(d.Await(t, Clock::now() + std::chrono::milliseconds(10), [] { return false; }, &reply, &problem),
            Wait::kTimeout);
}

}  // namespace
}  // namespace ledgerstress
