// The lost reply proxy against the real cluster: unarmed it changes nothing;
// armed, a COMMIT is applied (or fails) on the server while the client sees
// its connection drop; cancel requests go through; destroying it closes
// every connection and leaves no file or thread behind.
#include "harness/faults/lost_reply_proxy.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <pqxx/pqxx>

#include "harness/pg/target.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

using Options = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

Options ParseDsn(const std::string& dsn) {
  char* error = nullptr;
  Options o(PQconninfoParse(dsn.c_str(), &error), &PQconninfoFree);
  if (!o) throw std::runtime_error("unparsable DSN: " + std::string(error != nullptr ? error : "out of memory"));
  return o;
}

std::string Option(const Options& o, const std::string& key, const std::string& otherwise) {
  for (const PQconninfoOption* opt = o.get(); opt->keyword != nullptr; ++opt) {
    if (key == opt->keyword && opt->val != nullptr && *opt->val != '\0') return opt->val;
  }
  return otherwise;
}

std::string Quoted(const std::string& value) {
  std::string out = "'";
  for (char c : value) out += (c == '\'' || c == '\\') ? std::string{'\\', c} : std::string{c};
  return out + "'";
}

// A proxy in front of the test cluster (a unix socket directory).
std::unique_ptr<LostReplyProxy> ProxyToCluster() {
  const Options o = ParseDsn(testing::ClusterTarget().dsn);
  return std::make_unique<LostReplyProxy>(Option(o, "host", "/tmp"), std::stoi(Option(o, "port", "5432")));
}

// The cluster's target with host and port pointing at `proxy`.
Target Through(const LostReplyProxy& proxy) {
  const Options o = ParseDsn(testing::ClusterTarget().dsn);
  std::string dsn;
  for (const PQconninfoOption* opt = o.get(); opt->keyword != nullptr; ++opt) {
    const std::string key = opt->keyword;
    if (opt->val == nullptr || key == "host" || key == "hostaddr" || key == "port") continue;
    dsn += key + "=" + Quoted(opt->val) + " ";
  }
  dsn += "host=" + Quoted(proxy.host()) + " port=" + std::to_string(proxy.port());
  return Target{dsn, "lost reply proxy"};
}

int ThreadCount() {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) n += entry.exists() ? 1 : 0;
  return n;
}

class LostReplyProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::FreshSchemaName();
    auto c = testing::ConnectToSchema(schema_);
    pqxx::nontransaction tx(*c);
    tx.exec("CREATE SCHEMA " + tx.quote_name(schema_));
    tx.exec("CREATE TABLE t (id bigint PRIMARY KEY, note text)");
    tx.exec("CREATE TABLE d (k int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
    proxy_ = ProxyToCluster();
  }
  void TearDown() override {
    proxy_.reset();
    auto c = testing::ConnectToSchema(schema_);
    pqxx::nontransaction tx(*c);
    tx.exec("DROP SCHEMA " + tx.quote_name(schema_) + " CASCADE");
  }
  std::unique_ptr<settlement::Connection> ConnectThroughProxy(const std::string& name = "ledgerstress/test/proxy") {
    return Connect(Through(*proxy_), SessionSettings::Named(name, schema_));
  }
  // Asked directly of the server, not through the proxy.
  std::int64_t CountDirectly(const std::string& sql) {
    auto c = testing::ConnectToSchema(schema_);
    pqxx::nontransaction tx(*c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }

  std::string schema_;
  std::unique_ptr<LostReplyProxy> proxy_;
};

