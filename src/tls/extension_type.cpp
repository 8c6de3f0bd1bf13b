#include "duplex/tls/extension_type.hpp"

#include "hex_name.hpp"

namespace duplex::tls {

std::string to_string(ExtensionType type) {
  using enum ExtensionType;
  switch (type) {
    case server_name: return "server_name";
    case max_fragment_length: return "max_fragment_length";
    case status_request: return "status_request";
    case supported_groups: return "supported_groups";
    case ec_point_formats: return "ec_point_formats";
    case signature_algorithms: return "signature_algorithms";
    case use_srtp: return "use_srtp";
    case heartbeat: return "heartbeat";
    case application_layer_protocol_negotiation: return "application_layer_protocol_negotiation";
    case signed_certificate_timestamp: return "signed_certificate_timestamp";
    case client_certificate_type: return "client_certificate_type";
    case server_certificate_type: return "server_certificate_type";
    case padding: return "padding";
    case extended_master_secret: return "extended_master_secret";
    case record_size_limit: return "record_size_limit";
    case session_ticket: return "session_ticket";
    case pre_shared_key: return "pre_shared_key";
    case early_data: return "early_data";
    case supported_versions: return "supported_versions";
    case cookie: return "cookie";
    case psk_key_exchange_modes: return "psk_key_exchange_modes";
    case certificate_authorities: return "certificate_authorities";
    case oid_filters: return "oid_filters";
    case post_handshake_auth: return "post_handshake_auth";
    case signature_algorithms_cert: return "signature_algorithms_cert";
    case key_share: return "key_share";
    case renegotiation_info: return "renegotiation_info";
  }
  return hex_name(static_cast<std::uint16_t>(type), 4);
}

}  // namespace duplex::tls
