// RFC 8446 §4.1.2/§4.2.1 protocol version codes.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum: a ClientHello may list versions we have never heard of (and GREASE values).
enum class ProtocolVersion : std::uint16_t {
  ssl3_0 = 0x0300,
  tls1_0 = 0x0301,
  tls1_1 = 0x0302,
  tls1_2 = 0x0303,  // also every TLS 1.3 legacy_version (RFC 8446 §4.1.2)
  tls1_3 = 0x0304,
};

// "TLS 1.3" or "0x7f1c".
std::string to_string(ProtocolVersion version);

}  // namespace duplex::tls
