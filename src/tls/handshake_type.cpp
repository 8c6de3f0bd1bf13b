#include "duplex/tls/handshake_type.hpp"

#include "hex_name.hpp"

namespace duplex::tls {

std::string to_string(HandshakeType type) {
  using enum HandshakeType;
  switch (type) {
    case hello_request: return "hello_request";
    case client_hello: return "client_hello";
    case server_hello: return "server_hello";
    case new_session_ticket: return "new_session_ticket";
    case end_of_early_data: return "end_of_early_data";
    case encrypted_extensions: return "encrypted_extensions";
    case certificate: return "certificate";
    case server_key_exchange: return "server_key_exchange";
    case certificate_request: return "certificate_request";
    case server_hello_done: return "server_hello_done";
    case certificate_verify: return "certificate_verify";
    case client_key_exchange: return "client_key_exchange";
    case finished: return "finished";
    case certificate_status: return "certificate_status";
    case key_update: return "key_update";
    case message_hash: return "message_hash";
  }
  return hex_name(static_cast<std::uint8_t>(type), 2);
}

}  // namespace duplex::tls
