#include "harness/faults/proxy_socket.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ledgerstress {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int UniqueFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

namespace {

SocketAddress UnixAddress(const std::string& path) {
  SocketAddress a;
  auto* un = reinterpret_cast<sockaddr_un*>(&a.storage);
  if (path.size() >= sizeof(un->sun_path)) {
    throw std::runtime_error("unix socket path too long (" + std::to_string(path.size()) + " bytes, at most " +
                             std::to_string(sizeof(un->sun_path) - 1) + "): " + path);
  }
  un->sun_family = AF_UNIX;
  std::memcpy(un->sun_path, path.c_str(), path.size() + 1);
  a.length = sizeof(sockaddr_un);
  return a;
}

std::runtime_error SystemError(const std::string& what, int error) {
  return std::runtime_error(what + ": " + std::strerror(error));
}

}  // namespace

UniqueFd ListenUnix(const std::string& path) {
  const SocketAddress a = UnixAddress(path);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) throw SystemError("cannot create a unix socket", errno);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&a.storage), a.length) != 0) {
    throw SystemError("cannot bind a unix socket to " + path, errno);
  }
  if (::listen(fd.get(), SOMAXCONN) != 0) throw SystemError("cannot listen on " + path, errno);
  return fd;
}

std::vector<SocketAddress> ResolvePostgres(const std::string& host, int port) {
  if (!host.empty() && host[0] == '/') return {UnixAddress(host + "/.s.PGSQL." + std::to_string(port))};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) throw std::runtime_error("cannot resolve " + host + ": " + ::gai_strerror(rc));
  std::vector<SocketAddress> out;
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    SocketAddress a;
    std::memcpy(&a.storage, ai->ai_addr, ai->ai_addrlen);
    a.length = ai->ai_addrlen;
    out.push_back(a);
  }
  ::freeaddrinfo(found);
  if (out.empty()) throw std::runtime_error("no address for " + host);
  return out;
}

UniqueFd StartConnect(const SocketAddress& address) {
  UniqueFd fd(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return fd;
  if (address.storage.ss_family != AF_UNIX) {
    // As libpq does: a small message (a COMMIT) must not wait for an ACK.
    const int on = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
  }
  const int rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address.storage), address.length);
  // A unix socket whose backlog is full says EAGAIN; ConnectSucceeded tells later.
  if (rc != 0 && errno != EINPROGRESS && errno != EAGAIN && errno != EINTR) fd.reset();
  return fd;
}

bool ConnectSucceeded(int fd) {
  int error = 0;
  socklen_t len = sizeof(error);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) return false;
  // A unix connect refused with EAGAIN leaves the socket writable but unconnected.
  sockaddr_storage peer{};
  socklen_t peer_len = sizeof(peer);
  return ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) == 0;
}

IoStatus ReadSome(int fd, std::size_t max, std::string* out) {
  const std::size_t old = out->size();
  out->resize(old + max);
  const ssize_t n = ::recv(fd, &(*out)[old], max, 0);
  out->resize(old + (n > 0 ? static_cast<std::size_t>(n) : 0));
  if (n > 0) return IoStatus::kProgress;
  if (n == 0) return IoStatus::kEndOfStream;
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? IoStatus::kWouldBlock : IoStatus::kFailed;
}

IoStatus WriteSome(int fd, std::string* pending) {
  if (pending->empty()) return IoStatus::kWouldBlock;
  const ssize_t n = ::send(fd, pending->data(), pending->size(), MSG_NOSIGNAL);
  if (n > 0) {
    pending->erase(0, static_cast<std::size_t>(n));
    return IoStatus::kProgress;
  }
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? IoStatus::kWouldBlock
                                                                              : IoStatus::kFailed;
}

}  // namespace ledgerstress
