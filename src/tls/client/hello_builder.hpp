// Private to src/tls: the client's ClientHello (RFC 8446 §4.1.2) made from a ClientConfig, the
// second ClientHello after a HelloRetryRequest (§4.1.4), and what the first one offered, which
// every answer of the server is checked against.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/crypto/key_exchange.hpp"
#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/key_share.hpp"

namespace duplex::tls::detail {

// What a ClientHello takes from the CSPRNG. start() draws it; a known-answer test (RFC 8448)
// gives the trace's values instead.
struct ClientRandomness {
  std::array<std::uint8_t, 32> random{};
  // RFC 8446 §D.4: 32 random bytes in middlebox compatibility mode; empty otherwise.
  std::vector<std::uint8_t> legacy_session_id;
  // One per config.key_share_groups, in that order.
  std::vector<crypto::KeyShare> key_shares;
  // Tests only: changes the first ClientHello before it is encoded (a trace's ClientHello carries
  // extensions we never send). What it leaves is what the handshake holds the server to.
  std::function<void(ClientHello&)> edit_client_hello;
};

// Fresh randomness for `config`; internal_error for a key share group the provider cannot make.
Result<ClientRandomness> draw_client_randomness(const ClientConfig& config);

// The HostName the ClientHello sends for `name` (RFC 6066 §3), or nullopt for an IP literal or an
// empty name, which are not sent. A fully qualified "example.com." loses its trailing dot.
std::optional<std::string> server_name_indication(std::string_view name);

// What the ClientHello offered, as the server must answer it.
struct ClientOffer {
  std::array<std::uint8_t, 32> random{};
  std::vector<std::uint8_t> legacy_session_id;
  std::vector<CipherSuite> cipher_suites;
  std::vector<NamedGroup> supported_groups;
  std::vector<SignatureScheme> signature_schemes;
  std::vector<std::string> alpn_protocols;
  std::optional<std::uint16_t> record_size_limit;
  std::vector<Extension> extensions;  // the first ClientHello's, for check_extensions_offered
  bool offers_tls13 = false;          // supported_versions lists TLS 1.3
  bool offers_tls12 = false;          // TLS 1.2's suites are offered
};

// Reads the offer back from a ClientHello we made (so what the server is held to is exactly what
// went on the wire).
Result<ClientOffer> read_client_offer(const ClientHello& hello);

// The first ClientHello, for the configured versions: supported_versions and key_share when it
// offers TLS 1.3; extended_master_secret, renegotiation_info and ec_point_formats when it offers
// TLS 1.2; supported_groups, signature_algorithms, server_name (DNS names only), ALPN and
// record_size_limit when configured.
// internal_error for a configuration that cannot make one.
Result<ClientHello> build_client_hello(const ClientConfig& config, std::string_view server_name,
                                       const ClientRandomness& randomness);

// RFC 8446 §4.1.2: after a HelloRetryRequest the client sends "the same ClientHello" except that
// key_share holds `key_share` when the HelloRetryRequest selected a group, a cookie extension
// echoes the HelloRetryRequest's cookie, and there is no early_data (we never send it).
ClientHello build_retried_client_hello(const ClientHello& first, const std::optional<KeyShareEntry>& key_share,
                                       const std::optional<std::vector<std::uint8_t>>& cookie);

}  // namespace duplex::tls::detail
