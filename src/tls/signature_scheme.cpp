#include "duplex/tls/signature_scheme.hpp"

#include "hex_name.hpp"

namespace duplex::tls {

std::string to_string(SignatureScheme scheme) {
  using enum SignatureScheme;
  switch (scheme) {
    case rsa_pkcs1_sha256: return "rsa_pkcs1_sha256";
    case rsa_pkcs1_sha384: return "rsa_pkcs1_sha384";
    case rsa_pkcs1_sha512: return "rsa_pkcs1_sha512";
    case ecdsa_secp256r1_sha256: return "ecdsa_secp256r1_sha256";
    case ecdsa_secp384r1_sha384: return "ecdsa_secp384r1_sha384";
    case ecdsa_secp521r1_sha512: return "ecdsa_secp521r1_sha512";
    case rsa_pss_rsae_sha256: return "rsa_pss_rsae_sha256";
    case rsa_pss_rsae_sha384: return "rsa_pss_rsae_sha384";
    case rsa_pss_rsae_sha512: return "rsa_pss_rsae_sha512";
    case ed25519: return "ed25519";
    case ed448: return "ed448";
    case rsa_pss_pss_sha256: return "rsa_pss_pss_sha256";
    case rsa_pss_pss_sha384: return "rsa_pss_pss_sha384";
    case rsa_pss_pss_sha512: return "rsa_pss_pss_sha512";
    case rsa_pkcs1_sha1: return "rsa_pkcs1_sha1";
    case ecdsa_sha1: return "ecdsa_sha1";
  }
  return hex_name(static_cast<std::uint16_t>(scheme), 4);
}

}  // namespace duplex::tls
