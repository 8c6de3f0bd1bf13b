// RFC 8446 §4.2.3 signature schemes.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum: peers list schemes we do not implement; they are kept and skipped.
enum class SignatureScheme : std::uint16_t {
  rsa_pkcs1_sha256 = 0x0401,
  rsa_pkcs1_sha384 = 0x0501,
  rsa_pkcs1_sha512 = 0x0601,
  ecdsa_secp256r1_sha256 = 0x0403,
  ecdsa_secp384r1_sha384 = 0x0503,
  ecdsa_secp521r1_sha512 = 0x0603,
  rsa_pss_rsae_sha256 = 0x0804,
  rsa_pss_rsae_sha384 = 0x0805,
  rsa_pss_rsae_sha512 = 0x0806,
  ed25519 = 0x0807,
  ed448 = 0x0808,
  rsa_pss_pss_sha256 = 0x0809,
  rsa_pss_pss_sha384 = 0x080a,
  rsa_pss_pss_sha512 = 0x080b,
  rsa_pkcs1_sha1 = 0x0201,   // legacy: certificates only
  ecdsa_sha1 = 0x0203,       // legacy: certificates only
};

// "ecdsa_secp256r1_sha256" or "0x0202".
std::string to_string(SignatureScheme scheme);

}  // namespace duplex::tls
