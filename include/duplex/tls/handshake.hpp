// RFC 8446 §4 handshake framing: the `Handshake` header (msg_type, uint24 length) and the
// reassembler that turns handshake records into whole messages.
//
// RFC 8446 §5.1: "Handshake messages MAY be coalesced into a single TLSPlaintext record or
// fragmented across several records". The reassembler joins and splits them; it never looks
// inside a body (that is the message parsers' job) and holds at most one message's bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/handshake_type.hpp"

namespace duplex::tls {

// struct { HandshakeType msg_type; uint24 length; ... } Handshake;   (RFC 8446 §4)
struct HandshakeHeader {
  HandshakeType msg_type{};
  std::uint32_t length = 0;  // of the body that follows; < 2^24
};
inline constexpr std::size_t handshake_header_size = 4;

// One whole handshake message as it was on the wire, header included: the transcript hash
// (RFC 8446 §4.4.1) takes exactly these bytes.
struct HandshakeMessage {
  HandshakeType msg_type{};
  std::vector<std::uint8_t> encoded;  // header + body

  std::span<const std::uint8_t> body() const {
    return std::span<const std::uint8_t>(encoded).subspan(handshake_header_size);
  }
  bool operator==(const HandshakeMessage&) const = default;
};

// Frames a body: the 4-byte header then the body. The body must be under 2^24 bytes.
std::vector<std::uint8_t> encode_handshake(HandshakeType msg_type, std::span<const std::uint8_t> body);

// Our own bound on one message. Q: the RFC allows 2^24-1; why a smaller default?
// A: a peer could otherwise make us buffer 16 MiB per connection before anything is checked.
// The largest real messages are Certificate chains: 64 KiB covers long RSA chains (Go's limit
// is 64 KiB too); raise it for deployments with bigger chains.
inline constexpr std::size_t default_max_handshake_message_size = 64 * 1024;

class HandshakeReassembler {
 public:
  explicit HandshakeReassembler(std::size_t max_message_size = default_max_handshake_message_size)
      : max_message_size_(max_message_size) {}

  // Takes the plaintext of one handshake record. Errors:
  // - an empty fragment → unexpected_message (RFC 8446 §5.1: "Implementations MUST NOT send
  //   zero-length fragments of Handshake types");
  // - a message whose header announces a body longer than max_message_size → decode_error
  //   (RFC 8446 §6.2: "some field was out of the specified range" — here our range; OpenSSL
  //   sends illegal_parameter instead: both abort, only the alert differs).
  // After an error the reassembler is unusable: the connection is over.
  Status receive(std::span<const std::uint8_t> fragment);

  // The next whole message, if one has arrived.
  std::optional<HandshakeMessage> next();

  // True when part of a message is waiting for more records. RFC 8446 §5.1: "Handshake messages
  // MUST NOT span key changes" — the engine asks this before each key change and sends
  // unexpected_message if the answer is yes.
  bool has_partial_message() const { return pending_.size() > checked_; }
  // True when no byte is waiting, whole message or part: the check before a key change once the
  // message that causes it was taken (a message after it in the same record is under old keys).
  bool empty() const { return pending_.empty(); }
  std::size_t max_message_size() const { return max_message_size_; }

 private:
  Status check_header();

  std::size_t max_message_size_;
  std::vector<std::uint8_t> pending_;  // bytes received but not yet handed out by next()
  std::size_t checked_ = 0;            // pending_ bytes whose headers were checked
};

}  // namespace duplex::tls
