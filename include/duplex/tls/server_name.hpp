// RFC 6066 §3 server_name (SNI): the ClientHello's host name; the server's empty acknowledgement
// in EncryptedExtensions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "duplex/tls/error.hpp"
#include "duplex/tls/extension.hpp"

namespace duplex::tls {

// struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
// struct { NameType name_type; select (name_type) { case host_name: HostName; } name; } ServerName;
// opaque HostName<1..2^16-1>;
// The host_name, or nullopt when the list names only types we do not know (RFC 6066 §3 leaves
// room for new name types; each still has a 2-byte length). Errors:
// - two names of the same type → illegal_parameter ("MUST NOT contain more than one name of the
//   same name_type");
// - a host name with a trailing dot, a byte outside printable ASCII or an empty label
//   → illegal_parameter ("represented as a byte string using ASCII encoding without a trailing dot").
Result<std::optional<std::string>> parse_server_name_client_hello(std::span<const std::uint8_t> data);

// RFC 6066 §3: the server's acknowledgement: "the "extension_data" field of this extension SHALL
// be empty" → decode_error otherwise.
Status parse_server_name_encrypted_extensions(std::span<const std::uint8_t> data);

// The ClientHello's extension for one host name (ASCII, no trailing dot).
Extension make_server_name(std::string_view host_name);
// The server's empty acknowledgement.
Extension make_server_name_acknowledgement();

}  // namespace duplex::tls
