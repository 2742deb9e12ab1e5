#include "settlement/connection.h"

#include <libpq-fe.h>

namespace settlement {

Connection::Connection(const std::string& options)
    : pqxx::connection_base(policy_), options_(options), policy_(options_, this) {
  init();
}

Connection::~Connection() noexcept { close(); }

bool Connection::Usable() const noexcept {
  return handle_ && PQstatus(handle_) == CONNECTION_OK && PQtransactionStatus(handle_) == PQTRANS_IDLE;
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
