// Cipher suites: TLS 1.3's (RFC 8446 §B.4), the TLS 1.2 AEAD suites we implement (RFC 5289,
// RFC 5288, RFC 7905), and the signalling values a TLS 1.2 ClientHello may carry.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum: a ClientHello lists TLS 1.2 suites and GREASE values too; they are kept.
enum class CipherSuite : std::uint16_t {
  tls_aes_128_gcm_sha256 = 0x1301,
  tls_aes_256_gcm_sha384 = 0x1302,
  tls_chacha20_poly1305_sha256 = 0x1303,
  // TLS 1.2: ECDHE with an ECDSA or RSA certificate (RFC 5289 §3.2, RFC 7905 §2).
  tls_ecdhe_ecdsa_with_aes_128_gcm_sha256 = 0xc02b,
  tls_ecdhe_ecdsa_with_aes_256_gcm_sha384 = 0xc02c,
  tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256 = 0xcca9,
  tls_ecdhe_rsa_with_aes_128_gcm_sha256 = 0xc02f,
  tls_ecdhe_rsa_with_aes_256_gcm_sha384 = 0xc030,
  tls_ecdhe_rsa_with_chacha20_poly1305_sha256 = 0xcca8,
  // TLS 1.2 RSA key transport (RFC 5288 §3): no forward secrecy, off unless asked for.
  tls_rsa_with_aes_128_gcm_sha256 = 0x009c,
  tls_rsa_with_aes_256_gcm_sha384 = 0x009d,
  // Signalling cipher suite values, never chosen: RFC 5746 §3.3 and RFC 7507 §2.
  tls_empty_renegotiation_info_scsv = 0x00ff,
  tls_fallback_scsv = 0x5600,
};

// "TLS_AES_128_GCM_SHA256" or "0xc02b".
std::string to_string(CipherSuite suite);

}  // namespace duplex::tls
