// Handshake message types: RFC 8446 §4, and the TLS 1.2 ones of RFC 5246 §7.4.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum: the reassembler keeps unknown types; the engine answers them with unexpected_message.
enum class HandshakeType : std::uint8_t {
  hello_request = 0,  // TLS 1.2 (RFC 5246 §7.4.1.1): a server asking to renegotiate; we refuse
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  end_of_early_data = 5,
  encrypted_extensions = 8,
  certificate = 11,
  server_key_exchange = 12,  // TLS 1.2 (RFC 5246 §7.4.3, RFC 8422 §5.4)
  certificate_request = 13,
  server_hello_done = 14,    // TLS 1.2 (RFC 5246 §7.4.5)
  certificate_verify = 15,
  client_key_exchange = 16,  // TLS 1.2 (RFC 5246 §7.4.7, RFC 8422 §5.7)
  finished = 20,
  certificate_status = 22,   // TLS 1.2 (RFC 6066 §8): OCSP stapling, for the revocation work
  key_update = 24,
  message_hash = 254,  // never on the wire: stands in for ClientHello1 in the transcript (§4.4.1)
};

// "client_hello" or "0x03".
std::string to_string(HandshakeType type);

}  // namespace duplex::tls
