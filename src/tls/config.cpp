#include "duplex/tls/config.hpp"

namespace duplex::tls {

// RFC 8446 §9.1: "MUST support rsa_pkcs1_sha256 (for certificates), rsa_pss_rsae_sha256 (for
// CertificateVerify and certificates), and ecdsa_secp256r1_sha256". ECDSA and Ed25519 first: the
// shortest signatures, the cheapest to verify. rsa_pkcs1_* last and for certificates only (§4.2.3:
// "RSASSA-PKCS1-v1_5 ... refer solely to signatures which appear in certificates ... and are not
// defined for use in signed TLS handshake messages"); the handshakes never sign or accept them
// in CertificateVerify.
std::vector<SignatureScheme> default_signature_schemes() {
  return {SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384,
          SignatureScheme::ed25519,                SignatureScheme::rsa_pss_rsae_sha256,
          SignatureScheme::rsa_pss_rsae_sha384,    SignatureScheme::rsa_pss_rsae_sha512,
          SignatureScheme::rsa_pkcs1_sha256,       SignatureScheme::rsa_pkcs1_sha384,
          SignatureScheme::rsa_pkcs1_sha512};
}

}  // namespace duplex::tls
