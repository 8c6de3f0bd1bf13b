#include "duplex/tls/cipher_suite.hpp"

#include "hex_name.hpp"

namespace duplex::tls {

std::string to_string(CipherSuite suite) {
  switch (suite) {
    case CipherSuite::tls_aes_128_gcm_sha256: return "TLS_AES_128_GCM_SHA256";
    case CipherSuite::tls_aes_256_gcm_sha384: return "TLS_AES_256_GCM_SHA384";
    case CipherSuite::tls_chacha20_poly1305_sha256: return "TLS_CHACHA20_POLY1305_SHA256";
    case CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256: return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    case CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384: return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
    case CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256:
      return "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
    case CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256: return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    case CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384: return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
    case CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256: return "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
    case CipherSuite::tls_rsa_with_aes_128_gcm_sha256: return "TLS_RSA_WITH_AES_128_GCM_SHA256";
    case CipherSuite::tls_rsa_with_aes_256_gcm_sha384: return "TLS_RSA_WITH_AES_256_GCM_SHA384";
    case CipherSuite::tls_empty_renegotiation_info_scsv: return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
    case CipherSuite::tls_fallback_scsv: return "TLS_FALLBACK_SCSV";
  }
  return hex_name(static_cast<std::uint16_t>(suite), 4);
}

}  // namespace duplex::tls
