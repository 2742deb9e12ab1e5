#ifndef LEDGERSTRESS_HARNESS_FAULTS_PROXY_SESSION_H_
#define LEDGERSTRESS_HARNESS_FAULTS_PROXY_SESSION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "harness/faults/pg_wire.h"

namespace ledgerstress {

// What LostReplyProxy knows of one client/server pair: the protocol state of
// both directions and the decision to drop a COMMIT's reply. No IO: the
// proxy feeds it the bytes it read and writes out what it is given back, so
// that the framing can be reasoned about (and tested) apart from sockets.
// Used by one thread at a time.
//
// Everything is forwarded byte for byte, in order, except, once a COMMIT's
// reply is being dropped, what the client sends after that COMMIT and what
// the server sends after the answers to the client's earlier requests.
// A session whose startup it cannot follow (TLS or GSS encryption accepted
// by the server, a cancel request, an unknown protocol) is relayed raw, and
// no COMMIT is recognised in it.
class ProxySession {
 public:
  enum class State {
    kRelaying,  // forwarding both ways
    kDropping,  // a COMMIT's reply is being swallowed: read no more from the client
    kDropped,   // the server's ReadyForQuery after that COMMIT arrived: close both ends
    kBroken,    // not the protocol it knows (an impossible length): close both ends
  };

  // `on_commit` is called (on the feeding thread) once per simple-protocol
  // COMMIT the client sends, when its last byte has been read; it returns
  // whether that COMMIT's reply is to be dropped.
  explicit ProxySession(std::function<bool()> on_commit);

  // Bytes read from the client; appends to *to_server what to forward.
  void FromClient(std::string_view bytes, std::string* to_server);
  // Bytes read from the server; appends to *to_client what to forward.
  void FromServer(std::string_view bytes, std::string* to_client);

  State state() const { return state_; }

 private:
  enum class ClientPhase { kFirstPacket, kMessages, kRaw, kIgnored };
  enum class ServerPhase { kMessages, kAnswerByte, kRaw };
  class ClientSink;
  class ServerSink;

  void ClientFirstPacket(std::string_view* bytes, std::string* to_server);
  void FirstPacketDone(pgwire::FirstPacket kind);
  void ServerAnswerByte(std::string_view* bytes, std::string* to_client);
  void ClientMessageEnd();
  void ServerMessageStart(char type);
  void ServerMessageEnd();

  std::function<bool()> on_commit_;
  State state_ = State::kRelaying;
  ClientPhase client_ = ClientPhase::kFirstPacket;
  ServerPhase server_ = ServerPhase::kMessages;
  std::string first_packet_;  // the client's untyped packet so far
  pgwire::MessageFramer client_framer_;
  pgwire::MessageFramer server_framer_;
  // The client message being read: its type and, for a Query short enough
  // to be a COMMIT, its text so far.
  char client_type_ = 0;
  bool client_capture_ = false;
  std::string client_text_;
  // ReadyForQuery messages the server still owes: one per Query, Sync or
  // FunctionCall the client sent.
  std::uint64_t owed_ready_ = 0;
  // While dropping: ReadyForQuery messages still to forward (answers to
  // requests sent before the COMMIT) before the COMMIT's own.
  std::uint64_t ready_before_drop_ = 0;
  // The server message being read: its type, and whether it is forwarded.
  char server_type_ = 0;
  bool forward_current_ = true;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_PROXY_SESSION_H_
