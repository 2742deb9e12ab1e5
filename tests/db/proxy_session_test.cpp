// The lost reply proxy's protocol state, without sockets or a server: what
// counts as a COMMIT, framing across arbitrary splits, and what a drop
// swallows. (In db_tests beside the proxy's own tests: filter LostReplyProxy*.)
#include "harness/faults/proxy_session.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/faults/pg_wire.h"

namespace ledgerstress {
namespace {

std::string Int32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string Message(char type, const std::string& payload) {
  return type + Int32(static_cast<std::uint32_t>(payload.size() + 4)) + payload;
}
std::string Query(const std::string& sql) { return Message('Q', sql + std::string(1, '\0')); }
std::string Ready() { return Message('Z', "T"); }
std::string FirstPacket(std::uint32_t code, const std::string& rest) {
  return Int32(static_cast<std::uint32_t>(rest.size() + 8)) + Int32(code) + rest;
}
std::string Startup() { return FirstPacket(196608, std::string("user\0u\0\0", 8)); }

// A session whose COMMITs are dropped when `drop` says so, fed one byte at a
// time so that every message is split across reads.
struct Fixture {
  bool drop = false;
  int commits = 0;
  ProxySession session{[this] {
    ++commits;
    return drop;
  }};
  std::string to_server, to_client;
  void Client(const std::string& bytes) {
    for (char c : bytes) session.FromClient(std::string_view(&c, 1), &to_server);
  }
  void Server(const std::string& bytes) {
    for (char c : bytes) session.FromServer(std::string_view(&c, 1), &to_client);
  }
};

TEST(LostReplyProxySession, CommitIsRecognisedInItsUsualSpellingsOnly) {
  for (const char* yes : {"COMMIT", "commit", " Commit ;\n", "END", "end;", "COMMIT WORK", "commit\ttransaction ;",
                          "END TRANSACTION"}) {
    EXPECT_TRUE(pgwire::IsCommitQuery(yes)) << "'" << yes << "' commits the transaction";
  }
  for (const char* no : {"", ";", "COMMIT PREPARED 'x'", "COMMIT AND CHAIN", "commit;;", "INSERT INTO t VALUES (1); COMMIT",
                         "ROLLBACK", "COMMITTED", "/* c */ COMMIT", "BEGIN"}) {
    EXPECT_FALSE(pgwire::IsCommitQuery(no)) << "'" << no << "' must not be taken for a COMMIT";
  }
}

TEST(LostReplyProxySession, BytesSplitAnywhereAreForwardedUnchanged) {
  Fixture f;
  const std::string client = Startup() + Query("SELECT 1") + Message('S', "") + Query("COMMIT");
  const std::string server = Message('R', Int32(0)) + Ready() + Message('D', std::string(70000, 'x')) + Ready();
  f.Client(client);
  f.Server(server);
  EXPECT_EQ(f.to_server, client) << "the client's bytes must reach the server unchanged";
  EXPECT_EQ(f.to_client, server) << "the server's bytes must reach the client unchanged";
  EXPECT_EQ(f.commits, 1) << "one COMMIT was sent";
  EXPECT_EQ(f.session.state(), ProxySession::State::kRelaying);
}

TEST(LostReplyProxySession, DroppedCommitSwallowsTheAnswerUpToReadyForQuery) {
  Fixture f;
  f.drop = true;
  f.Client(Startup() + Query("SELECT 1") + Query("COMMIT") + Query("SELECT 2"));
  EXPECT_EQ(f.session.state(), ProxySession::State::kDropping);
  EXPECT_EQ(f.to_server, Startup() + Query("SELECT 1") + Query("COMMIT"))
      << "the COMMIT is forwarded, what the client sent after it is not";
  const std::string earlier_answer = Message('C', std::string("SELECT 1\0", 9)) + Ready();
  f.Server(earlier_answer + Message('C', std::string("COMMIT\0", 7)));
  EXPECT_EQ(f.to_client, earlier_answer) << "the answer to the query before the COMMIT still goes through";
  EXPECT_EQ(f.session.state(), ProxySession::State::kDropping) << "the COMMIT's ReadyForQuery has not come yet";
  f.Server(Ready());
  EXPECT_EQ(f.to_client, earlier_answer) << "nothing of the COMMIT's answer may reach the client";
  EXPECT_EQ(f.session.state(), ProxySession::State::kDropped);
}

TEST(LostReplyProxySession, RefusedSslRequestIsFollowedByAnOrdinarySession) {
  Fixture f;
  f.drop = true;
  f.Client(FirstPacket(pgwire::kSslRequestCode, ""));
  f.Server("N");
  f.Client(Startup() + Query("COMMIT"));
  EXPECT_EQ(f.to_client, "N");
  EXPECT_EQ(f.session.state(), ProxySession::State::kDropping) << "the COMMIT after the refused SSLRequest is seen";
}

TEST(LostReplyProxySession, AcceptedSslAndCancelRequestsAreRelayedRawWithoutCommits) {
  for (bool ssl : {true, false}) {
    Fixture f;
    f.drop = true;
    const std::string first = FirstPacket(ssl ? pgwire::kSslRequestCode : pgwire::kCancelRequestCode, Int32(1) + Int32(2));
    f.Client(first);
    f.Server(ssl ? "S" : "");
    f.Client(Query("COMMIT"));
    f.Server("\x16\x03 opaque");
    EXPECT_EQ(f.to_server, first + Query("COMMIT")) << (ssl ? "ssl" : "cancel");
    EXPECT_EQ(f.to_client, std::string(ssl ? "S" : "") + "\x16\x03 opaque") << (ssl ? "ssl" : "cancel");
    EXPECT_EQ(f.commits, 0) << "nothing can be recognised in a raw relay";
  }
}

TEST(LostReplyProxySession, ImpossibleLengthBreaksTheSession) {
  Fixture f;
  f.Client(Startup() + std::string("Q\0\0\0\2", 5));
  EXPECT_EQ(f.session.state(), ProxySession::State::kBroken) << "a length under 4 is not the protocol";
  Fixture g;
  g.Client(Int32(3));
  EXPECT_EQ(g.session.state(), ProxySession::State::kBroken) << "a first packet cannot be 3 bytes long";
}

}  // namespace
}  // namespace ledgerstress
