// RFC 7301 §3.1 application_layer_protocol_negotiation (ALPN).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/extension.hpp"

namespace duplex::tls {

// opaque ProtocolName<1..2^8-1>; struct { ProtocolName protocol_name_list<2..2^16-1> } ProtocolNameList;
// An empty name or an empty list is out of its bounds → decode_error ("Empty strings MUST NOT be
// included"). In EncryptedExtensions the list "MUST contain exactly one "ProtocolName""
// → illegal_parameter otherwise. Names are bytes (often ASCII), kept in std::string.
Result<std::vector<std::string>> parse_alpn(std::span<const std::uint8_t> data, ExtensionContext context);

// The extension for these names (each 1..255 bytes, at least one).
Extension make_alpn(std::span<const std::string> protocol_names);

}  // namespace duplex::tls
