#include "negotiation.hpp"


#include <algorithm>

namespace duplex::tls::detail {

namespace {

template <typename T>
bool contains(std::span<const T> values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower_ascii(x) == lower_ascii(y); });
}

}  // namespace

Result<Tls13Suite> choose_cipher_suite(std::span<const CipherSuite> ours, std::span<const CipherSuite> offered) {
  for (CipherSuite suite : ours) {
    if (!contains(offered, suite)) continue;
    if (auto tls13 = Tls13Suite::from(suite)) return *tls13;
  }
  // RFC 8446 §4.1.1: "If the server is unable to negotiate a supported set of parameters (i.e.,
  // there is no overlap between the client and server parameters), it MUST abort the handshake
  // with either a "handshake_failure" or "insufficient_security" fatal alert".
  return reject(AlertDescription::handshake_failure,
                "the ClientHello offers none of our TLS 1.3 cipher suites (RFC 8446 §4.1.1)");
}

Result<GroupChoice> choose_group(std::span<const NamedGroup> ours, std::span<const NamedGroup> client_groups,
                                 std::span<const KeyShareEntry> client_shares) {
  std::optional<NamedGroup> first_mutual;
  for (NamedGroup group : ours) {
    if (!crypto::is_supported(group) || !contains(client_groups, group)) continue;
    if (!first_mutual) first_mutual = group;
    // A share the client already sent saves the round trip of a HelloRetryRequest (§4.1.4).
    for (const KeyShareEntry& share : client_shares)
      if (share.group == group) return GroupChoice{group, &share};
  }
  if (first_mutual) return GroupChoice{*first_mutual, nullptr};
  // RFC 8446 §4.1.1: no overlap in (EC)DHE groups → "handshake_failure".
  return reject(AlertDescription::handshake_failure,
                "the ClientHello's supported_groups lists none of our groups (RFC 8446 §4.1.1)");
}

// Q: how far do wildcards go? A: as far as RFC 6125 §6.4.3 and the CA/Browser Forum allow and as
// Go, rustls and browsers do: "*" is the whole leftmost label and stands for exactly one
// non-empty label; "*.com" style patterns (one label after the star) match nothing.
bool dns_name_matches(std::string_view pattern, std::string_view host_name) {
  if (pattern.empty() || host_name.empty()) return false;
  if (!pattern.starts_with("*.")) return equal_ignoring_ascii_case(pattern, host_name);
  const std::string_view rest = pattern.substr(1);  // ".example.com"
  if (rest.find('.', 1) == std::string_view::npos) return false;
  const std::size_t dot = host_name.find('.');
  if (dot == 0 || dot == std::string_view::npos) return false;
  return equal_ignoring_ascii_case(rest, host_name.substr(dot));
}

Result<CertificateChoice> choose_certificate(std::span<const CertifiedKey> certificates,
                                             std::string_view server_name,
                                             std::span<const SignatureScheme> ours,
                                             std::span<const SignatureScheme> offered) {
  std::optional<CertificateChoice> fallback;
  for (const CertifiedKey& certified_key : certificates) {
    auto scheme = choose_signature_scheme(ours, offered, certified_key.private_key.type());
    if (!scheme) continue;
    const CertificateChoice choice{&certified_key, *scheme};
    if (!server_name.empty() &&
        std::any_of(certified_key.dns_names.begin(), certified_key.dns_names.end(),
                    [&](const std::string& name) { return dns_name_matches(name, server_name); }))
      return choice;
    if (!fallback) fallback = choice;
  }
  if (fallback) return *fallback;
  // RFC 8446 §4.4.2.2: "If the server cannot produce a certificate chain that is signed only via
  // the indicated supported algorithms, then it SHOULD continue the handshake" — with a chain
  // whose signatures the client may not like, but our CertificateVerify itself must use an offered
  // scheme (§4.4.3), and none of our keys can: §4.1.1's handshake_failure.
  return reject(AlertDescription::handshake_failure,
                "the ClientHello's signature_algorithms lists no scheme our certificates' keys can "
                "sign with (RFC 8446 §4.2.3, §4.4.3)");
}

Result<std::optional<std::string>> choose_alpn(std::span<const std::string> ours,
                                               std::span<const std::string> offered) {
  if (ours.empty() || offered.empty()) return std::optional<std::string>{};
  for (const std::string& protocol : ours)
    if (contains(offered, protocol)) return std::optional<std::string>{protocol};
  // RFC 7301 §3.2: "In the event that the server supports no protocols that the client
  // advertises, then the server SHALL respond with a fatal "no_application_protocol" alert."
  return reject(AlertDescription::no_application_protocol,
                "the ClientHello's application_layer_protocol_negotiation offers none of our "
                "protocols (RFC 7301 §3.2)");
}

}  // namespace duplex::tls::detail
