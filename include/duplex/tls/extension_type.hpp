// RFC 8446 §4.2 extension types (and the later RFCs' that the table in extension_table.hpp names).
#pragma once

#include <cstdint>
#include <string>

namespace duplex::tls {

// Open enum: RFC 8446 §4.2 says unknown extensions are ignored, so every value must fit.
enum class ExtensionType : std::uint16_t {
  server_name = 0,                              // RFC 6066
  max_fragment_length = 1,                      // RFC 6066
  status_request = 5,                           // RFC 6066
  supported_groups = 10,                        // RFC 8422, RFC 7919
  ec_point_formats = 11,                        // RFC 8422 (TLS 1.2 only)
  signature_algorithms = 13,                    // RFC 8446
  use_srtp = 14,                                // RFC 5764
  heartbeat = 15,                               // RFC 6520
  application_layer_protocol_negotiation = 16,  // RFC 7301
  signed_certificate_timestamp = 18,            // RFC 6962
  client_certificate_type = 19,                 // RFC 7250
  server_certificate_type = 20,                 // RFC 7250
  padding = 21,                                 // RFC 7685
  extended_master_secret = 23,                  // RFC 7627 (TLS 1.2 only)
  record_size_limit = 28,                       // RFC 8449
  session_ticket = 35,                          // RFC 5077 (TLS 1.2 only)
  pre_shared_key = 41,                          // RFC 8446
  early_data = 42,                              // RFC 8446
  supported_versions = 43,                      // RFC 8446
  cookie = 44,                                  // RFC 8446
  psk_key_exchange_modes = 45,                  // RFC 8446
  certificate_authorities = 47,                 // RFC 8446
  oid_filters = 48,                             // RFC 8446
  post_handshake_auth = 49,                     // RFC 8446
  signature_algorithms_cert = 50,               // RFC 8446
  key_share = 51,                               // RFC 8446
  renegotiation_info = 0xff01,                  // RFC 5746 (TLS 1.2 only)
};

// "key_share" or "0xfe0d".
std::string to_string(ExtensionType type);

}  // namespace duplex::tls
