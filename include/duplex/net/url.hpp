// WebSocket URLs (RFC 6455 §3): ws://host[:port]/path?query and wss:// (TLS).
//
//   auto url = net::parse_url("ws://[::1]:8080/chat?room=1");
//   // url->host == "::1", url->port == 8080, url->target == "/chat?room=1"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "duplex/util/result.hpp"

namespace duplex::net {

struct Url {
  bool secure = false;       // wss://
  std::string host;          // without the brackets of an IPv6 literal
  std::uint16_t port = 80;   // 80 for ws://, 443 for wss:// unless given
  std::string target = "/";  // path and query, never empty
  // The Host field value: the host (bracketed if IPv6) with ":port" when not the default.
  std::string host_field() const;
};

// Errors name the problem ("the URL must start with ws:// or wss://", "the port is not a number").
Result<Url> parse_url(std::string_view text);

}  // namespace duplex::net
