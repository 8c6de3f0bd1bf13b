// RFC 8446 §4 handshake message types.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum: the reassembler keeps unknown types; the engine answers them with unexpected_message.
enum class HandshakeType : std::uint8_t {
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  end_of_early_data = 5,
  encrypted_extensions = 8,
  certificate = 11,
  certificate_request = 13,
  certificate_verify = 15,
  finished = 20,
  key_update = 24,
  message_hash = 254,  // never on the wire: stands in for ClientHello1 in the transcript (§4.4.1)
};

// "client_hello" or "0x03".
std::string to_string(HandshakeType type);

}  // namespace duplex::tls
