// RFC 8446 §4.6.3 KeyUpdate.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "duplex/tls/error.hpp"

namespace duplex::tls {

// enum { update_not_requested(0), update_requested(1), (255) } KeyUpdateRequest;
// Closed on receipt: any other value is refused (see parse_key_update).
enum class KeyUpdateRequest : std::uint8_t {
  update_not_requested = 0,
  update_requested = 1,
};

// struct { KeyUpdateRequest request_update; } KeyUpdate;
struct KeyUpdate {
  KeyUpdateRequest request_update = KeyUpdateRequest::update_not_requested;

  bool operator==(const KeyUpdate&) const = default;
};

// A request_update other than 0 or 1 → illegal_parameter (§4.6.3: "If an implementation
// receives any other value, it MUST terminate the connection with an "illegal_parameter" alert").
Result<KeyUpdate> parse_key_update(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_key_update(const KeyUpdate& message);

}  // namespace duplex::tls
