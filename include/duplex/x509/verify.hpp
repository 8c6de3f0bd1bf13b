// Certificate path building and validation (RFC 5280 §6) with host name checks (RFC 9525), in the
// manner of webpki: the time is an argument, the work is bounded, every alternative issuer is
// tried, and every failure names its reason and the certificate it concerns.
//
//   std::vector<std::vector<std::uint8_t>> chain = ...;  // leaf first, as TLS sends it
//   auto roots = x509::TrustStore::system();
//   auto path = x509::verify_certificate_chain(chain, {
//       .roots = &*roots, .peer_name = "www.example.com", .time = now_unix_seconds});
//   if (!path) log(path.error().message());   // "certificate 0 (CN=www.example.com) has expired ..."
//
// What is checked, per certificate of the path (index 0 = the leaf, the last = the trust anchor):
//   - it parses (strict DER), is v3, has a positive serial of at most 20 octets, a non-empty
//     issuer, and no critical extension we do not process (RFC 5280 §4.2);
//   - the extension profile of RFC 5280 §4.2.1 as pyca/cryptography and webpki enforce it
//     (on trust anchors only with strict_trust_anchors):
//     AKI present (unless self-signed), non-critical, with a keyIdentifier only; SKI non-critical
//     and present on CAs; BasicConstraints critical on CAs; keyUsage and cA consistent; AIA
//     non-critical; nameConstraints only on CAs; a SAN critical exactly when the subject is empty;
//   - its validity period contains the time (notBefore <= time <= notAfter, RFC 5280 §4.1.2.5);
//   - its public key is RSA of >= 2048 bits (a multiple of 8), P-256, P-384 or Ed25519;
//   - issuers: the signature below verifies with their key (SHA-1 and MD5 refused),
//     BasicConstraints cA, pathLenConstraint (self-issued intermediates not counted),
//     keyUsage keyCertSign where keyUsage is present, EKU (where present) compatible with the
//     purpose, nameConstraints applied to every name below (SAN entries and subject DNs);
//   - the leaf: EKU (where present) holds the purpose, keyUsage (where present) has
//     digitalSignature, and the peer name matches a SAN (the CN only with
//     allow_common_name_fallback, and never when a SAN exists). A leaf that is itself in the
//     trust store is trusted as it is (a pinned self-signed certificate), its own rules applied.
//   - revocation against the CRLs the caller supplies (VerifyOptions::crls).
// Not yet: fetching CRLs, OCSP, and certificate policies (a critical policy extension makes the
// certificate unusable).
//
// The TLS engine maps VerifyReason to an alert (RFC 8446 §6.2): expired / not_yet_valid →
// certificate_expired; revoked → certificate_revoked; unknown_issuer / key_identifier_mismatch /
// path_too_long / no_trust_anchors → unknown_ca; unsupported_* → unsupported_certificate; the
// rest → bad_certificate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/util/result.hpp"
#include "duplex/x509/certificate.hpp"
#include "duplex/x509/crl.hpp"
#include "duplex/x509/trust_store.hpp"

