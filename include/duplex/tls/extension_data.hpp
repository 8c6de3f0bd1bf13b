// Typed views of the small RFC 8446 §4.2 extensions: supported_versions, supported_groups,
// signature_algorithms(_cert), cookie, psk_key_exchange_modes, early_data, and RFC 8449's
// record_size_limit. key_share, server_name and ALPN have their own headers.
//
// parse_* decode an extension's data strictly (bounds, trailing bytes → decode_error) and are
// run on every recognised extension when a message is parsed (check_extension_data), so the
// engine can call them again on a parsed message and only meet errors it was already told of.
// make_* build the extension from values within the bounds.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/alpn.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/extension.hpp"
#include "duplex/tls/key_share.hpp"
#include "duplex/tls/named_group.hpp"
#include "duplex/tls/protocol_version.hpp"
#include "duplex/tls/server_name.hpp"
#include "duplex/tls/signature_scheme.hpp"

namespace duplex::tls {

// RFC 8446 §4.2.1: struct { ProtocolVersion versions<2..254>; } in the ClientHello;
// struct { ProtocolVersion selected_version; } in the ServerHello and HelloRetryRequest.
Result<std::vector<ProtocolVersion>> parse_supported_versions_client_hello(std::span<const std::uint8_t> data);
Result<ProtocolVersion> parse_supported_versions_server_hello(std::span<const std::uint8_t> data,
                                                              ExtensionContext context);
Extension make_supported_versions_client_hello(std::span<const ProtocolVersion> versions);
Extension make_supported_versions_server_hello(ProtocolVersion selected_version);

// RFC 8446 §4.2.7: struct { NamedGroup named_group_list<2..2^16-1>; } NamedGroupList;
Result<std::vector<NamedGroup>> parse_supported_groups(std::span<const std::uint8_t> data,
                                                       ExtensionContext context);
Extension make_supported_groups(std::span<const NamedGroup> groups);

// RFC 8446 §4.2.3: struct { SignatureScheme supported_signature_algorithms<2..2^16-2>; }
// for both signature_algorithms and signature_algorithms_cert (`type` says which).
Result<std::vector<SignatureScheme>> parse_signature_algorithms(std::span<const std::uint8_t> data,
                                                                ExtensionType type,
                                                                ExtensionContext context);
Extension make_signature_algorithms(ExtensionType type, std::span<const SignatureScheme> schemes);

// RFC 8446 §4.2.2: struct { opaque cookie<1..2^16-1>; } Cookie;
Result<std::vector<std::uint8_t>> parse_cookie(std::span<const std::uint8_t> data, ExtensionContext context);
Extension make_cookie(std::span<const std::uint8_t> cookie);

// RFC 8446 §4.2.9: enum { psk_ke(0), psk_dhe_ke(1), (255) } PskKeyExchangeMode; open enum.
enum class PskKeyExchangeMode : std::uint8_t { psk_ke = 0, psk_dhe_ke = 1 };
// struct { PskKeyExchangeMode ke_modes<1..255>; } PskKeyExchangeModes;
Result<std::vector<PskKeyExchangeMode>> parse_psk_key_exchange_modes(std::span<const std::uint8_t> data);
Extension make_psk_key_exchange_modes(std::span<const PskKeyExchangeMode> modes);

// RFC 8446 §4.2.10: empty in ClientHello and EncryptedExtensions; in NewSessionTicket
// struct { uint32 max_early_data_size; }. Returns max_early_data_size (0 where there is none).
Result<std::uint32_t> parse_early_data(std::span<const std::uint8_t> data, ExtensionContext context);

// RFC 8449 §4: uint16 RecordSizeLimit; "Endpoints MUST NOT send a "record_size_limit" extension
// with a value smaller than 64. An endpoint MUST treat receipt of a smaller value as a fatal
// error and generate an "illegal_parameter" alert."
inline constexpr std::uint16_t minimum_record_size_limit = 64;
Result<std::uint16_t> parse_record_size_limit(std::span<const std::uint8_t> data, ExtensionContext context);
Extension make_record_size_limit(std::uint16_t limit);

// ---- TLS 1.2's own (a ClientHello offers them beside TLS 1.3; a TLS 1.2 ServerHello answers) ----

// RFC 5746 §3.2: struct { opaque renegotiated_connection<0..255>; } RenegotiationInfo; empty on
// every initial handshake, which is the only kind we do.
Result<std::vector<std::uint8_t>> parse_renegotiation_info(std::span<const std::uint8_t> data,
                                                           ExtensionContext context);
Extension make_renegotiation_info();

// RFC 7627 §5.1: "The "extension_data" field of this extension SHALL be empty."
Status parse_extended_master_secret(std::span<const std::uint8_t> data, ExtensionContext context);
Extension make_extended_master_secret();

// RFC 8422 §5.1.2: enum { uncompressed (0), deprecated (1..2), reserved (248..255) }
// ECPointFormat; struct { ECPointFormat ec_point_format_list<1..2^8-1> } ECPointFormatList.
inline constexpr std::uint8_t ec_point_format_uncompressed = 0;
Result<std::vector<std::uint8_t>> parse_ec_point_formats(std::span<const std::uint8_t> data, ExtensionContext context);
// Uncompressed only: RFC 8422 §5.1.2 deprecates the others.
Extension make_ec_point_formats();

// Decodes a recognised extension's data in the form `context` gives it (the dispatch used by
// read_extensions); unknown extensions and those kept opaque (pre_shared_key, ...) pass.
Status check_extension_data(const Extension& extension, ExtensionContext context);

}  // namespace duplex::tls
