#include "harness/faults/lost_reply_proxy.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "harness/faults/proxy_session.h"

namespace ledgerstress {

namespace {

// Only the socket file's name carries it: libpq looks for <dir>/.s.PGSQL.<port>.
constexpr int kProxyPort = 5432;
constexpr std::size_t kReadChunk = 64 * 1024;
// A side is not read while its peer has this much waiting to be written to it.
constexpr std::size_t kMaxPending = 1024 * 1024;

std::string MakePrivateDir() {
  const char* tmp = std::getenv("TMPDIR");
  const std::string base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  // Not "ledgerstress-*": EmbeddedCluster::RemoveOrphans sweeps those.
  std::string path = base + "/lsproxy-XXXXXX";
  if (::mkdtemp(&path[0]) == nullptr) {
    throw std::runtime_error("lost reply proxy: cannot create a private directory under " + base + ": " +
                             std::strerror(errno));
  }
  return path;
}

pollfd PollFor(int fd, short events) { return pollfd{events != 0 ? fd : -1, events, 0}; }

std::vector<SocketAddress> Resolve(const std::string& host, int port) {
  try {
    return ResolvePostgres(host, port);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("lost reply proxy: ") + e.what());
  }
}

UniqueFd MakeEventFd() {
  UniqueFd fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!fd.valid()) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  return fd;
}

}  // namespace

struct LostReplyProxy::Pair {
  Pair(UniqueFd c, LostReplyProxy* proxy) : client(std::move(c)), session([proxy] { return proxy->OnCommit(); }) {}

  UniqueFd client;
  UniqueFd upstream;
  std::size_t address = 0;  // the upstream address connected to (or being tried)
  bool connected = false;
  std::string to_server;  // read from the client, not yet written upstream
  std::string to_client;
  ProxySession session;
  bool dropping = false;  // the wait for a dropped COMMIT's answer has started
  bool closing = false;   // one side ended: flush what is pending, then close
  Clock::time_point deadline = Clock::now() + kPatience;  // time_point::max() while nothing is awaited
};

LostReplyProxy::LostReplyProxy(const std::string& upstream_host, int upstream_port)
    : upstream_(Resolve(upstream_host, upstream_port)), dir_(MakePrivateDir()) {
  try {
    listener_ = ListenUnix(SocketPath());
    wake_ = MakeEventFd();
    thread_ = std::thread(&LostReplyProxy::Run, this);
  } catch (const std::exception& e) {
    RemoveFiles();
    throw std::runtime_error(std::string("lost reply proxy: ") + e.what());
  }
}

LostReplyProxy::~LostReplyProxy() {
  stop_.store(true);
  const std::uint64_t one = 1;
  // The eventfd cannot be full (its counter is far from overflow): one write wakes the loop.
  (void)!::write(wake_.get(), &one, sizeof(one));
  thread_.join();
  pairs_.clear();
  RemoveFiles();
}

int LostReplyProxy::port() const { return kProxyPort; }

std::string LostReplyProxy::SocketPath() const { return dir_ + "/.s.PGSQL." + std::to_string(kProxyPort); }

void LostReplyProxy::Arm() { armed_.store(true); }

bool LostReplyProxy::OnCommit() {
  commits_seen_.fetch_add(1);
  if (!armed_.exchange(false)) return false;
  dropped_.fetch_add(1);
  return true;
}

void LostReplyProxy::RemoveFiles() noexcept {
  listener_.reset();
  ::unlink(SocketPath().c_str());
  ::rmdir(dir_.c_str());
}

// --- the loop: the thread's own from here on ---------------------------------

void LostReplyProxy::Run() noexcept {
  std::vector<pollfd> fds;
  while (!stop_.load()) {
    fds.clear();
    fds.push_back(PollFor(wake_.get(), POLLIN));
    fds.push_back(PollFor(listener_.get(), POLLIN));
    for (const auto& p : pairs_) {
      const bool client_in = !p->closing && p->session.state() == ProxySession::State::kRelaying &&
                             p->to_server.size() < kMaxPending;
      const bool upstream_in = p->connected && !p->closing && p->to_client.size() < kMaxPending;
      const bool upstream_out = !p->connected || !p->to_server.empty();  // connecting: writable when done
      fds.push_back(PollFor(p->client.get(), (client_in ? POLLIN : 0) | (p->to_client.empty() ? 0 : POLLOUT)));
      fds.push_back(PollFor(p->upstream.get(), (upstream_in ? POLLIN : 0) | (upstream_out ? POLLOUT : 0)));
    }
    if (::poll(fds.data(), fds.size(), PollTimeoutMs()) < 0 && errno != EINTR) continue;
    if (stop_.load()) break;
    std::vector<std::unique_ptr<Pair>> alive;
    for (std::size_t i = 0; i < pairs_.size(); ++i) {
      if (Service(*pairs_[i], fds[2 + 2 * i].revents, fds[3 + 2 * i].revents)) alive.push_back(std::move(pairs_[i]));
    }
    pairs_ = std::move(alive);  // the pairs left out close their sockets here
    if (fds[1].revents != 0) AcceptAll();
  }
}

