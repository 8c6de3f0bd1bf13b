// RFC 8446 §4.2.7 named groups for key exchange.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum: clients offer groups (and GREASE values) we do not know; they are kept and skipped.
enum class NamedGroup : std::uint16_t {
  secp256r1 = 0x0017,
  secp384r1 = 0x0018,
  secp521r1 = 0x0019,
  x25519 = 0x001d,
  x448 = 0x001e,
  ffdhe2048 = 0x0100,
  ffdhe3072 = 0x0101,
  ffdhe4096 = 0x0102,
  ffdhe6144 = 0x0103,
  ffdhe8192 = 0x0104,
};

// "x25519" or "0x11ec".
std::string to_string(NamedGroup group);

}  // namespace duplex::tls
