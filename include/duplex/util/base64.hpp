// Base64 (RFC 4648 §4, with padding), used by the WebSocket handshake and PEM.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace duplex {

std::string base64_encode(std::span<const std::uint8_t> bytes);

// Strict decoding: the canonical alphabet, correct padding, no white space, and zero bits where
// the last character carries padding bits. Returns nullopt for anything else.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace duplex
