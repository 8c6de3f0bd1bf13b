// Private to src/tls: the client's side of RFC 8446 §4.4.3 CertificateVerify: checking the
// server's signature, and choosing the scheme of our own when a server asks for a certificate.
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

namespace duplex::tls::detail::client {

// RFC 8446 §4.4.3: "The context string for a server signature is "TLS 1.3, server
// CertificateVerify". The context string for a client signature is "TLS 1.3, client
// CertificateVerify"."
inline constexpr std::string_view kServerContextString = "TLS 1.3, server CertificateVerify";
inline constexpr std::string_view kClientContextString = "TLS 1.3, client CertificateVerify";

// RFC 8446 §4.4.3: 64 spaces (0x20), the context string, a single 0 byte, then the transcript hash.
std::vector<std::uint8_t> signed_content(std::string_view context_string, const crypto::Digest& transcript_hash);

// Whether `scheme` may sign a TLS 1.3 CertificateVerify: one we implement, not RSASSA-PKCS1-v1_5
// and not SHA-1 (RFC 8446 §4.4.3).
bool usable_in_certificate_verify(SignatureScheme scheme);

// The server's CertificateVerify over `transcript_hash` (ClientHello..Certificate), by the key of
// its end-entity certificate. A scheme we did not offer, or not usable in CertificateVerify →
// illegal_parameter; one that does not fit the key → illegal_parameter; a signature that does
// not verify → decrypt_error.
Status check_server_signature(const CertificateVerify& message, const crypto::PublicKey& server_key,
                              std::span<const SignatureScheme> offered, const crypto::Digest& transcript_hash);

// The scheme our CertificateVerify uses when the server asked for a certificate: the first of
// ours that the server's signature_algorithms lists, that fits our key and that CertificateVerify
// allows; nullopt when there is none (we then send no certificate, RFC 8446 §4.4.2).
std::optional<SignatureScheme> choose_client_signature_scheme(std::span<const SignatureScheme> ours,
                                                              std::span<const SignatureScheme> servers,
                                                              crypto::KeyType key_type);

}  // namespace duplex::tls::detail::client
