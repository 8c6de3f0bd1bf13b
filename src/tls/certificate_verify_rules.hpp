// Private to src/tls: RFC 8446 §4.4.3 CertificateVerify for both roles: the signed content,
// which schemes may sign it, choosing ours, and checking the peer's.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/signature.hpp"
#include "duplex/tls/certificate_verify.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/signature_scheme.hpp"

namespace duplex::tls::detail {

// RFC 8446 §4.4.3: "The context string for a server signature is "TLS 1.3, server
// CertificateVerify". The context string for a client signature is "TLS 1.3, client
// CertificateVerify"."
inline constexpr std::string_view kServerContextString = "TLS 1.3, server CertificateVerify";
inline constexpr std::string_view kClientContextString = "TLS 1.3, client CertificateVerify";

enum class Signer : std::uint8_t { server, client };

// RFC 8446 §4.4.3: 64 spaces (0x20), the context string, a single 0 byte, then the transcript hash.
std::vector<std::uint8_t> signed_content(std::string_view context_string, const crypto::Digest& transcript_hash);
std::vector<std::uint8_t> signed_content(Signer signer, const crypto::Digest& transcript_hash);

// Whether `scheme` may sign a TLS 1.3 CertificateVerify: one we implement, not RSASSA-PKCS1-v1_5
// and not SHA-1 (RFC 8446 §4.2.3, §4.4.3).
bool usable_in_certificate_verify(SignatureScheme scheme);

// The scheme of our CertificateVerify: the first of `ours` that the peer's signature_algorithms
// lists, that fits our key and that CertificateVerify allows; nullopt when there is none.
std::optional<SignatureScheme> choose_signature_scheme(std::span<const SignatureScheme> ours,
                                                       std::span<const SignatureScheme> peers,
                                                       crypto::KeyType key_type);

// The peer's CertificateVerify over `transcript_hash` (ClientHello..Certificate), by the key of its
// end-entity certificate. A scheme we did not offer, or not usable in CertificateVerify →
// illegal_parameter; one that does not fit the key → illegal_parameter; a signature that does
// not verify → decrypt_error.
Status check_certificate_verify(const CertificateVerify& message, const crypto::PublicKey& key,
                                std::span<const SignatureScheme> offered, const crypto::Digest& transcript_hash,
                                Signer signer);

}  // namespace duplex::tls::detail
