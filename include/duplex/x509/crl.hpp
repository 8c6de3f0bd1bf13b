// Certificate revocation lists (RFC 5280 §5), parsed from DER. Revocation checking itself is part
// of path validation (verify.hpp, VerifyOptions::crls): the caller supplies the CRLs it has; we
// fetch nothing.
//
//   auto crl = x509::parse_crl(der_bytes);
//   if (crl && crl->revokes(certificate.serial)) ...
//
// Like a Certificate, a CRL owns a copy of its DER and every span points into it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "duplex/util/result.hpp"
#include "duplex/x509/certificate.hpp"

namespace duplex::x509 {

enum class CrlError : std::uint8_t {
  malformed,                     // a field is not the DER it should be (see der_error)
  unsupported_version,           // not v1 or v2
  extensions_without_v2,         // CRL or entry extensions in a v1 CRL (RFC 5280 §5.1.2.1)
  duplicate_extension,           // the same extension twice
  signature_algorithm_mismatch,  // signatureAlgorithm differs from tbsCertList.signature
};

struct CrlParseError {
  CrlError code = CrlError::malformed;
  der::DerError der_error = der::DerError::truncated;
  std::string_view field;  // "tbsCertList.thisUpdate", ...

  std::string message() const;  // "the CRL's tbsCertList.thisUpdate is malformed: ..."
};

struct RevokedCertificate {
  std::span<const std::uint8_t> serial;  // the INTEGER's contents, as Certificate::serial
  std::int64_t revocation_date = 0;
  std::vector<Extension> extensions;     // crlEntryExtensions (reason code, ...)
};

struct CertificateRevocationList {
  std::shared_ptr<const std::vector<std::uint8_t>> storage;
  std::span<const std::uint8_t> der;  // the whole CertificateList
  std::span<const std::uint8_t> tbs;  // tbsCertList, the signed bytes
  int version = 1;                    // 1 or 2
  AlgorithmIdentifier signature;
  Name issuer;
  std::int64_t this_update = 0;
  std::optional<std::int64_t> next_update;
  std::vector<RevokedCertificate> revoked;
  std::vector<Extension> extensions;  // crlExtensions
  AlgorithmIdentifier signature_algorithm;
  der::BitString signature_value;

  const Extension* find_extension(der::Oid oid) const;
  // Whether `serial` (INTEGER contents) is listed.
  bool revokes(std::span<const std::uint8_t> serial) const;
};

// CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
Result<CertificateRevocationList, CrlParseError> parse_crl(std::span<const std::uint8_t> der);

}  // namespace duplex::x509