int LostReplyProxy::PollTimeoutMs() const {
  Clock::time_point next = Clock::time_point::max();
  for (const auto& p : pairs_) next = std::min(next, p->deadline);
  if (next == Clock::time_point::max()) return -1;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(ms + 1, 0, 60 * 1000));
}

void LostReplyProxy::AcceptAll() {
  for (;;) {
    UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    // EAGAIN: no one else waiting. Any other error (EMFILE...): try on the next wake.
    if (!client.valid()) return;
    try {
      auto p = std::make_unique<Pair>(std::move(client), this);
      if (ConnectUpstream(*p, 0)) pairs_.push_back(std::move(p));
    } catch (const std::exception&) {
      // Out of memory: this client is closed, the others go on.
    }
  }
}

// Tries the upstream addresses from `first_address` on; false when none is left.
bool LostReplyProxy::ConnectUpstream(Pair& p, std::size_t first_address) {
  for (p.address = first_address; p.address < upstream_.size(); ++p.address) {
    p.upstream = StartConnect(upstream_[p.address]);
    if (p.upstream.valid()) return true;
  }
  return false;
}

// One turn of a pair after poll: false when the pair must close now.
bool LostReplyProxy::Service(Pair& p, short client_events, short upstream_events) {
  try {
    if (!p.connected && upstream_events != 0) {
      if (ConnectSucceeded(p.upstream.get())) {
        p.connected = true;
        if (!p.closing) p.deadline = Clock::time_point::max();
      } else if (!ConnectUpstream(p, p.address + 1)) {
        return false;
      }
    }
    if ((client_events & (POLLIN | POLLHUP | POLLERR)) != 0 && !ReadClient(p)) return false;
    if (p.connected && (upstream_events & (POLLIN | POLLHUP | POLLERR)) != 0 && !ReadUpstream(p)) return false;
    return Flush(p) && CheckProgress(p);
  } catch (const std::exception&) {
    return false;  // out of memory: this pair ends, the others go on
  }
}

bool LostReplyProxy::ReadClient(Pair& p) {
  std::string bytes;
  switch (ReadSome(p.client.get(), kReadChunk, &bytes)) {
    case IoStatus::kProgress: p.session.FromClient(bytes, &p.to_server); return true;
    case IoStatus::kWouldBlock: return true;
    case IoStatus::kEndOfStream: p.closing = true; return true;
    case IoStatus::kFailed: break;
  }
  return false;
}

bool LostReplyProxy::ReadUpstream(Pair& p) {
  std::string bytes;
  switch (ReadSome(p.upstream.get(), kReadChunk, &bytes)) {
    case IoStatus::kProgress: p.session.FromServer(bytes, &p.to_client); return true;
    case IoStatus::kWouldBlock: return true;
    case IoStatus::kEndOfStream: p.closing = true; return true;
    case IoStatus::kFailed: break;
  }
  return false;
}

bool LostReplyProxy::Flush(Pair& p) {
  if (p.connected && !p.to_server.empty() && WriteSome(p.upstream.get(), &p.to_server) == IoStatus::kFailed) {
    return false;
  }
  return p.to_client.empty() || WriteSome(p.client.get(), &p.to_client) != IoStatus::kFailed;
}

// Starts the waits the session's state calls for, and ends the pair when
// it is done or a wait ran out.
bool LostReplyProxy::CheckProgress(Pair& p) {
  const ProxySession::State state = p.session.state();
  if (state == ProxySession::State::kBroken) return false;
  if (state == ProxySession::State::kDropping && !p.dropping) {
    p.dropping = true;
    p.deadline = Clock::now() + kPatience;
  }
  if (state == ProxySession::State::kDropped) p.closing = true;
  if (p.closing && p.deadline == Clock::time_point::max()) p.deadline = Clock::now() + kPatience;
  if (p.closing && p.to_server.empty() && p.to_client.empty()) return false;
  return Clock::now() < p.deadline;
}

}  // namespace ledgerstress