TEST_F(LostReplyProxyTest, UnarmedTrafficPassesThroughUnchanged) {
  auto c = ConnectThroughProxy();
  c->prepare("ins", "INSERT INTO t VALUES ($1, $2)");
  const std::uint64_t commits_before = proxy_->commits_seen();
  for (int i = 0; i < 20; ++i) {
    pqxx::work w(*c);
    w.exec("INSERT INTO t VALUES (" + std::to_string(i) + ", 'simple')");
    w.exec_prepared("ins", 1000 + i, "prepared");
    w.commit();
  }
  pqxx::nontransaction tx(*c);
  for (const char* commit : {"\n  Commit ;\n", "end"}) {
    tx.exec("BEGIN");
    tx.exec("INSERT INTO t VALUES (" + std::to_string(2000 + std::string(commit).size()) + ", 'by hand')");
    tx.exec(commit);
  }
  // Both directions carry messages far larger than one read (64 KiB).
  const std::string big(300 * 1000, 'y');
  tx.exec("INSERT INTO t VALUES (3000, '" + big + "')");
  EXPECT_EQ(tx.exec1("SELECT note FROM t WHERE id = 3000")[0].as<std::string>(), big)
      << "a 300 kB value must come back as it went";
  const pqxx::result rows = tx.exec("SELECT i, repeat('x', 1000) FROM generate_series(1, 2000) i ORDER BY i");
  ASSERT_EQ(rows.size(), 2000u) << "a 2 MB result must arrive whole";
  for (const auto& row : rows) {
    ASSERT_EQ(row[0].as<int>(), row.num() + 1) << "rows out of order or lost";
    ASSERT_EQ(row[1].size(), 1000u) << "row " << row.num() << " damaged";
  }
  EXPECT_EQ(proxy_->dropped(), 0u) << "an unarmed proxy drops nothing";
  EXPECT_EQ(proxy_->commits_seen() - commits_before, 22u) << "20 pqxx::work commits and 2 by hand";
  EXPECT_EQ(CountDirectly("SELECT count(*) FROM t"), 43) << "every committed row must be on the server";
}

TEST_F(LostReplyProxyTest, ArmedCommitIsAppliedButItsReplyIsLost) {
  auto c = ConnectThroughProxy();
  proxy_->Arm();
  proxy_->Arm();  // still one drop
  pqxx::work w(*c);
  w.exec("INSERT INTO t VALUES (1, 'committed, reply lost')");
  EXPECT_THROW(w.commit(), pqxx::in_doubt_error) << "a COMMIT without a reply is in doubt for the client";
  EXPECT_EQ(CountDirectly("SELECT count(*) FROM t WHERE id = 1"), 1) << "the server applied the COMMIT";
  EXPECT_EQ(proxy_->dropped(), 1u);

  auto again = ConnectThroughProxy();
  pqxx::work w2(*again);
  w2.exec("INSERT INTO t VALUES (2, 'after the drop')");
  EXPECT_NO_THROW(w2.commit()) << "one Arm drops one reply, however often it was called";
  EXPECT_EQ(CountDirectly("SELECT count(*) FROM t WHERE id = 2"), 1);
  EXPECT_EQ(proxy_->dropped(), 1u);
}

TEST_F(LostReplyProxyTest, ArmedCommitThatFailsOnTheServerIsLostTooAndNothingIsApplied) {
  CountDirectly("WITH i AS (INSERT INTO d VALUES (1) RETURNING k) SELECT count(*) FROM i");
  auto c = ConnectThroughProxy();
  pqxx::work w(*c);
  w.exec("INSERT INTO d VALUES (1)");  // the unique check is deferred to COMMIT
  w.exec("INSERT INTO t VALUES (1, 'rolled back at commit')");
  proxy_->Arm();
  EXPECT_THROW(w.commit(), pqxx::in_doubt_error)
      << "the client must not learn of the failure (23505) either: its reply is gone";
  EXPECT_EQ(CountDirectly("SELECT count(*) FROM t"), 0) << "the COMMIT failed on the server";
  EXPECT_EQ(proxy_->dropped(), 1u);
}

TEST_F(LostReplyProxyTest, ArmedCommitOfAnAbortedTransactionIsLostToo) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(Through(*proxy_).dsn.c_str()), &PQfinish);
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  auto run = [&](const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn.get(), sql.c_str()), &PQclear);
    return std::make_pair(PQresultStatus(r.get()), std::string(PQcmdStatus(r.get())));
  };
  const std::string table = schema_ + ".t";
  for (bool armed : {false, true}) {
    run("BEGIN");
    run("INSERT INTO " + table + " VALUES (1, 'aborted')");
    run("SELECT 1/0");
    if (armed) proxy_->Arm();
    const auto [status, tag] = run("COMMIT");
    if (!armed) {
      EXPECT_EQ(tag, "ROLLBACK") << "the server answers COMMIT of an aborted transaction with ROLLBACK";
      continue;
    }
    EXPECT_EQ(status, PGRES_FATAL_ERROR) << "the ROLLBACK reply must not reach the client";
    EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD) << "the client's connection is closed";
  }
  EXPECT_EQ(CountDirectly("SELECT count(*) FROM t"), 0);
  EXPECT_EQ(proxy_->dropped(), 1u);
}

