// Private to src/tls/server: what the server reads from a ClientHello before it chooses anything:
// the version (where TLS 1.3 and TLS 1.2 meet), then that version's rules and the client's offers
// as typed values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/protocol_version.hpp"
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

// The version to speak with this client, where the versions meet (RFC 8446 §4.2.1, §D.2, §D.5;
// RFC 5246 §E.1): TLS 1.3 when supported_versions lists it and we speak it; else TLS 1.2 when the
// client offers it (in supported_versions, or by legacy_version without it) and we speak it; else
// protocol_version. TLS_FALLBACK_SCSV from a client offering less than our highest →
// inappropriate_fallback (RFC 7507 §3).
Result<ProtocolVersion> choose_version(const ClientHello& hello, const std::vector<ProtocolVersion>& ours);

// What a TLS 1.2 ClientHello offers (RFC 5246 §7.4.1.2, RFC 8422 §5.1, RFC 5746, RFC 7627).
struct Tls12ClientHelloOffers {
  std::vector<NamedGroup> supported_groups;      // empty: no ECDHE
  std::vector<SignatureScheme> signature_algorithms;  // empty: SHA-1 only, which we refuse
  bool extended_master_secret = false;
  bool ec_point_formats = false;                 // the client sent the extension (we answer it)
  std::string server_name;
  std::vector<std::string> alpn_protocols;
  std::optional<std::uint16_t> record_size_limit;
};
// Errors: no null compression → illegal_parameter; neither renegotiation_info nor its SCSV, or a
// non-empty renegotiation_info → handshake_failure (RFC 5746 §3.6); point formats without
// uncompressed → illegal_parameter (RFC 8422 §5.1.2).
Result<Tls12ClientHelloOffers> read_tls12_client_hello_offers(const ClientHello& hello);

// For a TLS 1.3 ClientHello (choose_version chose TLS 1.3) authenticating with certificates
// (no PSK). Errors:
// - legacy_compression_methods other than [0] → illegal_parameter (§4.1.2);
// - supported_groups without key_share or the reverse, or no signature_algorithms or
//   supported_groups → missing_extension (§9.2).
Result<ClientHelloOffers> read_client_hello_offers(const ClientHello& hello);

}  // namespace duplex::tls::detail
