#include "harness/engine/explore_session.h"

#include <poll.h>

#include <cstdlib>
#include <stdexcept>

#include <libpq-fe.h>

#include "harness/errors.h"

namespace ledgerstress {
namespace {

std::string FirstLineOf(const char* s) {
  std::string out = s ? s : "";
  const std::size_t nl = out.find('\n');
  return nl == std::string::npos ? out : out.substr(0, nl);
}

// Fills *r from one result of the step.
void Read(PGresult* res, StepReply* r) {
  const ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
    r->ok = true;
    r->command = PQcmdStatus(res);
    const char* touched = PQcmdTuples(res);
    r->rows = st == PGRES_TUPLES_OK ? PQntuples(res) : (touched && *touched ? std::atoll(touched) : 0);
    r->first_row.clear();
    r->null_columns.clear();
    if (st == PGRES_TUPLES_OK && PQntuples(res) > 0) {
      for (int c = 0; c < PQnfields(res); ++c) {
        if (PQgetisnull(res, 0, c)) r->null_columns.push_back(PQfname(res, c));
        else r->first_row[PQfname(res, c)] = PQgetvalue(res, 0, c);
      }
    }
    return;
  }
  r->ok = false;
  const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  r->sqlstate = state ? state : "";
  r->message = FirstLineOf(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
}

}  // namespace

ExploreSession::ExploreSession(const Target& target, const SessionSettings& settings)
    : target_(target), settings_(settings), conn_(Connect(target, settings)) {
  pid_ = PQbackendPID(conn_->handle());
}

ExploreSession::~ExploreSession() = default;

void ExploreSession::Send(const std::string& sql, const std::vector<std::string>& values) {
  std::vector<const char*> ptrs;
  for (const std::string& v : values) ptrs.push_back(v.c_str());
  if (!PQsendQueryParams(conn_->handle(), sql.c_str(), static_cast<int>(ptrs.size()), nullptr, ptrs.data(), nullptr,
                         nullptr, 0)) {
    throw std::runtime_error("explore session " + std::to_string(pid_) + ": " + FirstLineOf(PQerrorMessage(conn_->handle())));
  }
  in_flight_ = true;
}

bool ExploreSession::Ready(std::chrono::microseconds wait) {
  PGconn* h = conn_->handle();
  if (!PQconsumeInput(h)) throw std::runtime_error("explore session " + std::to_string(pid_) + " lost its connection: " + FirstLineOf(PQerrorMessage(h)));
  if (!PQisBusy(h)) return true;
  if (wait.count() > 0) {
    pollfd p{PQsocket(h), POLLIN, 0};
    const int ms = static_cast<int>((wait.count() + 999) / 1000);
    if (poll(&p, 1, ms) > 0 && !PQconsumeInput(h)) {
      throw std::runtime_error("explore session " + std::to_string(pid_) + " lost its connection: " + FirstLineOf(PQerrorMessage(h)));
    }
  }
  return !PQisBusy(h);
}

StepReply ExploreSession::Take() {
  StepReply r;
  bool first = true;
  while (PGresult* res = PQgetResult(conn_->handle())) {
    if (first || PQresultStatus(res) == PGRES_FATAL_ERROR) Read(res, &r);
    first = false;
    PQclear(res);
  }
  in_flight_ = false;
  return r;
}

void ExploreSession::Reset() {
  PGconn* h = conn_->handle();
  if (in_flight_) {
    while (!Ready(std::chrono::milliseconds(100))) {
    }
    Take();
  }
  if (PQtransactionStatus(h) != PQTRANS_IDLE) PQclear(PQexec(h, "ROLLBACK"));
  PGresult* res = PQexec(h, "DISCARD ALL");
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  if (!ok) {
    throw std::runtime_error("explore session " + std::to_string(pid_) + ": DISCARD ALL failed: " +
                             FirstLineOf(PQerrorMessage(h)));
  }
  ApplySessionSettings(*conn_, target_, settings_);
}

BlockCheck::BlockCheck(const Target& target, const SessionSettings& settings, const std::vector<int>& pids)
    : conn_(Connect(target, settings)) {
  for (const int p : pids) pids_ += (pids_.empty() ? "{" : ",") + std::to_string(p);
  pids_ += "}";
}

bool BlockCheck::Blocked(int pid) {
  const std::string p = std::to_string(pid);
  const char* values[2] = {p.c_str(), pids_.c_str()};
  PGresult* res = PQexecParams(conn_->handle(), "SELECT pg_catalog.pg_isolation_test_session_is_blocked($1::int, $2::int[])",
                               2, nullptr, values, nullptr, nullptr, 0);
  const bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
  const bool blocked = ok && PQgetvalue(res, 0, 0)[0] == 't';
  const std::string err = ok ? "" : FirstLineOf(PQresultErrorMessage(res));
  PQclear(res);
  if (!ok) throw std::runtime_error("cannot ask whether a session is blocked: " + err);
  return blocked;
}

}  // namespace ledgerstress
