// Issuing X.509 v3 certificates (RFC 5280 §4.1) with our DER writer and the crypto provider's
// signatures: development CAs, the server certificates they sign, and test certificates.
//
//   auto ca_key = crypto::PrivateKey::generate(crypto::KeyType::ecdsa_p256);
//   auto ca = x509::self_signed_certificate({.subject_key = ca_key->public_key(),
//                                            .common_name = "Example CA", .not_before = now,
//                                            .not_after = now + 3650 * 86400, .ca = true,
//                                            .path_len = 0}, *ca_key);
//   auto issuer = x509::issuer_from_certificate(*x509::parse_certificate(*ca), *ca_key);
//   auto leaf = x509::issue_certificate({.subject_key = leaf_key->public_key(), ...,
//                                        .dns_names = {"localhost"},
//                                        .extended_key_usage = {x509::oid::kp_server_auth}}, *issuer);
//
// What every certificate gets (the profile of RFC 5280 §4.1 and §4.2 for a small private PKI):
//   version v3; a random positive 16-byte serial unless one is given; the signature algorithm
//   the issuer's key implies; basicConstraints (critical; an empty SEQUENCE, cA FALSE, on
//   leaves, so no verifier can take a leaf for a CA); keyUsage (critical):
//   keyCertSign | cRLSign on CAs, digitalSignature on leaves; subjectKeyIdentifier; the
//   authorityKeyIdentifier's keyIdentifier unless self-signed; subjectAltName when names are
//   given (critical when the subject is empty); extendedKeyUsage when purposes are given.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/crypto/signature.hpp"
#include "duplex/util/result.hpp"
#include "duplex/x509/certificate.hpp"
#include "duplex/x509/der.hpp"

namespace duplex::x509 {

// An iPAddress of subjectAltName (RFC 5280 §4.2.1.6): 4 octets for IPv4, 16 for IPv6, in network
// byte order.
struct IpAddress {
  std::vector<std::uint8_t> octets{};

  // "127.0.0.1", "::1", "2001:db8::1"; nullopt for anything else (brackets, zone ids, ports).
  static std::optional<IpAddress> parse(std::string_view text);
};

// What the certificate says about its subject. The issuer signs it as given.
struct CertificateRequest {
  crypto::PublicKey subject_key;  // the key being certified (no default: it is the point)

  // The subject Name, as O then CN (UTF8String each); an attribute left empty is omitted.
  // RFC 5280 §4.1.2.6: a CA's subject must not be empty; a leaf's may be when it has SAN names.
  std::string common_name{};
  std::string organization{};

  // Big-endian magnitude of a positive serial of at most 20 octets (RFC 5280 §4.1.2.2); empty
  // picks 16 random bytes, the top bit cleared so the INTEGER is positive and 16 octets long.
  std::vector<std::uint8_t> serial{};

  // Validity (RFC 5280 §4.1.2.5), seconds since the Unix epoch, both inclusive.
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;

  // subjectAltName entries (RFC 5280 §4.2.1.6): DNS names as written (IA5, lower case is
  // conventional), then the addresses.
  std::vector<std::string> dns_names{};
  std::vector<IpAddress> ip_addresses{};

  // basicConstraints (RFC 5280 §4.2.1.9). path_len needs ca.
  bool ca = false;
  std::optional<std::uint32_t> path_len{};

  // extendedKeyUsage purposes (RFC 5280 §4.2.1.12), constants of oid.hpp such as
  // oid::kp_server_auth; none means no extension (any purpose).
  std::vector<der::Oid> extended_key_usage{};
};

// Who signs: the issuer's subject Name (DER, copied into the certificate's issuer field), its
// private key, and its subjectKeyIdentifier (the new certificate's authorityKeyIdentifier).
struct CertificateIssuer {
  std::vector<std::uint8_t> name_der;
  crypto::PrivateKey key;
  std::vector<std::uint8_t> key_identifier;
};

enum class IssueError : std::uint8_t {
  bad_validity,         // not_after before not_before, or a time outside years 0-9999
  bad_serial,           // a given serial that is zero or longer than 20 octets (§4.1.2.2)
  bad_name,             // an empty subject where one is required (a CA, a self-signed certificate)
  bad_dns_name,         // an empty dNSName or one with a byte outside IA5 (ASCII)
  bad_ip_address,       // an address of other than 4 or 16 octets
  bad_basic_constraints,  // path_len without ca (§4.2.1.9)
  key_mismatch,         // the signing key is not the key of the issuer's certificate / the subject
  not_a_ca,             // the issuer's certificate does not assert cA (§4.2.1.9)
  signing_failed,       // the crypto provider could not sign
};

std::string_view to_string(IssueError error);

struct IssueFailure {
  IssueError code = IssueError::signing_failed;
  std::string message;  // a sentence: "the certificate's pathLenConstraint needs cA"
};

// `request` signed by `issuer`: the DER of the certificate.
Result<std::vector<std::uint8_t>, IssueFailure> issue_certificate(const CertificateRequest& request,
                                                                  const CertificateIssuer& issuer);

// `request` signed by `key`, which must be the private key of request.subject_key. The issuer
// is the subject; no authorityKeyIdentifier (RFC 5280 §4.2.1.1 allows leaving it out there).
Result<std::vector<std::uint8_t>, IssueFailure> self_signed_certificate(const CertificateRequest& request,
                                                                        const crypto::PrivateKey& key);

// The issuer for certificates signed by `ca` with `key`: key_mismatch if `key` is not the
// certificate's key, not_a_ca if it lacks basicConstraints cA. The key identifier is the
// certificate's subjectKeyIdentifier, or key_identifier() of its key when it has none.
Result<CertificateIssuer, IssueFailure> issuer_from_certificate(const Certificate& ca, crypto::PrivateKey key);

// RFC 7093 §2 method 1: the leftmost 160 bits of the SHA-256 of the subjectPublicKey BIT
// STRING's value (tag, length and unused-bits octet excluded). What subjectKeyIdentifier gets.
std::vector<std::uint8_t> key_identifier(const crypto::PublicKey& key);

// The Name DER this builder writes for `common_name` and `organization` (O then CN, each left
// out when empty); bad_name for text that is not UTF-8.
Result<std::vector<std::uint8_t>, IssueFailure> encode_name(std::string_view common_name,
                                                            std::string_view organization = {});

}  // namespace duplex::x509
