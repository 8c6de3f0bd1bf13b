// RFC 8446 §4.2.8 key_share: the ClientHello's list, the ServerHello's one share and the
// HelloRetryRequest's selected group.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/extension.hpp"
#include "duplex/tls/named_group.hpp"

namespace duplex::tls {

// struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry;
struct KeyShareEntry {
  NamedGroup group{};
  std::vector<std::uint8_t> key_exchange;  // the public value, e.g. 32 bytes for x25519

  bool operator==(const KeyShareEntry&) const = default;
};

// struct { KeyShareEntry client_shares<0..2^16-1>; } KeyShareClientHello;
// A group offered twice → illegal_parameter (§4.2.8: "Clients MUST NOT offer multiple
// KeyShareEntry values for the same group ... Servers MAY check for violations").
Result<std::vector<KeyShareEntry>> parse_key_share_client_hello(std::span<const std::uint8_t> data);
// struct { KeyShareEntry server_share; } KeyShareServerHello;
Result<KeyShareEntry> parse_key_share_server_hello(std::span<const std::uint8_t> data);
// struct { NamedGroup selected_group; } KeyShareHelloRetryRequest;
Result<NamedGroup> parse_key_share_hello_retry_request(std::span<const std::uint8_t> data);

Extension make_key_share_client_hello(std::span<const KeyShareEntry> client_shares);
Extension make_key_share_server_hello(const KeyShareEntry& server_share);
Extension make_key_share_hello_retry_request(NamedGroup selected_group);

}  // namespace duplex::tls
