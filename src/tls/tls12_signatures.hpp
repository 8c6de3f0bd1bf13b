// Private to src/tls: TLS 1.2's signatures (the ServerKeyExchange's, RFC 8422 §5.4, and
// CertificateVerify's, RFC 5246 §7.4.8), for both roles: which schemes may sign, choosing ours,
// checking the peer's, and which certificate keys go with which suite.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "duplex/crypto/signature.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/signature_scheme.hpp"
#include "duplex/tls/tls12_key_schedule.hpp"

namespace duplex::tls::detail {

// One we implement and not SHA-1 (RFC 9155: SHA-1 "MUST NOT" be used in TLS 1.2 signatures).
// Unlike TLS 1.3, RSASSA-PKCS1-v1_5 is allowed (RFC 5246 §7.4.1.4.1); RSA-PSS too (RFC 8446 §4.2.3
// applies its rsa_pss_rsae schemes to TLS 1.2); Ed25519 with the ECDSA suites (RFC 8422 §5.1.3).
bool usable_in_tls12(SignatureScheme scheme);

// Whether a certificate key of `type` can authenticate `suite` (RFC 5246 §7.4.2: "appropriate for
// the negotiated cipher suite's key exchange algorithm"): RSA keys for the _RSA_ suites, ECDSA and
// Ed25519 keys for the _ECDSA_ ones (RFC 8422 §5.3).
bool key_fits_suite(const Tls12Suite& suite, crypto::KeyType type);

// Our scheme: the first of `ours` that the peer lists, that fits our key by TLS 1.2's curve rule
// (an ECDSA scheme names only its hash, RFC 5246 §7.4.1.4.1) and that TLS 1.2 allows.
std::optional<SignatureScheme> choose_tls12_signature_scheme(std::span<const SignatureScheme> ours,
                                                             std::span<const SignatureScheme> peers,
                                                             crypto::KeyType key_type);

// The peer's signature over `content` (`what` names it for the sentence): a scheme we did not
// offer or TLS 1.2 does not allow → illegal_parameter (RFC 5246 §7.4.1.4.1: it "MUST" be one
// offered); one that does not fit the key → illegal_parameter; a signature that does not verify →
// decrypt_error (RFC 5246 §7.2.2).
Status check_tls12_signature(std::string_view what, SignatureScheme scheme, std::span<const std::uint8_t> signature,
                             const crypto::PublicKey& key, std::span<const SignatureScheme> offered,
                             std::span<const std::uint8_t> content);

}  // namespace duplex::tls::detail
