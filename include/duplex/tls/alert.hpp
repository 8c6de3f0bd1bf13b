// RFC 8446 §6 alert protocol: levels and descriptions.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum (RFC 8446 §6): any byte read off the wire fits.
enum class AlertLevel : std::uint8_t {
  warning = 1,
  fatal = 2,
};

// Open enum: all RFC 8446 §6 values; unknown ones are kept and printed in hex.
enum class AlertDescription : std::uint8_t {
  close_notify = 0,
  unexpected_message = 10,
  bad_record_mac = 20,
  decryption_failed_RESERVED = 21,       // TLS 1.0 only: never sent by TLS 1.3
  record_overflow = 22,
  decompression_failure_RESERVED = 30,   // never sent by TLS 1.3
  handshake_failure = 40,
  no_certificate_RESERVED = 41,          // SSL 3.0 only: never sent by TLS 1.3
  bad_certificate = 42,
  unsupported_certificate = 43,
  certificate_revoked = 44,
  certificate_expired = 45,
  certificate_unknown = 46,
  illegal_parameter = 47,
  unknown_ca = 48,
  access_denied = 49,
  decode_error = 50,
  decrypt_error = 51,
  export_restriction_RESERVED = 60,      // never sent by TLS 1.3
  protocol_version = 70,
  insufficient_security = 71,
  internal_error = 80,
  inappropriate_fallback = 86,
  user_canceled = 90,
  no_renegotiation = 100,  // TLS 1.2 (RFC 5246 §7.2.2, always a warning); RFC 8446 reserves it
  missing_extension = 109,
  unsupported_extension = 110,
  certificate_unobtainable_RESERVED = 111,  // never sent by TLS 1.3
  unrecognized_name = 112,
  bad_certificate_status_response = 113,
  bad_certificate_hash_value_RESERVED = 114,  // never sent by TLS 1.3
  unknown_psk_identity = 115,
  certificate_required = 116,
  no_application_protocol = 120,
};

// "warning", "fatal" or "0x03".
std::string to_string(AlertLevel level);
// "decode_error" or "0x7f".
std::string to_string(AlertDescription description);

}  // namespace duplex::tls
