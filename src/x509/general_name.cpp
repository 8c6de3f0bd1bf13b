// RFC 5280 §4.2.1.6: GeneralName and GeneralNames, and the subjectAltName extension.
#include "duplex/x509/general_name.hpp"

#include <cstdio>

#include "duplex/x509/oid.hpp"

namespace duplex::x509 {

std::string_view to_string(GeneralNameType type) {
  switch (type) {
    case GeneralNameType::other_name: return "otherName";
    case GeneralNameType::rfc822_name: return "rfc822Name";
    case GeneralNameType::dns_name: return "dNSName";
    case GeneralNameType::x400_address: return "x400Address";
    case GeneralNameType::directory_name: return "directoryName";
    case GeneralNameType::edi_party_name: return "ediPartyName";
    case GeneralNameType::uri: return "uniformResourceIdentifier";
    case GeneralNameType::ip_address: return "iPAddress";
    case GeneralNameType::registered_id: return "registeredID";
  }
  return "unknown";
}

namespace {

std::string ip_text(std::span<const std::uint8_t> bytes) {
  char buffer[8];
  std::string out;
  if (bytes.size() == 4) {
    for (std::size_t i = 0; i < 4; ++i) {
      std::snprintf(buffer, sizeof buffer, i ? ".%u" : "%u", bytes[i]);
      out += buffer;
    }
    return out;
  }
  if (bytes.size() == 16) {
    for (std::size_t i = 0; i < 16; i += 2) {
      std::snprintf(buffer, sizeof buffer, i ? ":%x" : "%x", (bytes[i] << 8) | bytes[i + 1]);
      out += buffer;
    }
    return out;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (const auto byte : bytes) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

}  // namespace

std::string GeneralName::to_display() const {
  switch (type) {
    case GeneralNameType::dns_name: return "DNS:" + std::string(text());
    case GeneralNameType::rfc822_name: return "email:" + std::string(text());
    case GeneralNameType::uri: return "URI:" + std::string(text());
    case GeneralNameType::ip_address:
      if (value.size() == 8 || value.size() == 32)
        return "IP:" + ip_text(value.first(value.size() / 2)) + "/" + ip_text(value.subspan(value.size() / 2));
      return "IP:" + ip_text(value);
    case GeneralNameType::directory_name: {
      auto name = parse_name(value);
      return "DirName:" + (name ? name->text : std::string("(malformed)"));
    }
    default: return std::string(to_string(type)) + ":<" + std::to_string(value.size()) + " bytes>";
  }
}

std::string ExtensionParseError::message() const {
  std::string out = "the " + std::string(extension) + " extension ";
  switch (code) {
    case ExtensionError::malformed: return out + "is malformed: " + std::string(der::describe(der_error));
    case ExtensionError::empty: return out + "holds an empty list where one entry at least is required";
    case ExtensionError::bad_ia5_string: return out + "holds a name with a byte outside ASCII (IA5String)";
    case ExtensionError::bad_ip_address: return out + "holds an iPAddress of the wrong length";
    case ExtensionError::bad_ip_mask: return out + "holds an iPAddress constraint whose mask is not contiguous";
    case ExtensionError::bad_subtree: return out + "holds a subtree with a minimum or maximum, which RFC 5280 forbids";
    case ExtensionError::bad_value: return out + "holds a value outside its range";
  }
  return out + "is invalid";
}

Result<GeneralName, ExtensionParseError> read_general_name(der::Reader& reader, std::string_view extension) {
  auto element = reader.read_any();
  if (!element) return fail(ExtensionParseError{ExtensionError::malformed, element.error(), extension});
  const der::Tag tag = element->tag;
  auto bad = [&](der::DerError error) {
    return fail(ExtensionParseError{ExtensionError::malformed, error, extension});
  };
  if (tag.tag_class != der::TagClass::context_specific || tag.number > 8) return bad(der::DerError::unexpected_tag);
  GeneralName name{static_cast<GeneralNameType>(tag.number), element->contents};
  switch (name.type) {
    case GeneralNameType::other_name:      // [0] IMPLICIT SEQUENCE { type-id, [0] EXPLICIT value }
    case GeneralNameType::x400_address:    // [3] IMPLICIT ORAddress (a SEQUENCE)
    case GeneralNameType::edi_party_name:  // [5] IMPLICIT SEQUENCE
      if (!tag.constructed) return bad(der::DerError::unexpected_tag);
      return name;
    case GeneralNameType::directory_name: {  // [4] EXPLICIT Name (a CHOICE, so EXPLICIT)
      if (!tag.constructed) return bad(der::DerError::unexpected_tag);
      auto inner = der::parse_single(element->contents);
      if (!inner) return bad(inner.error());
      if (!parse_name(inner->encoding)) return bad(der::DerError::unexpected_tag);
      name.value = inner->encoding;
      return name;
    }
    case GeneralNameType::rfc822_name:
    case GeneralNameType::dns_name:
    case GeneralNameType::uri:  // IA5String
      if (tag.constructed) return bad(der::DerError::unexpected_tag);
      for (const auto byte : name.value)
        if (byte > 0x7f) return fail(ExtensionParseError{ExtensionError::bad_ia5_string, {}, extension});
      return name;
    case GeneralNameType::ip_address:  // OCTET STRING
      if (tag.constructed) return bad(der::DerError::unexpected_tag);
      return name;
    case GeneralNameType::registered_id: {  // OBJECT IDENTIFIER
      if (tag.constructed) return bad(der::DerError::unexpected_tag);
      auto oid = der::decode_oid(name.value);
      if (!oid) return bad(oid.error());
      return name;
    }
  }
  return bad(der::DerError::unexpected_tag);
}

Result<std::vector<GeneralName>, ExtensionParseError> parse_general_names(std::span<const std::uint8_t> der,
                                                                          std::string_view extension) {
  der::Reader outer(der);
  auto list = outer.read_sequence();
  if (!list) return fail(ExtensionParseError{ExtensionError::malformed, list.error(), extension});
  if (auto end = outer.finish(); !end)
    return fail(ExtensionParseError{ExtensionError::malformed, end.error(), extension});
  if (list->empty()) return fail(ExtensionParseError{ExtensionError::empty, {}, extension});
  std::vector<GeneralName> names;
  while (!list->empty()) {
    auto name = read_general_name(*list, extension);
    if (!name) return fail(name.error());
    names.push_back(*name);
  }
  return names;
}

Result<std::vector<GeneralName>, ExtensionParseError> subject_alt_names(const Certificate& certificate) {
  const Extension* extension = certificate.find_extension(oid::subject_alt_name);
  if (!extension) return std::vector<GeneralName>{};
  auto names = parse_general_names(extension->value, "subjectAltName");
  if (!names) return names;
  // RFC 5280 §4.2.1.6: "For IP version 4 ... the octet string MUST contain exactly four octets.
  // For IP version 6 ... the octet string MUST contain exactly sixteen octets."
  for (const auto& name : *names)
    if (name.type == GeneralNameType::ip_address && name.value.size() != 4 && name.value.size() != 16)
      return fail(ExtensionParseError{ExtensionError::bad_ip_address, {}, "subjectAltName"});
  return names;
}

Result<std::vector<std::string>, ExtensionParseError> subject_alt_dns_names(const Certificate& certificate) {
  auto names = subject_alt_names(certificate);
  if (!names) return fail(names.error());
  std::vector<std::string> out;
  for (const auto& name : *names) {
    if (name.type != GeneralNameType::dns_name) continue;
    std::string text(name.text());
    for (char& c : text)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(std::move(text));
  }
  return out;
}

}  // namespace duplex::x509
