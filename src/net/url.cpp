#include "duplex/net/url.hpp"

#include <charconv>

namespace duplex::net {

std::string Url::host_field() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (secure ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

Result<Url> parse_url(std::string_view text) {
  Url url;
  // RFC 6455 §3: the scheme is case-insensitive.
  auto starts_with_ci = [&](std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
  };
  if (starts_with_ci("ws://")) {
    text.remove_prefix(5);
  } else if (starts_with_ci("wss://")) {
    text.remove_prefix(6);
    url.secure = true;
    url.port = 443;
  } else {
    return fail(Error{1, "the URL must start with ws:// or wss://"});
  }
  // RFC 6455 §3: "fragment identifiers are meaningless in the context of WebSocket URIs".
  if (text.find('#') != std::string_view::npos) return fail(Error{2, "a WebSocket URL cannot have a fragment (#)"});
  const std::size_t slash = text.find_first_of("/?");
  std::string_view authority = text.substr(0, slash);
  if (slash != std::string_view::npos) {
    url.target = std::string(text.substr(slash));
    if (url.target[0] == '?') url.target.insert(url.target.begin(), '/');
  }
  if (authority.find('@') != std::string_view::npos) return fail(Error{3, "a WebSocket URL cannot carry user information"});
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail(Error{4, "the IPv6 address has no closing ]"});
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return fail(Error{4, "unexpected characters after the IPv6 address"});
      port_text = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return fail(Error{5, "the URL has no host"});
  if (!port_text.empty() || authority.ends_with(':')) {
    unsigned value = 0;
    auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535)
      return fail(Error{6, "the port is not a number from 1 to 65535"});
    url.port = static_cast<std::uint16_t>(value);
  }
  return url;
}

}  // namespace duplex::net
