#include "harness/faults/proxy_session.h"

#include <algorithm>
#include <utility>

namespace ledgerstress {

namespace {

// A COMMIT padded with more whitespace than this is not recognised; the
// bound keeps a huge INSERT from being copied for nothing.
constexpr std::uint32_t kMaxCommitText = 4096;

bool OwesReady(char type) { return type == 'Q' || type == 'S' || type == 'F'; }

// Moves up to `n` bytes from the front of *from to the end of *to.
void Take(std::string_view* from, std::size_t n, std::string* to) {
  n = std::min(n, from->size());
  to->append(from->substr(0, n));
  from->remove_prefix(n);
}

}  // namespace

class ProxySession::ClientSink : public pgwire::MessageFramer::Sink {
 public:
  ClientSink(ProxySession* s, std::string* out) : s_(s), out_(out) {}
  void Start(char type, std::uint32_t length, std::string_view header) override {
    if (s_->client_ == ClientPhase::kIgnored) return;
    out_->append(header);
    s_->client_type_ = type;
    s_->client_capture_ = type == 'Q' && length <= kMaxCommitText;
    s_->client_text_.clear();
  }
  void Payload(std::string_view bytes) override {
    if (s_->client_ == ClientPhase::kIgnored) return;
    out_->append(bytes);
    if (s_->client_capture_) s_->client_text_.append(bytes);
  }
  void End() override {
    if (s_->client_ != ClientPhase::kIgnored) s_->ClientMessageEnd();
  }

 private:
  ProxySession* s_;
  std::string* out_;
};

class ProxySession::ServerSink : public pgwire::MessageFramer::Sink {
 public:
  ServerSink(ProxySession* s, std::string* out) : s_(s), out_(out) {}
  void Start(char type, std::uint32_t, std::string_view header) override {
    s_->ServerMessageStart(type);
    if (s_->forward_current_) out_->append(header);
  }
  void Payload(std::string_view bytes) override {
    if (s_->forward_current_) out_->append(bytes);
  }
  void End() override { s_->ServerMessageEnd(); }

 private:
  ProxySession* s_;
  std::string* out_;
};

ProxySession::ProxySession(std::function<bool()> on_commit) : on_commit_(std::move(on_commit)) {}

void ProxySession::FromClient(std::string_view bytes, std::string* to_server) {
  while (state_ != State::kBroken && !bytes.empty() && client_ == ClientPhase::kFirstPacket) {
    ClientFirstPacket(&bytes, to_server);
  }
  if (state_ == State::kBroken || bytes.empty()) return;
  if (client_ == ClientPhase::kRaw) {
    to_server->append(bytes);
  } else if (client_ == ClientPhase::kMessages) {
    ClientSink sink(this, to_server);
    if (!client_framer_.Feed(bytes, &sink)) state_ = State::kBroken;
  }
}

void ProxySession::FromServer(std::string_view bytes, std::string* to_client) {
  if (state_ == State::kBroken) return;
  if (server_ == ServerPhase::kAnswerByte && !bytes.empty()) ServerAnswerByte(&bytes, to_client);
  if (bytes.empty()) return;
  if (server_ == ServerPhase::kRaw) {
    to_client->append(bytes);
  } else if (server_ == ServerPhase::kMessages) {
    ServerSink sink(this, to_client);
    if (!server_framer_.Feed(bytes, &sink)) state_ = State::kBroken;
  }
}

// The first packet is small (the server refuses more than 10000 bytes): it
// is held whole, since its code decides how the rest is read.
void ProxySession::ClientFirstPacket(std::string_view* bytes, std::string* to_server) {
  if (first_packet_.size() < 4) {
    Take(bytes, 4 - first_packet_.size(), &first_packet_);
    if (first_packet_.size() < 4) return;
    const std::uint32_t length = pgwire::ReadUint32(first_packet_.data());
    if (length < 8 || length > pgwire::kMaxFirstPacket) {
      state_ = State::kBroken;
      return;
    }
  }
  const std::uint32_t length = pgwire::ReadUint32(first_packet_.data());
  Take(bytes, length - first_packet_.size(), &first_packet_);
  if (first_packet_.size() < length) return;
  to_server->append(first_packet_);
  const std::uint32_t code = pgwire::ReadUint32(first_packet_.data() + 4);
  first_packet_.clear();
  FirstPacketDone(pgwire::ClassifyFirstPacket(code));
}

void ProxySession::FirstPacketDone(pgwire::FirstPacket kind) {
  switch (kind) {
    case pgwire::FirstPacket::kStartup:
      client_ = ClientPhase::kMessages;
      break;
    case pgwire::FirstPacket::kSslRequest:
    case pgwire::FirstPacket::kGssEncRequest:
      // The server answers one byte; the client then sends another first packet.
      server_ = ServerPhase::kAnswerByte;
      break;
    case pgwire::FirstPacket::kCancel:
    case pgwire::FirstPacket::kUnknown:
      client_ = ClientPhase::kRaw;
      server_ = ServerPhase::kRaw;
      break;
  }
}

void ProxySession::ServerAnswerByte(std::string_view* bytes, std::string* to_client) {
  const char answer = bytes->front();
  if (answer == 'S' || answer == 'G') {
    // An encrypted session follows: its bytes cannot be read, only carried.
    client_ = ClientPhase::kRaw;
    server_ = ServerPhase::kRaw;
    return;
  }
  server_ = ServerPhase::kMessages;
  if (answer == 'N') {
    to_client->push_back(answer);
    bytes->remove_prefix(1);
  }
  // Anything else is an ErrorResponse (a server refusing the request): a message.
}

void ProxySession::ClientMessageEnd() {
  if (OwesReady(client_type_)) ++owed_ready_;
  if (client_type_ != 'Q' || !client_capture_) return;
  std::string_view text = client_text_;
  if (!text.empty() && text.back() == '\0') text.remove_suffix(1);
  if (!pgwire::IsCommitQuery(text) || !on_commit_()) return;
  state_ = State::kDropping;
  client_ = ClientPhase::kIgnored;
  ready_before_drop_ = owed_ready_ - 1;
}

void ProxySession::ServerMessageStart(char type) {
  server_type_ = type;
  forward_current_ = state_ == State::kRelaying || (state_ == State::kDropping && ready_before_drop_ > 0);
}

void ProxySession::ServerMessageEnd() {
  if (server_type_ != 'Z') return;
  if (owed_ready_ > 0) --owed_ready_;
  if (state_ != State::kDropping) return;
  if (forward_current_) {
    --ready_before_drop_;
  } else {
    state_ = State::kDropped;
  }
}

}  // namespace ledgerstress
