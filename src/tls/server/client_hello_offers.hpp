// Private to src/tls: what a TLS 1.3 server reads from a ClientHello before it chooses anything:
// the version rules (RFC 8446 §4.1.2, §4.2.1, §D.2), the compression rule (§4.1.2) and the
// mandatory extensions (§9.2), then the client's offers as typed values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/key_share.hpp"
#include "duplex/tls/named_group.hpp"
#include "duplex/tls/signature_scheme.hpp"

namespace duplex::tls::detail {

struct ClientHelloOffers {
  std::vector<NamedGroup> supported_groups;
  std::vector<KeyShareEntry> key_shares;
  std::vector<SignatureScheme> signature_algorithms;
  std::string server_name;                 // empty when the client sent none
  std::vector<std::string> alpn_protocols;  // empty when the client sent no ALPN extension
  std::optional<std::uint16_t> record_size_limit;  // RFC 8449
};

// For a server that speaks TLS 1.3 only and authenticates with certificates (no PSK). Errors:
// - no supported_versions, or one without 0x0304 → protocol_version (§4.2.1, §D.2);
// - legacy_version other than 0x0303 → protocol_version (§4.1.2);
// - legacy_compression_methods other than [0] → illegal_parameter (§4.1.2);
// - supported_groups without key_share or the reverse, or no signature_algorithms or
//   supported_groups → missing_extension (§9.2).
Result<ClientHelloOffers> read_client_hello_offers(const ClientHello& hello);

}  // namespace duplex::tls::detail
