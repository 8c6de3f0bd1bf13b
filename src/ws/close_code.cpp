#include "duplex/ws/close_code.hpp"

#include "duplex/ws/utf8.hpp"

namespace duplex::ws {

namespace {

const char* name_of(std::uint16_t code) {
  switch (static_cast<CloseCode>(code)) {
    case CloseCode::normal: return "normal";
    case CloseCode::going_away: return "going away";
    case CloseCode::protocol_error: return "protocol error";
    case CloseCode::unsupported_data: return "unsupported data";
    case CloseCode::no_status_received: return "no status received";
    case CloseCode::abnormal_closure: return "abnormal closure";
    case CloseCode::invalid_payload: return "invalid payload";
    case CloseCode::policy_violation: return "policy violation";
    case CloseCode::message_too_big: return "message too big";
    case CloseCode::mandatory_extension: return "mandatory extension";
    case CloseCode::internal_error: return "internal error";
    case CloseCode::service_restart: return "service restart";
    case CloseCode::try_again_later: return "try again later";
    case CloseCode::bad_gateway: return "bad gateway";
    case CloseCode::tls_handshake: return "TLS handshake";
  }
  // RFC 6455 §7.4.2: 3000-3999 are registered with IANA for libraries and frameworks,
  // 4000-4999 are for private use by applications.
  if (code >= 3000 && code <= 3999) return "registered";
  if (code >= 4000 && code <= 4999) return "application";
  return "unassigned";
}

}  // namespace

bool can_send_close(CloseCode code, std::string_view reason) {
  // An empty close frame: the one way 1005 "appears", by its absence (RFC 6455 §7.4.1).
  if (code == CloseCode::no_status_received) return reason.empty();
  // RFC 6455 §5.5: a control frame's payload is at most 125 bytes, two of them the code.
  return is_valid_on_wire(static_cast<std::uint16_t>(code)) && 2 + reason.size() <= 125 && is_valid_utf8(reason);
}

std::string to_string(CloseCode code) {
  const auto value = static_cast<std::uint16_t>(code);
  return std::to_string(value) + " (" + name_of(value) + ")";
}

}  // namespace duplex::ws
