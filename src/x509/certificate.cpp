// RFC 5280 §4.1: Certificate, TBSCertificate and their fields.
#include "duplex/x509/certificate.hpp"

#include <algorithm>

#include "duplex/x509/oid.hpp"

namespace duplex::x509 {

std::string CertificateParseError::message() const {
  std::string out = "the certificate's " + std::string(field);
  switch (code) {
    case CertificateError::malformed: return out + " is malformed: " + std::string(der::describe(der_error));
    case CertificateError::unsupported_version: return out + " is not v1 or v3";
    case CertificateError::extensions_without_v3: return out + " appears in a certificate that is not v3";
    case CertificateError::empty_extensions: return out + " holds no extension";
    case CertificateError::duplicate_extension: return out + " holds the same extension twice";
    case CertificateError::signature_algorithm_mismatch:
      return out + " differs from the algorithm named inside the signed part";
    case CertificateError::empty_rdn: return out + " has a relative distinguished name with no attribute";
  }
  return out + " is invalid";
}

const Extension* Certificate::find_extension(der::Oid oid) const {
  for (const auto& extension : extensions)
    if (extension.oid == oid) return &extension;
  return nullptr;
}

bool Certificate::has_lint(Lint lint) const { return std::ranges::find(lints, lint) != lints.end(); }

namespace {

using Bytes = std::span<const std::uint8_t>;
using der::DerError;

// Each step names the field it reads, so a failure says where it happened.
template <typename T>
using Parsed = Result<T, CertificateParseError>;

CertificateParseError malformed(std::string_view field, DerError error) {
  return {CertificateError::malformed, error, field};
}
CertificateParseError invalid(CertificateError code, std::string_view field) {
  return {code, DerError::truncated, field};
}

// A DER read's result, with a DER error turned into "this field is malformed".
template <typename T>
Parsed<T> in(std::string_view field, Result<T, DerError> read) {
  if (!read) return fail(malformed(field, read.error()));
  return std::move(read).value();
}

// AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
Parsed<AlgorithmIdentifier> parse_algorithm(der::Reader& outer, std::string_view field) {
  auto element = outer.read_element(der::tags::sequence);
  if (!element) return fail(malformed(field, element.error()));
  der::Reader reader(element->contents);
  auto algorithm = in(field, reader.read_oid());
  if (!algorithm) return fail(algorithm.error());
  AlgorithmIdentifier out{*algorithm, {}, element->encoding};
  if (!reader.empty()) {
    auto parameters = in(field, reader.read_any());
    if (!parameters) return fail(parameters.error());
    out.parameters = parameters->encoding;
  }
  auto end = in(field, reader.finish());
  if (!end) return fail(end.error());
  return out;
}

std::string_view short_name(der::Oid type) {
  struct Entry {
    der::Oid oid;
    std::string_view name;
  };
  // RFC 4514 §3 names, plus those OpenSSL prints.
  static constexpr Entry kNames[] = {
      {oid::common_name, "CN"},          {oid::country_name, "C"},         {oid::locality_name, "L"},
      {oid::state_or_province_name, "ST"}, {oid::organization_name, "O"}, {oid::organizational_unit_name, "OU"},
      {oid::street_address, "STREET"},   {oid::domain_component, "DC"},   {oid::user_id, "UID"},
      {oid::serial_number, "serialNumber"}, {oid::email_address, "emailAddress"}, {oid::title, "title"},
      {oid::surname, "SN"},              {oid::given_name, "GN"},
  };
  for (const auto& entry : kNames)
    if (entry.oid == type) return entry.name;
  return {};
}

// RFC 4514 §2.4 escaping of an attribute value (non-string values as '#' and hex, §2.4 too).
void append_value(std::string& out, const der::Element& value) {
  if (der::is_string_tag(value.tag)) {
    if (auto text = der::decode_string(value.tag, value.contents)) {
      for (std::size_t i = 0; i < text->size(); ++i) {
        const char c = (*text)[i];
        const bool edge_space = c == ' ' && (i == 0 || i + 1 == text->size());
        if (std::string_view(",+\"\\<>;=").find(c) != std::string_view::npos || edge_space ||
            (c == '#' && i == 0))
          out += '\\';
        out += c;
      }
      return;
    }
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '#';
  for (const std::uint8_t byte : value.encoding) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
}

// Name ::= RDNSequence; RDNSequence ::= SEQUENCE OF RelativeDistinguishedName;
// RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue;
// AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
Parsed<Name> parse_name_from(der::Reader& outer, std::string_view field) {
  auto element = in(field, outer.read_element(der::tags::sequence));
  if (!element) return fail(element.error());
  Name name{element->encoding, {}};
  der::Reader rdns(element->contents);
  while (!rdns.empty()) {
    auto rdn = in(field, rdns.read_set());
    if (!rdn) return fail(rdn.error());
    if (rdn->empty()) return fail(invalid(CertificateError::empty_rdn, field));
    if (!name.text.empty()) name.text += ", ";
    bool first = true;
    while (!rdn->empty()) {
      auto attribute = in(field, rdn->read_sequence());
      if (!attribute) return fail(attribute.error());
      auto type = in(field, attribute->read_oid());
      if (!type) return fail(type.error());
      auto value = in(field, attribute->read_any());
      if (!value) return fail(value.error());
      auto end = in(field, attribute->finish());
      if (!end) return fail(end.error());
      if (!first) name.text += '+';
      first = false;
      const std::string_view short_form = short_name(*type);
      name.text += short_form.empty() ? type->dotted() : std::string(short_form);
      name.text += '=';
      append_value(name.text, *value);
    }
  }
  return name;
}

// Validity ::= SEQUENCE { notBefore Time, notAfter Time }
Result<Unit, CertificateParseError> parse_validity(der::Reader& tbs, Certificate& out) {
  constexpr std::string_view field = "tbsCertificate.validity";
  auto validity = in(field, tbs.read_sequence());
  if (!validity) return fail(validity.error());
  auto not_before = in(field, validity->read_time());
  if (!not_before) return fail(not_before.error());
  auto not_after = in(field, validity->read_time());
  if (!not_after) return fail(not_after.error());
  auto end = in(field, validity->finish());
  if (!end) return fail(end.error());
  out.not_before = *not_before;
  out.not_after = *not_after;
  return Unit{};
}

// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
Result<Unit, CertificateParseError> parse_spki(der::Reader& tbs, Certificate& out) {
  constexpr std::string_view field = "tbsCertificate.subjectPublicKeyInfo";
  auto element = in(field, tbs.read_element(der::tags::sequence));
  if (!element) return fail(element.error());
  der::Reader spki(element->contents);
  auto algorithm = parse_algorithm(spki, field);
  if (!algorithm) return fail(algorithm.error());
  auto key = in(field, spki.read_bit_string());
  if (!key) return fail(key.error());
  auto end = in(field, spki.finish());
  if (!end) return fail(end.error());
  out.subject_public_key_info = {*algorithm, *key, element->encoding};
  return Unit{};
}

// Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
// Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE,
//                          extnValue OCTET STRING }
Result<std::vector<Extension>, CertificateParseError> read_extensions(der::Reader& reader, std::string_view field,
                                                                      bool* critical_false_encoded) {
  auto list = in(field, reader.read_sequence());
  if (!list) return fail(list.error());
  if (list->empty()) return fail(invalid(CertificateError::empty_extensions, field));
  std::vector<Extension> out;
  while (!list->empty()) {
    auto extension = in(field, list->read_sequence());
    if (!extension) return fail(extension.error());
    auto id = in(field, extension->read_oid());
    if (!id) return fail(id.error());
    bool critical = false;
    if (extension->next_is(der::tags::boolean)) {
      auto flag = in(field, extension->read_boolean());
      if (!flag) return fail(flag.error());
      critical = *flag;
      if (!critical && critical_false_encoded) *critical_false_encoded = true;
    }
    auto value = in(field, extension->read_octet_string());
    if (!value) return fail(value.error());
    auto done = in(field, extension->finish());
    if (!done) return fail(done.error());
    // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension."
    if (std::ranges::any_of(out, [&](const Extension& seen) { return seen.oid == *id; }))
      return fail(invalid(CertificateError::duplicate_extension, field));
    out.push_back({*id, critical, *value});
  }
  return out;
}

Result<Unit, CertificateParseError> parse_extensions(der::Reader& explicit_3, Certificate& out) {
  constexpr std::string_view field = "tbsCertificate.extensions";
  bool critical_false_encoded = false;
  auto list = read_extensions(explicit_3, field, &critical_false_encoded);
  if (!list) return fail(list.error());
  auto end = in(field, explicit_3.finish());
  if (!end) return fail(end.error());
  if (critical_false_encoded) out.lints.push_back(Lint::critical_false_encoded);
  out.extensions = std::move(*list);
  return Unit{};
}

// Version ::= INTEGER { v1(0), v2(1), v3(2) }, [0] EXPLICIT, DEFAULT v1.
// Q: Why refuse v2 but take v1?
// A: v1 certificates still serve as roots in some stores; v2 (unique identifiers, no extensions)
//    was never deployed. webpki takes v3 only; Go takes all three.
Result<Unit, CertificateParseError> parse_version(der::Reader& tbs, Certificate& out) {
  constexpr std::string_view field = "tbsCertificate.version";
  auto tagged = in(field, tbs.read_optional_explicit(0));
  if (!tagged) return fail(tagged.error());
  out.version = 1;
  if (!tagged->has_value()) return Unit{};
  auto number = in(field, (*tagged)->read_int64());
  if (!number) return fail(number.error());
  auto end = in(field, (*tagged)->finish());
  if (!end) return fail(end.error());
  if (*number == 0) {
    out.lints.push_back(Lint::version_v1_encoded);
    return Unit{};
  }
  if (*number != 2) return fail(invalid(CertificateError::unsupported_version, field));
  out.version = 3;
  return Unit{};
}

// CertificateSerialNumber ::= INTEGER
// Q: Is a 21-octet INTEGER whose first octet is 0x00 "longer than 20 octets"?
// A: No: RFC 5280 §4.1.2.2 counts the number, and a positive 20-octet number with its top bit set
//    needs the 0x00 in DER. webpki measures the same way (the magnitude without that 0x00).
Result<Unit, CertificateParseError> parse_serial(der::Reader& tbs, Certificate& out) {
  auto serial = in("tbsCertificate.serialNumber", tbs.read_integer());
  if (!serial) return fail(serial.error());
  out.serial = *serial;
  const bool negative = ((*serial)[0] & 0x80) != 0;
  const bool zero = serial->size() == 1 && (*serial)[0] == 0;
  if (negative || zero) out.lints.push_back(Lint::serial_not_positive);
  const std::size_t magnitude = serial->size() - ((*serial)[0] == 0 ? 1 : 0);
  if (magnitude > 20) out.lints.push_back(Lint::serial_too_long);
  return Unit{};
}

// TBSCertificate ::= SEQUENCE { version, serialNumber, signature, issuer, validity, subject,
//   subjectPublicKeyInfo, issuerUniqueID [1] IMPLICIT OPTIONAL, subjectUniqueID [2] IMPLICIT
//   OPTIONAL, extensions [3] EXPLICIT OPTIONAL }
Result<Unit, CertificateParseError> parse_tbs(der::Reader& tbs, Certificate& out) {
  if (auto v = parse_version(tbs, out); !v) return v;
  if (auto s = parse_serial(tbs, out); !s) return s;
  auto signature = parse_algorithm(tbs, "tbsCertificate.signature");
  if (!signature) return fail(signature.error());
  out.signature = *signature;
  auto issuer = parse_name_from(tbs, "tbsCertificate.issuer");
  if (!issuer) return fail(issuer.error());
  out.issuer = std::move(*issuer);
  if (auto v = parse_validity(tbs, out); !v) return v;
  auto subject = parse_name_from(tbs, "tbsCertificate.subject");
  if (!subject) return fail(subject.error());
  out.subject = std::move(*subject);
  if (auto s = parse_spki(tbs, out); !s) return s;
  // RFC 5280 §4.1.2.8: unique identifiers only in v2 and v3 (and v2 is refused above).
  for (std::uint32_t number : {1u, 2u}) {
    const std::string_view field = number == 1 ? "tbsCertificate.issuerUniqueID" : "tbsCertificate.subjectUniqueID";
    if (!tbs.next_is(der::context(number, false))) continue;
    if (out.version != 3)
      return fail(invalid(CertificateError::extensions_without_v3, field));
    auto id = in(field, tbs.read_bit_string(der::context(number, false)));
    if (!id) return fail(id.error());
  }
  auto extensions = in("tbsCertificate.extensions", tbs.read_optional_explicit(3));
  if (!extensions) return fail(extensions.error());
  if (extensions->has_value()) {
    // RFC 5280 §4.1.2.9: "This field MUST only appear if the version is 3".
    if (out.version != 3)
      return fail(invalid(CertificateError::extensions_without_v3, "tbsCertificate.extensions"));
    if (auto e = parse_extensions(**extensions, out); !e) return e;
  }
  auto end = in("tbsCertificate", tbs.finish());
  if (!end) return fail(end.error());
  return Unit{};
}

}  // namespace

Result<AlgorithmIdentifier, CertificateParseError> read_algorithm_identifier(der::Reader& reader,
                                                                             std::string_view field) {
  return parse_algorithm(reader, field);
}

Result<Name, CertificateParseError> read_name(der::Reader& reader, std::string_view field) {
  return parse_name_from(reader, field);
}

Result<SignedStructure, CertificateParseError> read_signed_structure(std::span<const std::uint8_t> der,
                                                                     std::string_view name,
                                                                     std::string_view tbs_name) {
  der::Reader input(der);
  auto whole = in(name, input.read_element(der::tags::sequence));
  if (!whole) return fail(whole.error());
  if (auto trailing = in(name, input.finish()); !trailing) return fail(trailing.error());
  der::Reader fields(whole->contents);
  auto tbs = in(tbs_name, fields.read_element(der::tags::sequence));
  if (!tbs) return fail(tbs.error());
  auto algorithm = parse_algorithm(fields, "signatureAlgorithm");
  if (!algorithm) return fail(algorithm.error());
  auto signature = in("signatureValue", fields.read_bit_string());
  if (!signature) return fail(signature.error());
  if (auto end = in(name, fields.finish()); !end) return fail(end.error());
  return SignedStructure{whole->encoding, *tbs, *algorithm, *signature};
}

Result<std::vector<Extension>, CertificateParseError> read_extension_list(der::Reader& reader, std::string_view field,
                                                                          bool* critical_false_encoded) {
  return read_extensions(reader, field, critical_false_encoded);
}

Result<Name, CertificateParseError> parse_name(std::span<const std::uint8_t> der) {
  der::Reader reader(der);
  auto name = parse_name_from(reader, "name");
  if (!name) return name;
  auto end = in("name", reader.finish());
  if (!end) return fail(end.error());
  return name;
}

// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
Result<Certificate, CertificateParseError> parse_certificate(std::span<const std::uint8_t> der) {
  Certificate out;
  auto storage = std::make_shared<const std::vector<std::uint8_t>>(der.begin(), der.end());
  out.storage = storage;
  auto signed_structure = read_signed_structure(*storage, "Certificate", "tbsCertificate");
  if (!signed_structure) return fail(signed_structure.error());
  out.der = signed_structure->der;
  out.tbs = signed_structure->tbs.encoding;
  out.signature_algorithm = signed_structure->signature_algorithm;
  out.signature_value = signed_structure->signature_value;
  der::Reader tbs_reader(signed_structure->tbs.contents);
  if (auto parsed = parse_tbs(tbs_reader, out); !parsed) return fail(parsed.error());
  // RFC 5280 §4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the
  // signature field in the sequence tbsCertificate" (compared as encoded, as webpki does).
  if (!std::ranges::equal(out.signature_algorithm.der, out.signature.der))
    return fail(invalid(CertificateError::signature_algorithm_mismatch, "signatureAlgorithm"));
  return out;
}

}  // namespace duplex::x509
