#include "settlement/connection.h"

#include <libpq-fe.h>
#include <pqxx/except>

namespace settlement {

Connection::Connection(const std::string& options)
    : pqxx::connection_base(policy_), options_(options), policy_(options_, this) {
  init();
}

Connection::~Connection() noexcept { close(); }

bool Connection::Usable() const noexcept {
  return handle_ && PQstatus(handle_) == CONNECTION_OK && PQtransactionStatus(handle_) == PQTRANS_IDLE;
}

void Connection::Reopen() {
  if (!handle_) throw pqxx::broken_connection("the connection was closed: nothing to reopen");
  prepared_.clear();
  PQreset(handle_);
  if (PQstatus(handle_) != CONNECTION_OK) {
    throw pqxx::broken_connection(std::string("cannot reopen the session: ") + PQerrorMessage(handle_));
  }
  if (session_sql_.empty()) return;
  PGresult* res = PQexec(handle_, session_sql_.c_str());
  const bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  if (!ok) throw pqxx::broken_connection(std::string("cannot set the reopened session up: ") + PQerrorMessage(handle_));
}

void Connection::Forget() noexcept {
  handle_ = nullptr;
  prepared_.clear();
}

Connection::Policy::handle Connection::Policy::do_completeconnect(handle orig) {
  handle h = pqxx::connect_direct::do_completeconnect(orig);
  owner_->Forget();
  if (h && PQstatus(h) == CONNECTION_OK) owner_->handle_ = h;
  return h;
}

Connection::Policy::handle Connection::Policy::do_dropconnect(handle orig) noexcept {
  owner_->Forget();
  return pqxx::connect_direct::do_dropconnect(orig);
}

Connection::Policy::handle Connection::Policy::do_disconnect(handle orig) noexcept {
  owner_->Forget();
  return pqxx::connect_direct::do_disconnect(orig);
}

}  // namespace settlement
