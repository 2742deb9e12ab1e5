#include "settlement/connection.h"

#include <iterator>
#include <mutex>
#include <unordered_map>
#include <utility>

#include <libpq-fe.h>

namespace settlement {
namespace {

// The open handles of every settlement::Connection, by socket: a
// connection_base shows its socket and backend pid, never its handle.
struct Registry {
  std::mutex mu;
  std::unordered_map<int, std::shared_ptr<Session>> by_socket;
};

Registry& Handles() {
  static Registry* r = new Registry;  // never destroyed: connections may close during exit
  return *r;
}

void Forget(PGconn* h) {
  if (!h) return;
  Registry& r = Handles();
  std::lock_guard<std::mutex> lock(r.mu);
  // By handle, not by PQsocket(h): libpq closes the socket of a connection
  // it found broken, and its entry must go all the same.
  for (auto it = r.by_socket.begin(); it != r.by_socket.end();) {
    it = it->second->handle == h ? r.by_socket.erase(it) : std::next(it);
  }
}

}  // namespace

HandlePolicy::handle HandlePolicy::do_completeconnect(handle orig) {
  handle h = pqxx::connect_direct::do_completeconnect(orig);
  if (h && PQstatus(h) == CONNECTION_OK) {
    Registry& r = Handles();
    std::lock_guard<std::mutex> lock(r.mu);
    auto s = std::make_shared<Session>();
    s->handle = h;
    r.by_socket[PQsocket(h)] = std::move(s);
  }
  return h;
}

HandlePolicy::handle HandlePolicy::do_dropconnect(handle orig) noexcept {
  Forget(orig);
  return pqxx::connect_direct::do_dropconnect(orig);
}

HandlePolicy::handle HandlePolicy::do_disconnect(handle orig) noexcept {
  Forget(orig);
  return pqxx::connect_direct::do_disconnect(orig);
}

std::shared_ptr<Session> SessionOf(const pqxx::connection_base& conn) {
  const int fd = conn.sock();
  if (fd < 0) return nullptr;
  Registry& r = Handles();
  std::lock_guard<std::mutex> lock(r.mu);
  const auto it = r.by_socket.find(fd);
  if (it == r.by_socket.end() || PQbackendPID(it->second->handle) != conn.backendpid()) return nullptr;
  return it->second;
}

}  // namespace settlement
