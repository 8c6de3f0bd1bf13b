// RFC 5280 §4.2.1.10 and §6.1.3 (b)-(c): name constraints.
#include "duplex/x509/name_constraints.hpp"

#include <algorithm>

#include "duplex/x509/host_name.hpp"

namespace duplex::x509 {

namespace {

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && ascii_lower(text.substr(text.size() - suffix.size())) == ascii_lower(suffix);
}

// RFC 5280 §4.2.1.10 for rfc822Name: "a particular mailbox, all addresses at a particular host,
// or all mailboxes in a domain" ("local@host", "host", ".domain").
bool is_valid_email_constraint(std::string_view constraint) {
  if (const auto at = constraint.rfind('@'); at != std::string_view::npos)
    return at > 0 && is_valid_dns_name(constraint.substr(at + 1));
  if (constraint.starts_with('.')) return is_valid_dns_name(constraint.substr(1));
  return is_valid_dns_name(constraint);
}

// A mailbox "local@domain" (RFC 5321 §4.1.2 without quoted local parts): one '@', a non-empty
// local part and a valid domain.
bool is_valid_mailbox(std::string_view mailbox) {
  const auto at = mailbox.find('@');
  return at != std::string_view::npos && at > 0 && mailbox.find('@', at + 1) == std::string_view::npos &&
         is_valid_dns_name(mailbox.substr(at + 1));
}

// The host of "scheme://host[:port][/path]" (RFC 3986 §3.2.2), empty if there is none.
std::string_view uri_host(std::string_view uri) {
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = uri.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (rest.starts_with('[')) return {};  // an IP literal: a URI constraint names hosts only
  return rest.substr(0, rest.find(':'));
}

bool uri_within(std::string_view uri, std::string_view constraint) {
  const std::string_view host = uri_host(uri);
  if (host.empty()) return false;
  if (constraint.starts_with('.')) return ends_with_ignoring_case(host, constraint);
  return ascii_lower(host) == ascii_lower(constraint);
}

// The RDNs of a Name's DER, each as its SET's encoding; empty on malformed input.
std::vector<std::span<const std::uint8_t>> rdns_of(std::span<const std::uint8_t> name_der) {
  std::vector<std::span<const std::uint8_t>> out;
  der::Reader outer(name_der);
  auto sequence = outer.read_sequence();
  if (!sequence) return out;
  while (!sequence->empty()) {
    auto rdn = sequence->read_element(der::tags::set);
    if (!rdn) return {};
    out.push_back(rdn->encoding);
  }
  return out;
}

bool is_empty_name(std::span<const std::uint8_t> name_der) { return name_der.size() <= 2; }

// Whether a wildcard name "*.X" could stand for a name inside the excluded subtree `constraint`.
bool wildcard_reaches(std::string_view name, std::string_view constraint) {
  if (!name.starts_with("*.")) return false;
  const std::string_view base = name.substr(2);
  if (!ends_with_ignoring_case(constraint, "." + std::string(base))) return false;
  const std::string_view label = constraint.substr(0, constraint.size() - base.size() - 1);
  return !label.empty() && label.find('.') == std::string_view::npos;
}

}  // namespace

bool dns_name_within(std::string_view name, std::string_view constraint) {
  // RFC 5280 §4.2.1.10: "any DNS name that can be constructed by simply adding zero or more
  // labels to the left-hand side of the name satisfies the name constraint"; "" permits all.
  if (constraint.empty()) return true;
  if (name.size() == constraint.size()) return ascii_lower(name) == ascii_lower(constraint);
  return ends_with_ignoring_case(name, "." + std::string(constraint));
}

bool email_within(std::string_view mailbox, std::string_view constraint) {
  const auto at = mailbox.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view domain = mailbox.substr(at + 1);
  // Q: Is the local part compared case-sensitively? A: Yes (RFC 5280 §7.5: only the host part
  //    is case-insensitive); "*" in a constraint is a literal character, not a pattern.
  if (const auto constraint_at = constraint.rfind('@'); constraint_at != std::string_view::npos)
    return mailbox.substr(0, at) == constraint.substr(0, constraint_at) &&
           ascii_lower(domain) == ascii_lower(constraint.substr(constraint_at + 1));
  if (constraint.starts_with('.')) return ends_with_ignoring_case(domain, constraint);
  return ascii_lower(domain) == ascii_lower(constraint);
}

bool ip_within(std::span<const std::uint8_t> address, std::span<const std::uint8_t> constraint) {
  if (constraint.size() != 2 * address.size()) return false;  // IPv4 never within IPv6, and back
  for (std::size_t i = 0; i < address.size(); ++i) {
    const std::uint8_t mask = constraint[address.size() + i];
    if ((address[i] & mask) != (constraint[i] & mask)) return false;
  }
  return true;
}

