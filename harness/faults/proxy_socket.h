#ifndef LEDGERSTRESS_HARNESS_FAULTS_PROXY_SOCKET_H_
#define LEDGERSTRESS_HARNESS_FAULTS_PROXY_SOCKET_H_

#include <sys/socket.h>

#include <cstddef>
#include <string>
#include <vector>

namespace ledgerstress {

// The few socket operations LostReplyProxy needs, all non-blocking, none
// raising SIGPIPE. Every function may be called from any thread.

// Owns one file descriptor and closes it when destroyed or reset. Movable.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// One address the upstream server may listen at.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

// A non-blocking unix stream socket listening at `path` (which must not
// exist). Throws std::runtime_error saying why when it cannot.
UniqueFd ListenUnix(const std::string& path);

// Where a PostgreSQL server given as libpq's host and port listens: the
// socket <host>/.s.PGSQL.<port> when `host` starts with '/', else every
// address getaddrinfo gives for it (this may block on DNS). Throws
// std::runtime_error when there is none.
std::vector<SocketAddress> ResolvePostgres(const std::string& host, int port);

// Starts a non-blocking connect to `address`. Returns the socket, connected
// or still connecting (wait until it polls writable, then ask
// ConnectSucceeded), or an invalid one when the connect failed at once.
UniqueFd StartConnect(const SocketAddress& address);
// Whether the connect started on `fd`, now writable or in error, succeeded.
bool ConnectSucceeded(int fd);

enum class IoStatus { kProgress, kWouldBlock, kEndOfStream, kFailed };
// Appends to *out what one read of at most `max` bytes gives.
IoStatus ReadSome(int fd, std::size_t max, std::string* out);
// Writes what it can of *pending and erases that from its front.
IoStatus WriteSome(int fd, std::string* pending);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_PROXY_SOCKET_H_
