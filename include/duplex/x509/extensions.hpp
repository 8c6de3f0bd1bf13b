// The certificate extensions of RFC 5280 §4.2 that path validation and name checks use, decoded
// from the (OID, critical, value) triples of Certificate::extensions.
//
//   auto decoded = x509::decode_extensions(certificate);
//   if (!decoded) ... decoded.error().message()
//   if (decoded->basic_constraints && decoded->basic_constraints->ca) ...
//   if (!decoded->unsupported_critical.empty()) ... the certificate is unusable (RFC 5280 §4.2)
//
// Spans point into the certificate's DER, like the Certificate's own.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "duplex/util/result.hpp"
#include "duplex/x509/certificate.hpp"
#include "duplex/x509/general_name.hpp"

namespace duplex::x509 {

// RFC 5280 §4.2.1.9: BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
//                                                    pathLenConstraint INTEGER (0..MAX) OPTIONAL }
struct BasicConstraints {
  bool ca = false;
  std::optional<std::uint32_t> path_len;
};

// RFC 5280 §4.2.1.3: KeyUsage ::= BIT STRING, bits named in this order.
enum class KeyUsageBit : std::uint8_t {
  digital_signature = 0,
  non_repudiation = 1,  // contentCommitment
  key_encipherment = 2,
  data_encipherment = 3,
  key_agreement = 4,
  key_cert_sign = 5,
  crl_sign = 6,
  encipher_only = 7,
  decipher_only = 8,
};

struct KeyUsage {
  std::uint16_t bits = 0;  // bit i set when KeyUsageBit i is asserted
  bool has(KeyUsageBit bit) const { return (bits >> static_cast<unsigned>(bit)) & 1; }
};

// RFC 5280 §4.2.1.12: ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
struct ExtendedKeyUsage {
  std::vector<der::Oid> purposes;
  bool contains(der::Oid purpose) const;
};

// RFC 5280 §4.2.1.10: subtrees are GeneralNames (minimum 0 and no maximum, checked when decoded).
// An absent list (nullopt) constrains nothing; a present one is never empty.
struct NameConstraints {
  std::optional<std::vector<GeneralName>> permitted;
  std::optional<std::vector<GeneralName>> excluded;
};

// RFC 5280 §4.2.1.1: AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL,
//   authorityCertIssuer [1] OPTIONAL, authorityCertSerialNumber [2] OPTIONAL }
struct AuthorityKeyIdentifier {
  std::optional<std::span<const std::uint8_t>> key_identifier;
  bool has_authority_cert_issuer = false;
  bool has_authority_cert_serial = false;
};

// RFC 5280 §4.2.1.13: a DistributionPoint, only its parts a CRL fetcher needs.
struct DistributionPoint {
  std::vector<GeneralName> full_name;  // distributionPoint [0] fullName [0]
  bool has_relative_name = false;      // distributionPoint [0] nameRelativeToCRLIssuer [1]
  bool has_reasons = false;
  std::vector<GeneralName> crl_issuer;
};

// RFC 5280 §4.2.2.1: AccessDescription ::= SEQUENCE { accessMethod, accessLocation GeneralName }
struct AccessDescription {
  der::Oid method;  // id-ad-caIssuers, id-ad-ocsp
  GeneralName location;
};

// RFC 5280 §4.2.1.4: PolicyInformation (qualifiers kept as DER, not interpreted).
struct PolicyInformation {
  der::Oid policy;
  std::span<const std::uint8_t> qualifiers;  // the policyQualifiers SEQUENCE's DER, or empty
};

// Every extension this layer understands, decoded, and the critical ones it does not.
struct Extensions {
  std::optional<std::vector<GeneralName>> subject_alt_names;
  std::optional<BasicConstraints> basic_constraints;
  std::optional<KeyUsage> key_usage;
  std::optional<ExtendedKeyUsage> extended_key_usage;
  std::optional<NameConstraints> name_constraints;
  std::optional<AuthorityKeyIdentifier> authority_key_identifier;
  std::optional<std::span<const std::uint8_t>> subject_key_identifier;
  std::optional<std::vector<DistributionPoint>> crl_distribution_points;
  std::optional<std::vector<AccessDescription>> authority_info_access;
  std::optional<std::vector<PolicyInformation>> certificate_policies;
  // RFC 5280 §4.2: "A certificate-using system MUST reject the certificate if it encounters a
  // critical extension it does not recognize or a critical extension that contains information
  // that it cannot process." Policy mappings, policy constraints and inhibitAnyPolicy land here
  // when critical: we do not process certificate policies.
  std::vector<der::Oid> unsupported_critical;
};

// Decodes every extension of `certificate`; the first malformed one is the error.
Result<Extensions, ExtensionParseError> decode_extensions(const Certificate& certificate);

// The single extensions, from an extnValue.
Result<BasicConstraints, ExtensionParseError> parse_basic_constraints(std::span<const std::uint8_t> der);
Result<KeyUsage, ExtensionParseError> parse_key_usage(std::span<const std::uint8_t> der);
Result<ExtendedKeyUsage, ExtensionParseError> parse_extended_key_usage(std::span<const std::uint8_t> der);
Result<NameConstraints, ExtensionParseError> parse_name_constraints(std::span<const std::uint8_t> der);
Result<AuthorityKeyIdentifier, ExtensionParseError> parse_authority_key_identifier(std::span<const std::uint8_t> der);
Result<std::span<const std::uint8_t>, ExtensionParseError> parse_subject_key_identifier(std::span<const std::uint8_t> der);
Result<std::vector<DistributionPoint>, ExtensionParseError> parse_crl_distribution_points(std::span<const std::uint8_t> der);
Result<std::vector<AccessDescription>, ExtensionParseError> parse_authority_info_access(std::span<const std::uint8_t> der);
Result<std::vector<PolicyInformation>, ExtensionParseError> parse_certificate_policies(std::span<const std::uint8_t> der);

}  // namespace duplex::x509