bool directory_name_within(std::span<const std::uint8_t> name_der, std::span<const std::uint8_t> constraint_der) {
  const auto name = rdns_of(name_der);
  const auto constraint = rdns_of(constraint_der);
  if (constraint.size() > name.size()) return false;
  for (std::size_t i = 0; i < constraint.size(); ++i)
    if (!std::ranges::equal(name[i], constraint[i])) return false;
  return true;
}

Result<Unit, NameConstraintFailure> check_constraints_syntax(const NameConstraints& constraints) {
  for (const auto* list : {&constraints.permitted, &constraints.excluded}) {
    if (!*list) continue;
    for (const auto& subtree : **list) {
      bool valid = true;
      switch (subtree.type) {
        // RFC 5280 §4.2.1.10: a DNS constraint is a host name (no leading period, no wildcard).
        case GeneralNameType::dns_name: valid = subtree.value.empty() || is_valid_dns_name(subtree.text()); break;
        case GeneralNameType::rfc822_name: valid = is_valid_email_constraint(subtree.text()); break;
        case GeneralNameType::uri: {
          const std::string_view host = subtree.text();
          valid = is_valid_dns_name(host.starts_with('.') ? host.substr(1) : host);
          break;
        }
        default: break;
      }
      if (!valid)
        return fail(NameConstraintFailure{NameConstraintError::invalid_constraint,
                                          "the subtree " + subtree.to_display() + " is not a valid constraint"});
    }
  }
  return Unit{};
}

Result<Unit, NameConstraintFailure> check_name_constraints(const NameConstraints& constraints,
                                                           const Certificate& certificate,
                                                           std::span<const GeneralName> sans,
                                                           std::uint32_t& comparisons) {
  std::vector<GeneralName> names(sans.begin(), sans.end());
  // RFC 5280 §6.1.3 (b): the subject DN is checked as a directoryName.
  if (!is_empty_name(certificate.subject.der))
    names.push_back({GeneralNameType::directory_name, certificate.subject.der});

  // Whether `name` lies within `subtree` (same type only); nullopt when the name cannot be checked.
  auto within = [](const GeneralName& name, const GeneralName& subtree, bool excluded) -> std::optional<bool> {
    switch (name.type) {
      case GeneralNameType::dns_name:
        if (!is_valid_presented_dns_name(name.text())) return std::nullopt;
        return dns_name_within(name.text(), subtree.text()) || (excluded && wildcard_reaches(name.text(), subtree.text()));
      case GeneralNameType::rfc822_name:
        if (!is_valid_mailbox(name.text())) return std::nullopt;
        return email_within(name.text(), subtree.text());
      case GeneralNameType::uri: return uri_within(name.text(), subtree.text());
      case GeneralNameType::ip_address:
        if (name.value.size() != 4 && name.value.size() != 16) return std::nullopt;
        return ip_within(name.value, subtree.value);
      case GeneralNameType::directory_name: return directory_name_within(name.value, subtree.value);
      default: return std::nullopt;
    }
  };

  for (const auto& name : names) {
    bool permitted_of_type = false, permitted = false;
    if (constraints.permitted) {
      for (const auto& subtree : *constraints.permitted) {
        if (subtree.type != name.type) continue;
        permitted_of_type = true;
        if (comparisons == 0) return fail(NameConstraintFailure{NameConstraintError::budget_exhausted, "too many name comparisons"});
        --comparisons;
        auto inside = within(name, subtree, false);
        if (!inside)
          return fail(NameConstraintFailure{NameConstraintError::unprocessable,
                                            name.to_display() + " cannot be checked against the name constraints"});
        if (*inside) {
          permitted = true;
          break;
        }
      }
    }
    if (permitted_of_type && !permitted)
      return fail(NameConstraintFailure{NameConstraintError::violated, name.to_display() + " is not in a permitted subtree"});
    if (!constraints.excluded) continue;
    for (const auto& subtree : *constraints.excluded) {
      if (subtree.type != name.type) continue;
      if (comparisons == 0) return fail(NameConstraintFailure{NameConstraintError::budget_exhausted, "too many name comparisons"});
      --comparisons;
      auto inside = within(name, subtree, true);
      if (!inside)
        return fail(NameConstraintFailure{NameConstraintError::unprocessable,
                                          name.to_display() + " cannot be checked against the name constraints"});
      if (*inside)
        return fail(NameConstraintFailure{NameConstraintError::violated,
                                          name.to_display() + " is in the excluded subtree " + subtree.to_display()});
    }
  }
  return Unit{};
}

}  // namespace duplex::x509