TEST_F(LostReplyProxyTest, DestroyingTheProxyClosesItsConnectionsAndLeavesNothingBehind) {
  const int threads_before = ThreadCount();
  auto proxy = ProxyToCluster();
  EXPECT_EQ(ThreadCount(), threads_before + 1) << "the proxy runs one thread";
  auto c = Connect(Through(*proxy), SessionSettings::Named("ledgerstress/test/proxy", schema_));
  const std::string dir = proxy->host();
  proxy.reset();
  EXPECT_EQ(ThreadCount(), threads_before) << "the proxy's thread must be gone";
  struct stat st;
  EXPECT_NE(::stat(dir.c_str(), &st), 0) << dir << " must be removed with its socket";
  // libpqxx may notice the closed socket as soon as a transaction starts.
  EXPECT_THROW(pqxx::nontransaction(*c).exec("SELECT 1"), pqxx::broken_connection)
      << "a client of a destroyed proxy is cut off";
}

TEST_F(LostReplyProxyTest, CancelRequestThroughTheProxyCancelsTheQuery) {
  const std::string name = "ledgerstress/test/proxy-cancel/" + schema_;
  auto c = ConnectThroughProxy(name);
  std::unique_ptr<PGcancel, decltype(&PQfreeCancel)> cancel(PQgetCancel(c->handle()), &PQfreeCancel);
  ASSERT_NE(cancel, nullptr);
  bool sent = false;
  std::thread canceller([&] {
    auto direct = testing::ConnectToSchema(schema_);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(4);
    while (std::chrono::steady_clock::now() < give_up) {
      pqxx::nontransaction tx(*direct);
      const std::string running = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND application_name = ";
      if (tx.exec1(running + tx.quote(name))[0].as<int>() > 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    char error[256];
    sent = PQcancel(cancel.get(), error, sizeof(error)) == 1;
  });
  const auto start = std::chrono::steady_clock::now();
  try {
    pqxx::nontransaction(*c).exec("SELECT pg_sleep(5)");
    ADD_FAILURE() << "pg_sleep(5) was not cancelled";
  } catch (const pqxx::sql_error& e) {
    EXPECT_EQ(e.sqlstate(), "57014") << "query_canceled expected, got: " << e.what();
  }
  canceller.join();
  EXPECT_TRUE(sent) << "PQcancel through the proxy failed";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4)) << "the cancel came too late";
  EXPECT_NO_THROW(pqxx::nontransaction(*c).exec("SELECT 1")) << "a cancelled query leaves its session usable";
}

TEST_F(LostReplyProxyTest, AClientThatDoesNotReadDoesNotStallTheOthers) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> idle(PQconnectdb(Through(*proxy_).dsn.c_str()), &PQfinish);
  ASSERT_EQ(PQstatus(idle.get()), CONNECTION_OK) << PQerrorMessage(idle.get());
  // 20 MB the client never reads: the proxy must stop reading its server, not block.
  ASSERT_EQ(PQsendQuery(idle.get(), "SELECT repeat('x', 1000) FROM generate_series(1, 20000)"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto start = std::chrono::steady_clock::now();
  auto c = ConnectThroughProxy();
  EXPECT_EQ(pqxx::nontransaction(*c).exec1("SELECT 42")[0].as<int>(), 42);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << "another client was held up";
}

// A TCP port nothing listens on (the cluster itself has no TCP listener).
int ClosedTcpPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

TEST(LostReplyProxy, UnreachableUpstreamClosesTheClientsConnection) {
  for (const auto& [host, port] : {std::make_pair(std::string("/nonexistent-ledgerstress-dir"), 5432),
                                   std::make_pair(std::string("localhost"), ClosedTcpPort())}) {
    LostReplyProxy proxy(host, port);
    const std::string dsn = "host=" + proxy.host() + " port=" + std::to_string(proxy.port()) + " user=postgres";
    EXPECT_THROW(settlement::Connection c(dsn), pqxx::broken_connection) << "no server at " << host << ":" << port;
  }
}

TEST(LostReplyProxy, ConstructorThrowsWhenItHasNowhereToListen) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("TMPDIR", "/nonexistent-ledgerstress-dir", 1);
  EXPECT_THROW(LostReplyProxy("/tmp", 5432), std::runtime_error) << "no directory to listen in";
  if (old != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
}

}  // namespace
}  // namespace ledgerstress
