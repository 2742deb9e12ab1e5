#ifndef LEDGERSTRESS_HARNESS_FAULTS_PG_WIRE_H_
#define LEDGERSTRESS_HARNESS_FAULTS_PG_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ledgerstress {
namespace pgwire {

// The PostgreSQL v3 frontend/backend protocol, only as far as a proxy that
// watches for COMMIT needs it. Pure functions and a framer: no IO, no
// threads; each object is used by one thread at a time.

// The code (second int32) of a client's first packet, which has no type byte.
constexpr std::uint32_t kCancelRequestCode = 80877102;
constexpr std::uint32_t kSslRequestCode = 80877103;
constexpr std::uint32_t kGssEncRequestCode = 80877104;
// Any protocol 3.x startup (3.0 is 196608): the major version is the high 16 bits.
constexpr std::uint32_t kProtocolMajor3 = 3;
// The server refuses longer startup packets (MAX_STARTUP_PACKET_LENGTH).
constexpr std::uint32_t kMaxFirstPacket = 10000;

enum class FirstPacket { kStartup, kSslRequest, kGssEncRequest, kCancel, kUnknown };
FirstPacket ClassifyFirstPacket(std::uint32_t code);

// Reads a big-endian int32 at p.
std::uint32_t ReadUint32(const char* p);

// Whether `query` (a simple-protocol Query's text, without its NUL) is a
// COMMIT of the current transaction: COMMIT, END, COMMIT WORK, COMMIT
// TRANSACTION, END WORK or END TRANSACTION, in any case, with any
// surrounding whitespace and at most one trailing ';'. Not COMMIT PREPARED,
// COMMIT AND CHAIN, comments, or a COMMIT inside a multi-statement string.
bool IsCommitQuery(std::string_view query);

// Splits one direction of a session, after startup, into messages (1 type
// byte, int32 length counting itself, payload) as bytes arrive, without
// holding a message whole: a 100 MB DataRow streams through. The sink hears
// each message's start (with its 5 header bytes), its payload in pieces, and
// its end, in order.
class MessageFramer {
 public:
  class Sink {
   public:
    virtual ~Sink() = default;
    // `header` is the 5 header bytes; `length` the payload length.
    virtual void Start(char type, std::uint32_t length, std::string_view header) = 0;
    virtual void Payload(std::string_view bytes) = 0;
    virtual void End() = 0;
  };

  // Feeds the next bytes. Returns false when a length is impossible (under
  // 4): the stream is not the protocol, and the framer must not be fed again.
  bool Feed(std::string_view bytes, Sink* sink);

 private:
  std::string header_;        // header bytes of the next message so far (< 5)
  std::uint32_t remaining_ = 0;  // payload bytes of the current message still to come
  bool in_payload_ = false;
};

}  // namespace pgwire
}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_PG_WIRE_H_
