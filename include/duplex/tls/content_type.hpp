// RFC 8446 §5.1 record content types.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum: unknown values are kept (the record layer answers them with unexpected_message).
enum class ContentType : std::uint8_t {
  invalid = 0,
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
};

// "handshake" or "0x18".
std::string to_string(ContentType type);

}  // namespace duplex::tls
