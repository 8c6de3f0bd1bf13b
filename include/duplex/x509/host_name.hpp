// Reference identifiers (the name a client meant to reach) and their match against a
// certificate's presented identifiers: RFC 9525 (formerly RFC 6125) for DNS names, RFC 5280
// §4.2.1.6 for IP addresses.
//
//   auto peer = x509::parse_peer_name("www.example.com");   // or "192.0.2.1", "2001:db8::1"
//   bool ok = x509::matches_dns_name("*.example.com", "www.example.com");
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace duplex::x509 {

// A DNS name that passed is_valid_dns_name, lower-cased, without a trailing dot.
struct DnsName {
  std::string name;
};
// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
struct IpAddress {
  std::vector<std::uint8_t> bytes;
};
using PeerName = std::variant<DnsName, IpAddress>;

// "a.example.com" → DnsName; "192.0.2.1" or "2001:db8::1" (no brackets) → IpAddress; anything
// else → nullopt (a name with '_', an empty label, a label over 63 bytes, non-ASCII, ...).
std::optional<PeerName> parse_peer_name(std::string_view text);

// Strict dotted-quad IPv4 (no leading zeros, no hex, four parts).
std::optional<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view text);
// RFC 4291 §2.2 text forms, including "::" and a trailing dotted IPv4.
std::optional<std::array<std::uint8_t, 16>> parse_ipv6(std::string_view text);

// RFC 1035 §2.3.1 preferred syntax as RFC 1123 §2.1 relaxed it (letters, digits, hyphens; labels
// of 1-63 bytes not starting or ending with a hyphen; at most 253 bytes), one optional trailing dot.
bool is_valid_dns_name(std::string_view name);
// A dNSName as a certificate may present it: a valid DNS name, or "*." followed by one with at
// least two labels (RFC 9525 §6.3: the wildcard is the whole leftmost label, and "*.com" is not
// allowed as a pattern for a whole top-level domain).
bool is_valid_presented_dns_name(std::string_view name);

// RFC 9525 §6.3: `presented` (from a dNSName SAN, maybe a wildcard) against the reference name,
// ASCII case-insensitively; a wildcard stands for exactly one whole, non-empty leftmost label.
bool matches_dns_name(std::string_view presented, std::string_view reference);

// ASCII lower-casing (DNS names compare case-insensitively, RFC 4343).
std::string ascii_lower(std::string_view text);

}  // namespace duplex::x509
