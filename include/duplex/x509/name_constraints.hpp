// Name constraints (RFC 5280 §4.2.1.10) applied to the names of a certificate below the CA that
// holds them: SAN dNSName, iPAddress, rfc822Name, URI and directoryName entries, and the subject
// DN. The common name is never consulted (RFC 9525 §6.4.4; webpki and Go agree).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/util/result.hpp"
#include "duplex/x509/extensions.hpp"

namespace duplex::x509 {

enum class NameConstraintError : std::uint8_t {
  invalid_constraint,  // a subtree that is not a valid constraint of its type (".example.com" DNS)
  violated,            // a name outside every permitted subtree of its type, or inside an excluded one
  unprocessable,       // a name of a type we cannot compare (otherName, ...) under constraints of that type
  budget_exhausted,    // more comparisons than the budget allows
};

struct NameConstraintFailure {
  NameConstraintError code = NameConstraintError::violated;
  std::string detail;  // "DNS:foo.example.com is not in a permitted subtree"
};

// Each subtree of `constraints` is a valid constraint of its type.
Result<Unit, NameConstraintFailure> check_constraints_syntax(const NameConstraints& constraints);

// The names of `certificate` (its subject DN and `sans`) against `constraints`. `comparisons`
// is decremented per comparison; budget_exhausted when it would go below zero.
Result<Unit, NameConstraintFailure> check_name_constraints(const NameConstraints& constraints,
                                                           const Certificate& certificate,
                                                           std::span<const GeneralName> sans,
                                                           std::uint32_t& comparisons);

// The single comparisons, for tests: whether `name` lies within the subtree `constraint`.
bool dns_name_within(std::string_view name, std::string_view constraint);
bool email_within(std::string_view mailbox, std::string_view constraint);
bool ip_within(std::span<const std::uint8_t> address, std::span<const std::uint8_t> constraint);
bool directory_name_within(std::span<const std::uint8_t> name_der, std::span<const std::uint8_t> constraint_der);

}  // namespace duplex::x509
