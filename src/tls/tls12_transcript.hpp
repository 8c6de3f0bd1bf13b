// Private to src/tls: what both roles' TLS 1.2 states share. TLS 1.2's handshake_messages (RFC 5246 §7.4.9), hashed as they go with the
// suite's PRF hash (the Finished verify_data and RFC 7627's session_hash read it), and kept whole
// while a CertificateVerify may have to sign or check them (RFC 5246 §7.4.8 signs the messages
// themselves, not a hash of them).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "duplex/crypto/hash.hpp"
#include "duplex/tls/handshake.hpp"
#include "handshake_io.hpp"

namespace duplex::tls::detail {

class Tls12Transcript {
 public:
  Tls12Transcript(crypto::HashAlgorithm hash, bool keep_messages) : hash_(hash), keep_messages_(keep_messages) {}

  void add(std::span<const std::uint8_t> message) {
    hash_.update(message);
    if (keep_messages_) messages_.insert(messages_.end(), message.begin(), message.end());
  }
  // Hash(handshake_messages) so far.
  crypto::Digest hash() const { return hash_.current(); }
  // handshake_messages so far; empty once no CertificateVerify can come (or if never kept).
  std::span<const std::uint8_t> messages() const { return messages_; }
  bool keeps_messages() const { return keep_messages_; }
  void stop_keeping_messages() {
    keep_messages_ = false;
    std::vector<std::uint8_t>().swap(messages_);
  }

 private:
  crypto::Hash hash_;
  bool keep_messages_;
  std::vector<std::uint8_t> messages_;
};

// RFC 8449 §4: in TLS 1.2 the record size limit counts the plaintext only, at most 2^14.
inline constexpr std::uint16_t kTls12RecordSizeLimit = 16384;

// Frames one of our messages, adds it to the transcript and writes it (both roles).
inline void send(HandshakeType type, std::span<const std::uint8_t> body, Tls12Transcript& transcript,
                 HandshakeIo& io) {
  const HandshakeMessage message{type, encode_handshake(type, body)};
  transcript.add(message.encoded);
  io.write_handshake(message);
}

}  // namespace duplex::tls::detail
