// RFC 8446 §4.1.2 ClientHello.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/cipher_suite.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/extension.hpp"
#include "duplex/tls/protocol_version.hpp"

namespace duplex::tls {

// struct {
//     ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
//     Random random;
//     opaque legacy_session_id<0..32>;
//     CipherSuite cipher_suites<2..2^16-2>;
//     opaque legacy_compression_methods<1..2^8-1>;
//     Extension extensions<8..2^16-1>;
// } ClientHello;
struct ClientHello {
  ProtocolVersion legacy_version = ProtocolVersion::tls1_2;
  std::array<std::uint8_t, 32> random{};
  std::vector<std::uint8_t> legacy_session_id;
  std::vector<CipherSuite> cipher_suites;
  std::vector<std::uint8_t> legacy_compression_methods{0};
  std::vector<Extension> extensions;  // wire order; typed views in extension_data.hpp

  bool operator==(const ClientHello&) const = default;
};

// Parses a ClientHello body (after the 4-byte handshake header). Beyond the bounds and the
// extension rules of extension.hpp:
// - pre_shared_key not last → illegal_parameter (§4.2.11);
// - a key share for a group not in supported_groups → illegal_parameter (§4.2.8).
// Left to the engine, which knows the negotiated version: legacy_version, the compression
// methods (§4.1.2: "exactly one byte, set to zero" in TLS 1.3) and the mandatory extensions (§9.2).
// A ClientHello without an extensions block, or with one under 8 bytes (TLS 1.2 and older may
// send them), is read with no or few extensions: the engine answers protocol_version for want of
// supported_versions (§D.2). Encoding writes the block always (an empty one as 00 00).
Result<ClientHello> parse_client_hello(std::span<const std::uint8_t> body);

// The body (without the handshake header; frame it with encode_handshake).
std::vector<std::uint8_t> encode_client_hello(const ClientHello& hello);

}  // namespace duplex::tls
