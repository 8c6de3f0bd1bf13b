// RFC 5280 §4.2.1 and §4.2.2: the standard certificate extensions' syntax.
#include "duplex/x509/extensions.hpp"

#include <algorithm>

#include "duplex/x509/oid.hpp"

namespace duplex::x509 {

bool ExtendedKeyUsage::contains(der::Oid purpose) const {
  return std::ranges::find(purposes, purpose) != purposes.end();
}

namespace {

using Bytes = std::span<const std::uint8_t>;
template <typename T>
using Parsed = Result<T, ExtensionParseError>;

struct Context {
  std::string_view extension;
  Failure<ExtensionParseError> malformed(der::DerError error) const {
    return fail(ExtensionParseError{ExtensionError::malformed, error, extension});
  }
  Failure<ExtensionParseError> invalid(ExtensionError code) const {
    return fail(ExtensionParseError{code, der::DerError::truncated, extension});
  }
};

// The outer SEQUENCE of an extnValue, which must be all of it.
Parsed<der::Reader> outer_sequence(Bytes der, const Context& context) {
  der::Reader input(der);
  auto sequence = input.read_sequence();
  if (!sequence) return context.malformed(sequence.error());
  if (auto end = input.finish(); !end) return context.malformed(end.error());
  return *sequence;
}

// RFC 5280 §4.2.1.10: "the minimum MUST be zero, and maximum MUST be absent" (and minimum, a
// DEFAULT 0, is absent in DER). GeneralSubtree ::= SEQUENCE { base GeneralName,
// minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL }
Parsed<std::vector<GeneralName>> parse_subtrees(der::Reader& subtrees, const Context& context) {
  if (subtrees.empty()) return context.invalid(ExtensionError::empty);
  std::vector<GeneralName> out;
  while (!subtrees.empty()) {
    auto subtree = subtrees.read_sequence();
    if (!subtree) return context.malformed(subtree.error());
    auto base = read_general_name(*subtree, context.extension);
    if (!base) return fail(base.error());
    if (!subtree->empty()) return context.invalid(ExtensionError::bad_subtree);
    if (base->type == GeneralNameType::ip_address) {
      // RFC 5280 §4.2.1.10: address then mask, "8 octets" for IPv4 and "32 octets" for IPv6.
      const std::size_t size = base->value.size();
      if (size != 8 && size != 32) return context.invalid(ExtensionError::bad_ip_address);
      bool zero_seen = false;
      for (const auto byte : base->value.subspan(size / 2)) {
        for (int bit = 7; bit >= 0; --bit) {
          const bool one = (byte >> bit) & 1;
          if (one && zero_seen) return context.invalid(ExtensionError::bad_ip_mask);
          if (!one) zero_seen = true;
        }
      }
    }
    out.push_back(*base);
  }
  return out;
}

}  // namespace

Parsed<BasicConstraints> parse_basic_constraints(Bytes der) {
  const Context context{"basicConstraints"};
  auto sequence = outer_sequence(der, context);
  if (!sequence) return fail(sequence.error());
  BasicConstraints out;
  if (sequence->next_is(der::tags::boolean)) {
    auto ca = sequence->read_boolean();
    if (!ca) return context.malformed(ca.error());
    // X.690 §11.5: a DEFAULT value is never encoded in DER.
    if (!*ca) return context.malformed(der::DerError::bad_boolean);
    out.ca = true;
  }
  if (sequence->next_is(der::tags::integer)) {
    auto length = sequence->read_int64();
    if (!length) return context.malformed(length.error());
    if (*length < 0 || *length > 0xffffffff) return context.invalid(ExtensionError::bad_value);
    out.path_len = static_cast<std::uint32_t>(*length);
  }
  if (auto end = sequence->finish(); !end) return context.malformed(end.error());
  return out;
}

Parsed<KeyUsage> parse_key_usage(Bytes der) {
  const Context context{"keyUsage"};
  der::Reader input(der);
  auto bits = input.read_bit_string();
  if (!bits) return context.malformed(bits.error());
  if (auto end = input.finish(); !end) return context.malformed(end.error());
  // X.690 §11.2.2: a named bit list has no trailing zero bits in DER; we only need one bit set.
  KeyUsage out;
  for (unsigned bit = 0; bit < 9; ++bit)
    if (bits->bit(bit)) out.bits = static_cast<std::uint16_t>(out.bits | (1u << bit));
  if (bits->bit_count() > 9) {
    for (std::size_t bit = 9; bit < bits->bit_count(); ++bit)
      if (bits->bit(bit)) return context.invalid(ExtensionError::bad_value);
  }
  // RFC 5280 §4.2.1.3: "When the keyUsage extension appears in a certificate, at least one of
  // the bits MUST be set to 1."
  if (out.bits == 0) return context.invalid(ExtensionError::empty);
  return out;
}

Parsed<ExtendedKeyUsage> parse_extended_key_usage(Bytes der) {
  const Context context{"extendedKeyUsage"};
  auto sequence = outer_sequence(der, context);
  if (!sequence) return fail(sequence.error());
  if (sequence->empty()) return context.invalid(ExtensionError::empty);
  ExtendedKeyUsage out;
  while (!sequence->empty()) {
    auto purpose = sequence->read_oid();
    if (!purpose) return context.malformed(purpose.error());
    out.purposes.push_back(*purpose);
  }
  return out;
}

// NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
//                                excludedSubtrees [1] GeneralSubtrees OPTIONAL }
Parsed<NameConstraints> parse_name_constraints(Bytes der) {
  const Context context{"nameConstraints"};
  auto sequence = outer_sequence(der, context);
  if (!sequence) return fail(sequence.error());
  NameConstraints out;
  for (std::uint32_t number : {0u, 1u}) {
    auto subtrees = sequence->read_optional(der::context(number, true));
    if (!subtrees) return context.malformed(subtrees.error());
    if (!subtrees->has_value()) continue;
    der::Reader reader((*subtrees)->contents);
    auto names = parse_subtrees(reader, context);
    if (!names) return fail(names.error());
    (number == 0 ? out.permitted : out.excluded) = std::move(*names);
  }
  if (auto end = sequence->finish(); !end) return context.malformed(end.error());
  // RFC 5280 §4.2.1.10: "Conforming CAs MUST NOT issue certificates where name constraints is an
  // empty sequence. That is, either the permittedSubtrees field or the excludedSubtrees MUST be
  // present."
  if (!out.permitted && !out.excluded) return context.invalid(ExtensionError::empty);
  return out;
}

Parsed<AuthorityKeyIdentifier> parse_authority_key_identifier(Bytes der) {
  const Context context{"authorityKeyIdentifier"};
  auto sequence = outer_sequence(der, context);
  if (!sequence) return fail(sequence.error());
  AuthorityKeyIdentifier out;
  auto key_id = sequence->read_optional(der::context(0, false));
  if (!key_id) return context.malformed(key_id.error());
  if (key_id->has_value()) out.key_identifier = (*key_id)->contents;
  auto issuer = sequence->read_optional(der::context(1, true));
  if (!issuer) return context.malformed(issuer.error());
  if (issuer->has_value()) {
    der::Reader names((*issuer)->contents);
    if (names.empty()) return context.invalid(ExtensionError::empty);
    while (!names.empty())
      if (auto name = read_general_name(names, context.extension); !name) return fail(name.error());
    out.has_authority_cert_issuer = true;
  }
  auto serial = sequence->read_optional(der::context(2, false));
  if (!serial) return context.malformed(serial.error());
  if (serial->has_value()) {
    if (auto integer = der::decode_integer((*serial)->contents); !integer) return context.malformed(integer.error());
    out.has_authority_cert_serial = true;
  }
  if (auto end = sequence->finish(); !end) return context.malformed(end.error());
  return out;
}

Parsed<Bytes> parse_subject_key_identifier(Bytes der) {
  const Context context{"subjectKeyIdentifier"};
  der::Reader input(der);
  auto id = input.read_octet_string();
  if (!id) return context.malformed(id.error());
  if (auto end = input.finish(); !end) return context.malformed(end.error());
  return *id;
}

// CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
// DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
//   reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames OPTIONAL }
// DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] RDN }
Parsed<std::vector<DistributionPoint>> parse_crl_distribution_points(Bytes der) {
  const Context context{"cRLDistributionPoints"};
  auto sequence = outer_sequence(der, context);
  if (!sequence) return fail(sequence.error());
  if (sequence->empty()) return context.invalid(ExtensionError::empty);
  std::vector<DistributionPoint> out;
  while (!sequence->empty()) {
    auto point = sequence->read_sequence();
    if (!point) return context.malformed(point.error());
    DistributionPoint entry;
    auto name = point->read_optional(der::context(0, true));
    if (!name) return context.malformed(name.error());
    if (name->has_value()) {
      der::Reader choice((*name)->contents);
      if (choice.next_is(der::context(0, true))) {
        auto full = choice.read_element(der::context(0, true));
        if (!full) return context.malformed(full.error());
        der::Reader names(full->contents);
        if (names.empty()) return context.invalid(ExtensionError::empty);
        while (!names.empty()) {
          auto general = read_general_name(names, context.extension);
          if (!general) return fail(general.error());
          entry.full_name.push_back(*general);
        }
      } else {
        auto relative = choice.read_element(der::context(1, true));
        if (!relative) return context.malformed(relative.error());
        entry.has_relative_name = true;
      }
      if (auto end = choice.finish(); !end) return context.malformed(end.error());
    }
    auto reasons = point->read_optional(der::context(1, false));
    if (!reasons) return context.malformed(reasons.error());
    if (reasons->has_value()) {
      if (auto bits = der::decode_bit_string((*reasons)->contents); !bits) return context.malformed(bits.error());
      entry.has_reasons = true;
    }
    auto issuer = point->read_optional(der::context(2, true));
    if (!issuer) return context.malformed(issuer.error());
    if (issuer->has_value()) {
      der::Reader names((*issuer)->contents);
      if (names.empty()) return context.invalid(ExtensionError::empty);
      while (!names.empty()) {
        auto general = read_general_name(names, context.extension);
        if (!general) return fail(general.error());
        entry.crl_issuer.push_back(*general);
      }
    }
    if (auto end = point->finish(); !end) return context.malformed(end.error());
    // RFC 5280 §4.2.1.13: "a DistributionPoint MUST NOT consist of only the reasons field".
    if (!name->has_value() && !issuer->has_value()) return context.invalid(ExtensionError::empty);
    out.push_back(std::move(entry));
  }
  return out;
}

// AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
Parsed<std::vector<AccessDescription>> parse_authority_info_access(Bytes der) {
  const Context context{"authorityInfoAccess"};
  auto sequence = outer_sequence(der, context);
  if (!sequence) return fail(sequence.error());
  if (sequence->empty()) return context.invalid(ExtensionError::empty);
  std::vector<AccessDescription> out;
  while (!sequence->empty()) {
    auto description = sequence->read_sequence();
    if (!description) return context.malformed(description.error());
    auto method = description->read_oid();
    if (!method) return context.malformed(method.error());
    auto location = read_general_name(*description, context.extension);
    if (!location) return fail(location.error());
    if (auto end = description->finish(); !end) return context.malformed(end.error());
    out.push_back({*method, *location});
  }
  return out;
}

// certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
// PolicyInformation ::= SEQUENCE { policyIdentifier OBJECT IDENTIFIER,
//                                  policyQualifiers SEQUENCE SIZE (1..MAX) OF ... OPTIONAL }
Parsed<std::vector<PolicyInformation>> parse_certificate_policies(Bytes der) {
  const Context context{"certificatePolicies"};
  auto sequence = outer_sequence(der, context);
  if (!sequence) return fail(sequence.error());
  if (sequence->empty()) return context.invalid(ExtensionError::empty);
  std::vector<PolicyInformation> out;
  while (!sequence->empty()) {
    auto information = sequence->read_sequence();
    if (!information) return context.malformed(information.error());
    auto policy = information->read_oid();
    if (!policy) return context.malformed(policy.error());
    PolicyInformation entry{*policy, {}};
    if (!information->empty()) {
      auto qualifiers = information->read_element(der::tags::sequence);
      if (!qualifiers) return context.malformed(qualifiers.error());
      entry.qualifiers = qualifiers->encoding;
    }
    if (auto end = information->finish(); !end) return context.malformed(end.error());
    // RFC 5280 §4.2.1.4: "A certificate policy OID MUST NOT appear more than once".
    for (const auto& seen : out)
      if (seen.policy == entry.policy) return context.invalid(ExtensionError::bad_value);
    out.push_back(entry);
  }
  return out;
}

Result<Extensions, ExtensionParseError> decode_extensions(const Certificate& certificate) {
  Extensions out;
  for (const Extension& extension : certificate.extensions) {
    const Bytes value = extension.value;
    const der::Oid id = extension.oid;
    // Each branch stores its decoded value or returns the error.
    auto store = [](auto& slot, auto parsed) -> Status<ExtensionParseError> {
      if (!parsed) return fail(parsed.error());
      slot = std::move(*parsed);
      return Unit{};
    };
    Status<ExtensionParseError> status = Unit{};
    if (id == oid::subject_alt_name) {
      status = store(out.subject_alt_names, subject_alt_names(certificate));
    } else if (id == oid::basic_constraints) {
      status = store(out.basic_constraints, parse_basic_constraints(value));
    } else if (id == oid::key_usage) {
      status = store(out.key_usage, parse_key_usage(value));
    } else if (id == oid::extended_key_usage) {
      status = store(out.extended_key_usage, parse_extended_key_usage(value));
    } else if (id == oid::name_constraints) {
      status = store(out.name_constraints, parse_name_constraints(value));
    } else if (id == oid::authority_key_identifier) {
      status = store(out.authority_key_identifier, parse_authority_key_identifier(value));
    } else if (id == oid::subject_key_identifier) {
      status = store(out.subject_key_identifier, parse_subject_key_identifier(value));
    } else if (id == oid::crl_distribution_points) {
      status = store(out.crl_distribution_points, parse_crl_distribution_points(value));
    } else if (id == oid::authority_info_access) {
      status = store(out.authority_info_access, parse_authority_info_access(value));
    } else if (id == oid::certificate_policies) {
      status = store(out.certificate_policies, parse_certificate_policies(value));
    } else if (extension.critical) {
      out.unsupported_critical.push_back(id);
    }
    if (!status) return fail(status.error());
  }
  return out;
}

}  // namespace duplex::x509
