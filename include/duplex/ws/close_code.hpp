// RFC 6455 §7.4 close status codes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace duplex::ws {

// Open enum: any 16-bit value read off the wire fits; is_valid_on_wire() says which may be sent.
enum class CloseCode : std::uint16_t {
  normal = 1000,
  going_away = 1001,
  protocol_error = 1002,
  unsupported_data = 1003,
  no_status_received = 1005,   // never on the wire: the close frame had no code
  abnormal_closure = 1006,     // never on the wire: the transport ended without a close frame
  invalid_payload = 1007,      // e.g. text that is not UTF-8
  policy_violation = 1008,
  message_too_big = 1009,
  mandatory_extension = 1010,
  internal_error = 1011,
  service_restart = 1012,
  try_again_later = 1013,
  bad_gateway = 1014,
  tls_handshake = 1015,        // never on the wire
};

// RFC 6455 §7.4.1/§7.4.2 and the IANA registry: 1000-1003, 1007-1014 and 3000-4999 may appear in a
// close frame; 1004-1006, 1015, the rest of 0-2999 and 5000+ may not.
constexpr bool is_valid_on_wire(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  if (code >= 1000 && code <= 1003) return true;
  return code >= 1007 && code <= 1014;
}

// Whether a close frame with this code and reason may be sent: a code valid on the wire and a
// UTF-8 reason that fits a control frame with it (RFC 6455 §5.5: 125 bytes, so 123 of reason);
// or 1005 with no reason, which sends a close frame without a code (§7.4.1).
bool can_send_close(CloseCode code, std::string_view reason);

// "1000 (normal)", "4321 (application)", "1099 (unassigned)".
std::string to_string(CloseCode code);

}  // namespace duplex::ws