namespace duplex::x509 {

// RFC 5280 §4.2.1.12 purposes a TLS peer's certificate is used for.
enum class Purpose : std::uint8_t { server_auth, client_auth };

// Limits on the work one verification may do, each far above what a real chain needs.
struct VerifyBudget {
  // webpki: 100 signature checks; a real path needs 2-4, cross-signing doubles that.
  std::uint32_t signatures = 100;
  // Candidate issuers considered over all paths (webpki bounds chain-building calls at 200,000;
  // we stop far earlier because each consideration may cost a signature).
  std::uint32_t candidates = 2000;
  // Name-constraint comparisons (webpki: 250,000), against a SAN of thousands of names under a
  // CA with thousands of subtrees (x509-limbo's nc-dos cases).
  std::uint32_t name_comparisons = 250000;
};

struct VerifyOptions {
  // The trust anchors (required: a null store trusts nothing).
  const TrustStore* roots = nullptr;
  // The name the peer must hold: a DNS name or an IP literal (IPv6 without brackets). Empty: no
  // name check (a client certificate, or a caller that checks names itself).
  std::string_view peer_name{};
  // Seconds since the Unix epoch; the verifier never reads a clock.
  std::int64_t time = 0;
  Purpose purpose = Purpose::server_auth;
  // Intermediates allowed between the leaf and the anchor, self-issued ones not counted.
  // Browsers see at most 3-4; webpki allows 6.
  std::uint32_t max_intermediates = 8;
  // RFC 8446 §4.4.2.2: a leaf's keyUsage, where present, must hold digitalSignature (the key
  // signs the handshake). Off only to verify certificates that are not used to sign.
  bool require_digital_signature = true;
  // Check trust anchors against the issuance profile too (AKI form, SKI present, critical
  // basicConstraints, non-critical SKI/AIA), as x509-limbo expects. Off by default: an anchor is
  // trusted for being in the store, and system stores hold older roots that break those rules
  // (QuoVadis Root CA 2, TWCA Global Root CA, Chunghwa ePKI). Validity, cA, keyUsage, keys,
  // critical extensions and name constraints are checked on anchors either way.
  bool strict_trust_anchors = false;
  // Record every candidate path tried (VerificationError::attempts, VerifiedPath::attempts).
  bool explain = false;
  // LEGACY, INSECURE FOR NEW DEPLOYMENTS: match the DNS name against the subject's common names
  // when the certificate has no subjectAltName at all (RFC 9525 §6.4.4 forbids it by default).
  bool allow_common_name_fallback = false;
  // CRLs the caller has (nothing is fetched). A certificate whose issuer has a CRL here is
  // checked against it (RFC 5280 §6.3): the CRL must be signed by that issuer (cRLSign where
  // keyUsage is present), current, with a non-critical cRLNumber and no critical extension we
  // do not process (delta CRLs, issuingDistributionPoint). Without a CRL for an issuer, the
  // certificates it issued are not checked for revocation.
  std::span<const CertificateRevocationList> crls{};
  VerifyBudget budget{};
};

// Why a certificate, or the whole verification, failed.
enum class VerifyReason : std::uint8_t {
  malformed_certificate,           // not DER, or an extension that does not decode
  unsupported_version,             // not v3
  bad_serial_number,               // zero, negative or longer than 20 octets
  unsupported_critical_extension,  // RFC 5280 §4.2: a critical extension we do not process
  invalid_extension,               // an extension breaks RFC 5280 §4.2.1's profile (criticality...)
  empty_name,                      // an empty issuer, or an empty subject on a CA
  unsupported_public_key,          // a key type, curve or encoding we do not accept (DSA, P-192...)
  weak_public_key,                 // RSA under 2048 bits, or not a whole number of bytes
  unsupported_signature_algorithm, // an algorithm we do not implement, or parameters we refuse
  weak_signature_algorithm,        // SHA-1 or MD5
  bad_signature,                   // the issuer's key does not verify the signature
  expired,                         // time > notAfter
  not_yet_valid,                   // time < notBefore
  not_a_ca,                        // an issuer without BasicConstraints cA
  path_len_exceeded,               // an issuer's pathLenConstraint is exceeded
  key_usage_missing,               // keyCertSign (issuers) or digitalSignature (leaf) missing
  extended_key_usage_missing,      // the EKU does not allow the purpose
  name_constraint_violated,        // a name below a CA is outside its permitted or in its excluded subtrees
  name_mismatch,                   // the peer name matches no SAN
  invalid_peer_name,               // the peer name asked for is neither a DNS name nor an IP address
  unknown_issuer,                  // no candidate issuer, in the chain or the trust store
  path_too_long,                   // more intermediates than max_intermediates
  key_identifier_mismatch,         // the AKI's keyIdentifier differs from the issuer's SKI
  revoked,                         // listed on its issuer's CRL
  invalid_crl,                     // its issuer's CRL cannot be used (stale, wrong key usage, ...)
  budget_exhausted,                // the work budget ran out (fatal: no further path is tried)
  no_trust_anchors,                // the trust store is missing or empty
  empty_chain,                     // no leaf certificate was given
};

std::string_view to_string(VerifyReason reason);  // "expired", "unknown_issuer", ...

// One candidate path that was tried (leaf first), and why it failed.
struct PathAttempt {
  std::vector<std::string> subjects;  // the subjects of the path as far as it was built
  VerifyReason reason = VerifyReason::unknown_issuer;
  std::size_t certificate_index = 0;  // which certificate of `subjects` the reason concerns
  std::string detail;                 // the sentence for that certificate
};

struct VerificationError {
  VerifyReason reason = VerifyReason::unknown_issuer;
  std::size_t certificate_index = 0;  // 0 = the leaf; counts along the path that failed
  std::string subject;                // that certificate's subject, "" when none applies
  std::string detail;                 // a sentence about the certificate
  std::vector<PathAttempt> attempts;  // every path tried, when VerifyOptions::explain

  // "certificate 1 (CN=Example CA) has expired: notAfter 2024-04-01T00:00:00Z is before the
  // verification time 2024-04-01T00:00:01Z"
  std::string message() const;
};

struct VerifiedPath {
  std::vector<Certificate> certificates;  // leaf first, the trust anchor last
  std::vector<PathAttempt> attempts;      // the paths that failed before this one, when explain
};

// Builds and validates a path from der_chain[0] (the leaf) to an anchor of options.roots, taking
// candidate issuers from der_chain[1..] (in any order, extras allowed) and the trust store.
Result<VerifiedPath, VerificationError> verify_certificate_chain(
    std::span<const std::vector<std::uint8_t>> der_chain, const VerifyOptions& options);

// The same with parsed certificates.
Result<VerifiedPath, VerificationError> verify_certificate_chain(
    const Certificate& leaf, std::span<const Certificate> intermediates, const VerifyOptions& options);

// ISO 8601 UTC text of a Unix time, "2024-04-01T00:00:00Z", for messages.
std::string format_time(std::int64_t unix_seconds);

}  // namespace duplex::x509
