#include "duplex/tls/alert.hpp"

#include "hex_name.hpp"

namespace duplex::tls {

std::string to_string(AlertLevel level) {
  switch (level) {
    case AlertLevel::warning: return "warning";
    case AlertLevel::fatal: return "fatal";
  }
  return hex_name(static_cast<std::uint8_t>(level), 2);
}

std::string to_string(AlertDescription description) {
  using enum AlertDescription;
  switch (description) {
    case close_notify: return "close_notify";
    case unexpected_message: return "unexpected_message";
    case bad_record_mac: return "bad_record_mac";
    case record_overflow: return "record_overflow";
    case handshake_failure: return "handshake_failure";
    case bad_certificate: return "bad_certificate";
    case unsupported_certificate: return "unsupported_certificate";
    case certificate_revoked: return "certificate_revoked";
    case certificate_expired: return "certificate_expired";
    case certificate_unknown: return "certificate_unknown";
    case illegal_parameter: return "illegal_parameter";
    case unknown_ca: return "unknown_ca";
    case access_denied: return "access_denied";
    case decode_error: return "decode_error";
    case decrypt_error: return "decrypt_error";
    case protocol_version: return "protocol_version";
    case insufficient_security: return "insufficient_security";
    case internal_error: return "internal_error";
    case inappropriate_fallback: return "inappropriate_fallback";
    case user_canceled: return "user_canceled";
    case missing_extension: return "missing_extension";
    case unsupported_extension: return "unsupported_extension";
    case unrecognized_name: return "unrecognized_name";
    case bad_certificate_status_response: return "bad_certificate_status_response";
    case unknown_psk_identity: return "unknown_psk_identity";
    case certificate_required: return "certificate_required";
    case no_application_protocol: return "no_application_protocol";
    case bad_certificate_hash_value_RESERVED: return "bad_certificate_hash_value_RESERVED";
    case certificate_unobtainable_RESERVED: return "certificate_unobtainable_RESERVED";
    case no_renegotiation: return "no_renegotiation";
    case export_restriction_RESERVED: return "export_restriction_RESERVED";
    case no_certificate_RESERVED: return "no_certificate_RESERVED";
    case decompression_failure_RESERVED: return "decompression_failure_RESERVED";
    case decryption_failed_RESERVED: return "decryption_failed_RESERVED";
  }
  return hex_name(static_cast<std::uint8_t>(description), 2);
}

}  // namespace duplex::tls
