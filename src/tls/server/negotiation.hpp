// Private to src/tls: what a TLS 1.3 server chooses from a ClientHello (RFC 8446 §4.1.1,
// §4.2.3, §4.2.7, §4.2.8, §4.4.2.2; RFC 7301 §3.2), as pure functions of the ClientHello's
// offers and our ServerConfig. Our preference decides every choice: RFC 8446 §4.1.1 leaves it to
// the server.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../certificate_verify_rules.hpp"
#include "duplex/tls/cipher_suite.hpp"
#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/key_share.hpp"
#include "duplex/tls/named_group.hpp"
#include "duplex/tls/signature_scheme.hpp"
#include "duplex/tls/traffic_keys.hpp"

namespace duplex::tls::detail {

// The first of `ours` that the client offers and we implement; handshake_failure when none.
Result<Tls13Suite> choose_cipher_suite(std::span<const CipherSuite> ours, std::span<const CipherSuite> offered);

// The (EC)DHE group: `share` points into the client's shares when the client sent one for
// `group`; nullptr means a HelloRetryRequest must ask for it.
struct GroupChoice {
  NamedGroup group{};
  const KeyShareEntry* share = nullptr;
};
// Our most preferred mutual group that the client sent a share for; failing that, our most
// preferred mutual group (with no share). handshake_failure when there is no mutual group.
Result<GroupChoice> choose_group(std::span<const NamedGroup> ours, std::span<const NamedGroup> client_groups,
                                 std::span<const KeyShareEntry> client_shares);

// Whether `pattern` (a certificate's DNS name, "*.example.com" allowed as its one leftmost label)
// matches `host_name`, ignoring ASCII case (RFC 6125 §6.4.3).
bool dns_name_matches(std::string_view pattern, std::string_view host_name);

struct CertificateChoice {
  const CertifiedKey* certified_key = nullptr;
  SignatureScheme scheme{};
};
// ServerConfig::certificates: the first whose dns_names match `server_name` and whose key can sign
// with a scheme both sides support; else the first whose key can. handshake_failure when none can.
Result<CertificateChoice> choose_certificate(std::span<const CertifiedKey> certificates,
                                             std::string_view server_name,
                                             std::span<const SignatureScheme> ours,
                                             std::span<const SignatureScheme> offered);

// RFC 7301 §3.2: the first of ours the client offered; nullopt when either side lists none;
// no_application_protocol when both list protocols and none match.
Result<std::optional<std::string>> choose_alpn(std::span<const std::string> ours,
                                               std::span<const std::string> offered);

}  // namespace duplex::tls::detail
