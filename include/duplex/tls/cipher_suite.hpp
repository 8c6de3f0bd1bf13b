// RFC 8446 §B.4 cipher suites.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum: a ClientHello lists TLS 1.2 suites and GREASE values too; they are kept.
enum class CipherSuite : std::uint16_t {
  tls_aes_128_gcm_sha256 = 0x1301,
  tls_aes_256_gcm_sha384 = 0x1302,
  tls_chacha20_poly1305_sha256 = 0x1303,
};

// "TLS_AES_128_GCM_SHA256" or "0xc02b".
std::string to_string(CipherSuite suite);

}  // namespace duplex::tls
