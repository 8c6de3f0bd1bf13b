// RFC 8446 §4.2's table of which extension may appear in which message, as data (one line per
// extension, in the RFC's order), so the code that enforces it is a lookup.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "duplex/tls/extension.hpp"
#include "duplex/tls/extension_type.hpp"

namespace duplex::tls {

struct ExtensionRule {
  ExtensionType type;
  std::uint8_t allowed;  // a set of ExtensionContext bits
};

namespace table {
inline constexpr std::uint8_t CH = static_cast<std::uint8_t>(ExtensionContext::client_hello);
inline constexpr std::uint8_t SH = static_cast<std::uint8_t>(ExtensionContext::server_hello);
inline constexpr std::uint8_t HRR = static_cast<std::uint8_t>(ExtensionContext::hello_retry_request);
inline constexpr std::uint8_t EE = static_cast<std::uint8_t>(ExtensionContext::encrypted_extensions);
inline constexpr std::uint8_t CT = static_cast<std::uint8_t>(ExtensionContext::certificate);
inline constexpr std::uint8_t CR = static_cast<std::uint8_t>(ExtensionContext::certificate_request);
inline constexpr std::uint8_t NST = static_cast<std::uint8_t>(ExtensionContext::new_session_ticket);
}  // namespace table

// RFC 8446 §4.2: "The table below indicates the messages where a given extension may appear
// [...]. If an implementation receives an extension which it recognizes and which is not
// specified for the message in which it appears, it MUST abort the handshake with an
// "illegal_parameter" alert."
// Extensions that exist only in TLS 1.2 (ec_point_formats, extended_master_secret,
// session_ticket, renegotiation_info) are allowed in a ClientHello, which may offer TLS 1.2 too.
inline constexpr std::array extension_table = {
    // clang-format off
    ExtensionRule{ExtensionType::server_name,                            table::CH | table::EE},
    ExtensionRule{ExtensionType::max_fragment_length,                    table::CH | table::EE},
    ExtensionRule{ExtensionType::status_request,                         table::CH | table::CR | table::CT},
    ExtensionRule{ExtensionType::supported_groups,                       table::CH | table::EE},
    ExtensionRule{ExtensionType::signature_algorithms,                   table::CH | table::CR},
    ExtensionRule{ExtensionType::use_srtp,                               table::CH | table::EE},
    ExtensionRule{ExtensionType::heartbeat,                              table::CH | table::EE},
    ExtensionRule{ExtensionType::application_layer_protocol_negotiation, table::CH | table::EE},
    ExtensionRule{ExtensionType::signed_certificate_timestamp,           table::CH | table::CR | table::CT},
    ExtensionRule{ExtensionType::client_certificate_type,                table::CH | table::EE},
    ExtensionRule{ExtensionType::server_certificate_type,                table::CH | table::EE},
    ExtensionRule{ExtensionType::padding,                                table::CH},
    ExtensionRule{ExtensionType::key_share,                              table::CH | table::SH | table::HRR},
    ExtensionRule{ExtensionType::pre_shared_key,                         table::CH | table::SH},
    ExtensionRule{ExtensionType::psk_key_exchange_modes,                 table::CH},
    ExtensionRule{ExtensionType::early_data,                             table::CH | table::EE | table::NST},
    ExtensionRule{ExtensionType::cookie,                                 table::CH | table::HRR},
    ExtensionRule{ExtensionType::supported_versions,                     table::CH | table::SH | table::HRR},
    ExtensionRule{ExtensionType::certificate_authorities,                table::CH | table::CR},
    ExtensionRule{ExtensionType::oid_filters,                            table::CR},
    ExtensionRule{ExtensionType::post_handshake_auth,                    table::CH},
    ExtensionRule{ExtensionType::signature_algorithms_cert,              table::CH | table::CR},
    // RFC 8449 §5: "[record_size_limit] MUST NOT be sent in [...] ServerHello"; TLS 1.3 servers
    // send it in EncryptedExtensions.
    ExtensionRule{ExtensionType::record_size_limit,                      table::CH | table::EE},
    // TLS 1.2-only extensions: a ClientHello may carry them for a TLS 1.2 server.
    ExtensionRule{ExtensionType::ec_point_formats,                       table::CH},
    ExtensionRule{ExtensionType::extended_master_secret,                 table::CH},
    ExtensionRule{ExtensionType::session_ticket,                         table::CH},
    ExtensionRule{ExtensionType::renegotiation_info,                     table::CH},
    // clang-format on
};

// The contexts allowed for a recognised extension, or nullopt for an unknown one.
constexpr std::optional<std::uint8_t> allowed_contexts(ExtensionType type) {
  for (const auto& rule : extension_table)
    if (rule.type == type) return rule.allowed;
  return std::nullopt;
}

}  // namespace duplex::tls
