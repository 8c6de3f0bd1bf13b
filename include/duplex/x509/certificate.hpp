// The X.509 certificate (RFC 5280 §4.1), parsed from DER into its fields. Extensions are kept
// as (OID, critical, value) for now; decoding each one comes with path validation.
//
//   auto certificate = x509::parse_certificate(der_bytes);
//   if (!certificate) std::puts(certificate.error().message().c_str());
//   certificate->subject.text   // "C=DE, O=Example Co, CN=www.example.com"
//
// A Certificate owns a copy of its DER; every span in it points into that copy, which copies of
// the Certificate share (it is immutable), so the spans stay valid as long as any copy lives.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "duplex/util/result.hpp"
#include "duplex/x509/der.hpp"

namespace duplex::x509 {

enum class CertificateError : std::uint8_t {
  malformed,                     // a field is not the DER it should be (see der_error)
  unsupported_version,           // not v1 or v3 (v2, or a version number past v3)
  extensions_without_v3,         // extensions or unique identifiers in a v1 certificate
  empty_extensions,              // an extensions field with no extension (SIZE (1..MAX))
  duplicate_extension,           // the same extension OID twice (RFC 5280 §4.2)
  signature_algorithm_mismatch,  // signatureAlgorithm differs from tbsCertificate.signature
  empty_rdn,                     // a RelativeDistinguishedName with no attribute
};

struct CertificateParseError {
  CertificateError code = CertificateError::malformed;
  der::DerError der_error = der::DerError::truncated;  // meaningful when code is malformed
  std::string_view field;                              // "tbsCertificate.validity", ...

  // "the certificate's tbsCertificate.validity is malformed: a time is not in its DER form..."
  std::string message() const;
};

// Departures from RFC 5280 that verifiers tolerate when parsing, recorded so that a stricter
// policy (or a lint) can refuse them later.
enum class Lint : std::uint8_t {
  serial_not_positive,       // §4.1.2.2: "MUST be a positive integer"
  serial_too_long,           // §4.1.2.2: "MUST NOT use serialNumber values longer than 20 octets"
  version_v1_encoded,        // X.690 §11.5: the DEFAULT v1 should be absent, not encoded
  critical_false_encoded,    // X.690 §11.5: critical DEFAULT FALSE encoded as FALSE
};

struct AlgorithmIdentifier {
  der::Oid algorithm;
  std::span<const std::uint8_t> parameters;  // the parameters element's DER, empty when absent
  std::span<const std::uint8_t> der;         // the whole AlgorithmIdentifier
};

struct Name {
  std::span<const std::uint8_t> der;  // the whole RDNSequence: names compare by these bytes
  std::string text;                   // "C=DE, O=Example Co, CN=www.example.com"
};

struct Extension {
  der::Oid oid;
  bool critical = false;
  std::span<const std::uint8_t> value;  // the extnValue OCTET STRING's contents (DER itself)
};

struct SubjectPublicKeyInfo {
  AlgorithmIdentifier algorithm;
  der::BitString public_key;
  std::span<const std::uint8_t> der;  // the whole SubjectPublicKeyInfo
};

struct Certificate {
  std::shared_ptr<const std::vector<std::uint8_t>> storage;  // the DER every span points into

  std::span<const std::uint8_t> der;  // the whole certificate
  std::span<const std::uint8_t> tbs;  // tbsCertificate, the signed bytes
  int version = 3;                    // 1 or 3
  std::span<const std::uint8_t> serial;  // the INTEGER's contents (two's complement)
  AlgorithmIdentifier signature;      // tbsCertificate.signature
  Name issuer;
  Name subject;
  std::int64_t not_before = 0;        // seconds since the Unix epoch
  std::int64_t not_after = 0;
  SubjectPublicKeyInfo subject_public_key_info;
  std::vector<Extension> extensions;  // in certificate order
  AlgorithmIdentifier signature_algorithm;  // Certificate.signatureAlgorithm
  der::BitString signature_value;
  std::vector<Lint> lints;

  // The extension with `oid`, if present.
  const Extension* find_extension(der::Oid oid) const;
  bool has_lint(Lint lint) const;
};

// Parses one DER certificate (nothing may follow it).
Result<Certificate, CertificateParseError> parse_certificate(std::span<const std::uint8_t> der);

// A Name read on its own (a SEQUENCE OF RelativeDistinguishedName), as in the certificate.
Result<Name, CertificateParseError> parse_name(std::span<const std::uint8_t> der);

// The next AlgorithmIdentifier / Name of `reader`, for structures that share the certificate's
// syntax (CRLs, RFC 5280 §5.1). `field` names the field in errors.
Result<AlgorithmIdentifier, CertificateParseError> read_algorithm_identifier(der::Reader& reader,
                                                                             std::string_view field);
Result<Name, CertificateParseError> read_name(der::Reader& reader, std::string_view field);

// RFC 5280 §4.1 / §5.1: the envelope certificates and CRLs share,
// SEQUENCE { tbs SEQUENCE, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING },
// with nothing after it. `name` and `tbs_name` ("Certificate", "tbsCertificate") name the fields.
struct SignedStructure {
  std::span<const std::uint8_t> der;  // the whole structure
  der::Element tbs;
  AlgorithmIdentifier signature_algorithm;
  der::BitString signature_value;
};
Result<SignedStructure, CertificateParseError> read_signed_structure(std::span<const std::uint8_t> der,
                                                                     std::string_view name,
                                                                     std::string_view tbs_name);

// RFC 5280 §4.1 Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension, as certificates, CRLs and CRL
// entries write them: empty_extensions for an empty list, duplicate_extension for an OID seen
// twice (§4.2). *critical_false_encoded is set when a critical FALSE was written out (a lint).
Result<std::vector<Extension>, CertificateParseError> read_extension_list(der::Reader& reader, std::string_view field,
                                                                          bool* critical_false_encoded = nullptr);

}  // namespace duplex::x509
