#include "duplex/tls/protocol_version.hpp"

#include "hex_name.hpp"

namespace duplex::tls {

std::string to_string(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::ssl3_0: return "SSL 3.0";
    case ProtocolVersion::tls1_0: return "TLS 1.0";
    case ProtocolVersion::tls1_1: return "TLS 1.1";
    case ProtocolVersion::tls1_2: return "TLS 1.2";
    case ProtocolVersion::tls1_3: return "TLS 1.3";
  }
  return hex_name(static_cast<std::uint16_t>(version), 4);
}

}  // namespace duplex::tls
