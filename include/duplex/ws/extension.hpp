// WebSocket extensions as the opening handshake names them: the Sec-WebSocket-Extensions field
// of RFC 6455 §9.1, e.g. "permessage-deflate; client_max_window_bits, x-webkit-deflate-frame".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/util/result.hpp"

namespace duplex::ws {

// RFC 6455 §9.1: extension-param = token [ "=" (token | quoted-string) ].
struct ExtensionParameter {
  std::string name;
  std::optional<std::string> value;  // unquoted; nullopt for a bare name
  bool operator==(const ExtensionParameter&) const = default;
};

// RFC 6455 §9.1: extension = extension-token *( ";" extension-param ).
struct Extension {
  std::string name;
  std::vector<ExtensionParameter> parameters;
  bool operator==(const Extension&) const = default;
};

// The extensions of a Sec-WebSocket-Extensions value (its lines joined with commas, as
// http::Fields::get gives them), in order. Empty list elements are skipped (RFC 9110 §5.6.1);
// anything else outside the grammar is an error with a sentence saying where.
Result<std::vector<Extension>> parse_extensions(std::string_view value);

}  // namespace duplex::ws
