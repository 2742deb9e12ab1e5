#include "harness/faults/lost_reply_fault.h"

#include <libpq-fe.h>

#include "harness/errors.h"
#include "harness/pg/dsn.h"

namespace ledgerstress {
namespace {

// The server's host and port, as libpq resolves the DSN (PG* variables and
// defaults included): asked of a connection made for the purpose.
void ServerAddress(const Target& server, std::string* host, int* port) {
  PGconn* c = PQconnectdb(server.dsn.c_str());
  const bool ok = c && PQstatus(c) == CONNECTION_OK;
  if (ok) {
    *host = PQhost(c);
    *port = std::atoi(PQport(c));
  }
  const std::string why = c ? PQerrorMessage(c) : "out of memory";
  PQfinish(c);
  if (!ok) throw InfrastructureError("lost_reply_every: cannot connect to " + server.Display() + ": " + FirstLine(why));
}

}  // namespace

LostReplyFault::LostReplyFault(const Target& server, std::chrono::milliseconds every) : every_(every) {
  std::string host;
  int port = 0;
  ServerAddress(server, &host, &port);
  try {
    proxy_ = std::make_unique<LostReplyProxy>(host, port);
  } catch (const std::exception& e) {
    throw InfrastructureError(std::string("lost_reply_every: cannot start the proxy: ") + e.what());
  }
  worker_target_ = server;
  worker_target_.dsn = WithHostPort(server.dsn, proxy_->host(), proxy_->port());
}

LostReplyFault::~LostReplyFault() { Stop(); }

void LostReplyFault::Start() {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) proxy_->Arm();
  });
}

void LostReplyFault::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ledgerstress
