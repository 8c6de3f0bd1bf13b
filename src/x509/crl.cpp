// RFC 5280 §5.1: CertificateList, TBSCertList and their fields.
#include "duplex/x509/crl.hpp"

#include <algorithm>

namespace duplex::x509 {

std::string CrlParseError::message() const {
  std::string out = "the CRL's " + std::string(field);
  switch (code) {
    case CrlError::malformed: return out + " is malformed: " + std::string(der::describe(der_error));
    case CrlError::unsupported_version: return out + " is not v1 or v2";
    case CrlError::extensions_without_v2: return out + " appears in a CRL that is not v2";
    case CrlError::duplicate_extension: return out + " holds the same extension twice";
    case CrlError::signature_algorithm_mismatch: return out + " differs from the algorithm named inside the signed part";
  }
  return out + " is invalid";
}

const Extension* CertificateRevocationList::find_extension(der::Oid oid) const {
  for (const auto& extension : extensions)
    if (extension.oid == oid) return &extension;
  return nullptr;
}

bool CertificateRevocationList::revokes(std::span<const std::uint8_t> serial) const {
  return std::ranges::any_of(revoked, [&](const RevokedCertificate& entry) { return std::ranges::equal(entry.serial, serial); });
}

namespace {

template <typename T>
using Parsed = Result<T, CrlParseError>;

template <typename T>
Parsed<T> in(std::string_view field, Result<T, der::DerError> read) {
  if (!read) return fail(CrlParseError{CrlError::malformed, read.error(), field});
  return std::move(read).value();
}

Failure<CrlParseError> invalid(CrlError code, std::string_view field) {
  return fail(CrlParseError{code, der::DerError::truncated, field});
}

Failure<CrlParseError> from_certificate_error(const CertificateParseError& error) {
  const CrlError code = error.code == CertificateError::duplicate_extension ? CrlError::duplicate_extension
                                                                              : CrlError::malformed;
  return fail(CrlParseError{code, error.der_error, error.field});
}

// Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension, read as certificates read them (RFC 5280 §5.2).
Parsed<std::vector<Extension>> read_extensions(der::Reader& outer, std::string_view field) {
  auto list = read_extension_list(outer, field);
  if (!list) return from_certificate_error(list.error());
  return std::move(*list);
}

// revokedCertificates SEQUENCE OF SEQUENCE { userCertificate CertificateSerialNumber,
//   revocationDate Time, crlEntryExtensions Extensions OPTIONAL }
Parsed<std::vector<RevokedCertificate>> read_revoked(der::Reader& tbs, int version) {
  constexpr std::string_view field = "tbsCertList.revokedCertificates";
  std::vector<RevokedCertificate> out;
  if (!tbs.next_is(der::tags::sequence)) return out;
  auto list = in(field, tbs.read_sequence());
  if (!list) return fail(list.error());
  while (!list->empty()) {
    auto entry = in(field, list->read_sequence());
    if (!entry) return fail(entry.error());
    auto serial = in(field, entry->read_integer());
    if (!serial) return fail(serial.error());
    auto date = in(field, entry->read_time());
    if (!date) return fail(date.error());
    RevokedCertificate revoked{*serial, *date, {}};
    if (!entry->empty()) {
      if (version != 2) return invalid(CrlError::extensions_without_v2, field);
      auto extensions = read_extensions(*entry, field);
      if (!extensions) return fail(extensions.error());
      revoked.extensions = std::move(*extensions);
    }
    if (auto end = in(field, entry->finish()); !end) return fail(end.error());
    out.push_back(std::move(revoked));
  }
  return out;
}

// TBSCertList ::= SEQUENCE { version Version OPTIONAL (v2), signature, issuer, thisUpdate,
//   nextUpdate OPTIONAL, revokedCertificates OPTIONAL, crlExtensions [0] EXPLICIT OPTIONAL }
Result<Unit, CrlParseError> parse_tbs(der::Reader& tbs, CertificateRevocationList& out) {
  if (tbs.next_is(der::tags::integer)) {
    auto version = in("tbsCertList.version", tbs.read_int64());
    if (!version) return fail(version.error());
    if (*version != 1) return invalid(CrlError::unsupported_version, "tbsCertList.version");
    out.version = 2;
  }
  auto signature = read_algorithm_identifier(tbs, "tbsCertList.signature");
  if (!signature) return from_certificate_error(signature.error());
  out.signature = *signature;
  auto issuer = read_name(tbs, "tbsCertList.issuer");
  if (!issuer) return from_certificate_error(issuer.error());
  out.issuer = std::move(*issuer);
  auto this_update = in("tbsCertList.thisUpdate", tbs.read_time());
  if (!this_update) return fail(this_update.error());
  out.this_update = *this_update;
  const auto next = tbs.peek();
  if (next == der::tags::utc_time || next == der::tags::generalized_time) {
    auto next_update = in("tbsCertList.nextUpdate", tbs.read_time());
    if (!next_update) return fail(next_update.error());
    out.next_update = *next_update;
  }
  auto revoked = read_revoked(tbs, out.version);
  if (!revoked) return fail(revoked.error());
  out.revoked = std::move(*revoked);
  auto extensions = in("tbsCertList.crlExtensions", tbs.read_optional_explicit(0));
  if (!extensions) return fail(extensions.error());
  if (extensions->has_value()) {
    if (out.version != 2) return invalid(CrlError::extensions_without_v2, "tbsCertList.crlExtensions");
    auto list = read_extensions(**extensions, "tbsCertList.crlExtensions");
    if (!list) return fail(list.error());
    out.extensions = std::move(*list);
    if (auto end = in("tbsCertList.crlExtensions", (*extensions)->finish()); !end) return fail(end.error());
  }
  if (auto end = in("tbsCertList", tbs.finish()); !end) return fail(end.error());
  return Unit{};
}

}  // namespace

Result<CertificateRevocationList, CrlParseError> parse_crl(std::span<const std::uint8_t> der) {
  CertificateRevocationList out;
  auto storage = std::make_shared<const std::vector<std::uint8_t>>(der.begin(), der.end());
  out.storage = storage;
  auto signed_structure = read_signed_structure(*storage, "CertificateList", "tbsCertList");
  if (!signed_structure) return from_certificate_error(signed_structure.error());
  out.der = signed_structure->der;
  out.tbs = signed_structure->tbs.encoding;
  out.signature_algorithm = signed_structure->signature_algorithm;
  out.signature_value = signed_structure->signature_value;
  der::Reader tbs_reader(signed_structure->tbs.contents);
  if (auto parsed = parse_tbs(tbs_reader, out); !parsed) return fail(parsed.error());
  // RFC 5280 §5.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the
  // signature field in the sequence tbsCertList".
  if (!std::ranges::equal(out.signature_algorithm.der, out.signature.der))
    return invalid(CrlError::signature_algorithm_mismatch, "signatureAlgorithm");
  return out;
}

}  // namespace duplex::x509
