// RFC 8446 §4.1.3 ServerHello, and §4.1.4 HelloRetryRequest: a ServerHello whose random is the
// SHA-256 of "HelloRetryRequest".
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
//     opaque legacy_session_id_echo<0..32>;
//     CipherSuite cipher_suite;
//     uint8 legacy_compression_method = 0;
//     Extension extensions<6..2^16-1>;
// } ServerHello;
struct ServerHello {
  ProtocolVersion legacy_version = ProtocolVersion::tls1_2;
  std::array<std::uint8_t, 32> random{};
  std::vector<std::uint8_t> legacy_session_id_echo;
  CipherSuite cipher_suite{};
  std::uint8_t legacy_compression_method = 0;
  std::vector<Extension> extensions;

  bool operator==(const ServerHello&) const = default;
};

// RFC 8446 §4.1.3: "For reasons of backward compatibility with middleboxes [...] the
// HelloRetryRequest message uses the same structure as the ServerHello, but with Random set to
// the special value of the SHA-256 of "HelloRetryRequest"".
inline constexpr std::array<std::uint8_t, 32> hello_retry_request_random = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

// RFC 8446 §4.1.3 downgrade protection: the last 8 bytes of a TLS 1.3 server's random when it
// negotiates TLS 1.2 ("DOWNGRD" 01) or TLS 1.1 and below ("DOWNGRD" 00). The client checks them.
inline constexpr std::array<std::uint8_t, 8> downgrade_tls12_sentinel = {0x44, 0x4f, 0x57, 0x4e,
                                                                         0x47, 0x52, 0x44, 0x01};
inline constexpr std::array<std::uint8_t, 8> downgrade_tls11_sentinel = {0x44, 0x4f, 0x57, 0x4e,
                                                                         0x47, 0x52, 0x44, 0x00};

bool is_hello_retry_request(const ServerHello& hello);

// Parses a ServerHello body. When it selects a version with supported_versions (TLS 1.3) or is a
// HelloRetryRequest, the extensions are checked against RFC 8446 §4.2's table for SH or HRR;
// a TLS 1.2 ServerHello (no supported_versions) is returned with its extensions unchecked for
// the engine to refuse or to hand to TLS 1.2. Left to the engine: legacy_version,
// legacy_session_id_echo matching ours, legacy_compression_method == 0 (§4.1.3), the cipher
// suite and version being ones we offered, check_extensions_offered, the downgrade sentinels.
// A ServerHello without extensions → decode_error (extensions<6..2^16-1>).
Result<ServerHello> parse_server_hello(std::span<const std::uint8_t> body);

// The body (without the handshake header).
std::vector<std::uint8_t> encode_server_hello(const ServerHello& hello);

}  // namespace duplex::tls
