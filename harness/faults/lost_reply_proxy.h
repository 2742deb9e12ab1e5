#ifndef LEDGERSTRESS_HARNESS_FAULTS_LOST_REPLY_PROXY_H_
#define LEDGERSTRESS_HARNESS_FAULTS_LOST_REPLY_PROXY_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "harness/faults/proxy_socket.h"

namespace ledgerstress {

// A fault injector on our side of the wire: a PostgreSQL protocol proxy that
// makes a COMMIT the server applies lose its reply. Clients connect to the
// proxy instead of the server; when armed, the next COMMIT is forwarded to
// the server unchanged, the server's answer is read to its end (so the
// COMMIT is finished: applied if it succeeded) but not forwarded, and both
// connections are closed. The client sees its connection drop during COMMIT
// (libpq: "server closed the connection unexpectedly", a PGRES_FATAL_ERROR
// with CONNECTION_BAD; libpqxx: pqxx::in_doubt_error from a transaction's
// commit()), so its "in doubt" handling runs on a call that in fact
// committed -- or, when the COMMIT failed on the server, that in fact did
// not: the client cannot tell, which is the point. Works against any server.
//
// What is a COMMIT: a simple-protocol Query ('Q') whose whole text, ignoring
// case, surrounding whitespace and one trailing ';', is COMMIT, END, COMMIT
// WORK, COMMIT TRANSACTION, END WORK or END TRANSACTION (libpqxx and libpq
// users send "COMMIT" so). Not recognised: a COMMIT sent through the
// extended protocol (Parse/Bind/Execute, rare), inside a multi-statement
// Query ("INSERT ...; COMMIT"), with comments, COMMIT AND CHAIN, COMMIT
// PREPARED.
//
// Everything not dropped is forwarded byte for byte, in order. After a drop,
// what the client sent after its COMMIT is discarded, and the answers the
// server still owed to requests sent before it (a pipelining client) are
// forwarded before the connections close.
//
// Only non-encrypted sessions are understood: a session whose SSLRequest or
// GSSENCRequest the server accepts is carried raw, and no COMMIT in it is
// ever recognised (libpq never asks for SSL over a unix socket; over TCP
// give the client sslmode=disable or a server with ssl=off). A
// CancelRequest is forwarded on its own upstream connection, then relayed.
//
// Threads: one background thread, started by the constructor and stopped
// by the destructor, serves every connection through non-blocking sockets
// and one poll loop; a slow reader holds up only its own connection pair
// (each direction buffers at most about 1 MiB before the proxy stops
// reading its sender). It never throws: an error closes the pair it
// happened on. Arm(), dropped() and commits_seen() may be called from any
// thread at any time; the constructor and destructor from the owner's.
// Neither copyable nor movable.
class LostReplyProxy {
 public:
  // How long the proxy waits, at most, for the upstream connection to open,
  // for the server's answer to a dropped COMMIT, and to flush what is
  // pending to a connection that is ending. When it runs out the pair is
  // closed anyway.
  static constexpr std::chrono::seconds kPatience{10};

  // `upstream_host`, `upstream_port`: where the real server listens, as
  // libpq's host and port: a unix socket directory (host starting with '/',
  // socket <dir>/.s.PGSQL.<port>) or a TCP host name or address (resolved
  // now, with getaddrinfo; each address is tried in turn on every connect).
  // Listens on a unix socket in a fresh private directory (mkdtemp under
  // $TMPDIR or /tmp) and starts the thread. Throws std::runtime_error,
  // saying why, when the host cannot be resolved, a socket path is too long
  // for a unix socket, or the proxy cannot listen; nothing is left behind
  // then.
  LostReplyProxy(const std::string& upstream_host, int upstream_port);

  // Stops the thread, closes every connection (a client connected through
  // the proxy sees its connection closed: libpqxx throws
  // pqxx::broken_connection on its next statement), removes the socket file
  // and its directory.
  ~LostReplyProxy();

  LostReplyProxy(const LostReplyProxy&) = delete;
  LostReplyProxy& operator=(const LostReplyProxy&) = delete;

  // Where clients connect: libpq's host=<host()> port=<port()> (the
  // directory and the number in the socket file's name; no TCP port is
  // opened). Keep the other connection options (user, dbname, password).
  std::string host() const { return dir_; }
  int port() const;

  // The next COMMIT any client sends through the proxy after this call
  // (sent: the proxy has read its last byte) has its reply dropped. Arming
  // again before that COMMIT still drops one reply. Thread-safe.
  void Arm();

  // Replies dropped so far (counted when the COMMIT is forwarded, before the
  // client's connection closes). Thread-safe.
  std::uint64_t dropped() const { return dropped_.load(); }
  // COMMITs seen so far, dropped or not. Thread-safe.
  std::uint64_t commits_seen() const { return commits_seen_.load(); }

 private:
  struct Pair;
  using Clock = std::chrono::steady_clock;

  std::string SocketPath() const;
  void Run() noexcept;
  void AcceptAll();
  bool ConnectUpstream(Pair& p, std::size_t first_address);
  bool Service(Pair& p, short client_events, short upstream_events);
  bool ReadClient(Pair& p);
  bool ReadUpstream(Pair& p);
  bool Flush(Pair& p);
  bool CheckProgress(Pair& p);
  bool OnCommit();
  int PollTimeoutMs() const;
  void RemoveFiles() noexcept;

  const std::vector<SocketAddress> upstream_;
  std::string dir_;
  UniqueFd listener_;
  UniqueFd wake_;  // an eventfd the destructor writes to stop the loop
  // The thread's alone while it runs; the destructor's after it stopped.
  std::vector<std::unique_ptr<Pair>> pairs_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> armed_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> commits_seen_{0};
  std::thread thread_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_LOST_REPLY_PROXY_H_
