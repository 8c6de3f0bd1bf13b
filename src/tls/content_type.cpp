#include "duplex/tls/content_type.hpp"

#include "hex_name.hpp"

namespace duplex::tls {

std::string to_string(ContentType type) {
  switch (type) {
    case ContentType::invalid: return "invalid";
    case ContentType::change_cipher_spec: return "change_cipher_spec";
    case ContentType::alert: return "alert";
    case ContentType::handshake: return "handshake";
    case ContentType::application_data: return "application_data";
  }
  return hex_name(static_cast<std::uint8_t>(type), 2);
}

}  // namespace duplex::tls
