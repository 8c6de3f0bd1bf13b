// How a TLS endpoint decides to trust its peer's certificate chain: the engine hands the chain it
// received, the name it expects and the time to a CertificateVerifier, and aborts the handshake
// with the alert the verifier returns.
//
// Verification is on unless the user says otherwise by name: a ClientConfig without a verifier
// fails every handshake (it never accepts silently), and the only verifier that accepts anything
// is called insecure_no_verification().
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/tls/error.hpp"

namespace duplex::tls {

// Which end the chain authenticates (RFC 5280 §4.2.1.12's serverAuth / clientAuth).
enum class CertificatePurpose : std::uint8_t { server_auth, client_auth };

struct PeerCertificates {
  std::span<const std::vector<std::uint8_t>> chain;  // DER, end-entity first, as the peer sent them
  std::string_view peer_name;  // the server name the client connects to (DNS name or IP literal); empty for client certs
  std::int64_t now = 0;        // seconds since the Unix epoch
  CertificatePurpose purpose = CertificatePurpose::server_auth;
};

class CertificateVerifier {
 public:
  virtual ~CertificateVerifier() = default;
  // Ok when the chain is trusted for peer_name at `now`. Otherwise the alert to send (RFC 8446
  // §6.2: bad_certificate, unsupported_certificate, certificate_expired, unknown_ca...) and a
  // sentence that names the certificate and the cause.
  virtual Status verify(const PeerCertificates& peer) const = 0;
  // The DER subject Names of the roots this verifier trusts, which a server names in its
  // CertificateRequest (RFC 5246 §7.4.4 certificate_authorities) so a client with several
  // certificates can choose; empty when it names none (a pin, or too many roots to list).
  virtual std::vector<std::vector<std::uint8_t>> acceptable_issuers() const { return {}; }
};

using Sha256 = std::array<std::uint8_t, 32>;

// Trusts a chain whose end-entity SubjectPublicKeyInfo hashes (SHA-256, RFC 7469 §2.4) to one of
// `pins`, whatever its issuer, names or dates: the pin is the trust decision. Anything else gets
// bad_certificate.
std::shared_ptr<const CertificateVerifier> pin_spki_sha256(std::vector<Sha256> pins);

// Accepts every chain without looking at it. The handshake still proves the peer holds the key
// of the certificate it sent (CertificateVerify), but nothing says whose key that is: anyone on
// the path can stand in for the server. For tests and debugging only.
std::shared_ptr<const CertificateVerifier> insecure_no_verification();

// The SHA-256 of the end-entity certificate's SubjectPublicKeyInfo (what pins and Chromium's
// --ignore-certificate-errors-spki-list name), or an error for bytes that are not a certificate.
Result<Sha256> spki_sha256(std::span<const std::uint8_t> certificate_der);

}  // namespace duplex::tls
