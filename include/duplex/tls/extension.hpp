// RFC 8446 §4.2 extensions: the generic `Extension` (type + opaque data), the extension block of a
// message, and the rules of which extension may appear where (the table in extension_table.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/extension_type.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::tls {

// The messages that carry extensions, as RFC 8446 §4.2's table abbreviates them.
enum class ExtensionContext : std::uint8_t {
  client_hello = 1 << 0,          // CH
  server_hello = 1 << 1,          // SH
  hello_retry_request = 1 << 2,   // HRR
  encrypted_extensions = 1 << 3,  // EE
  certificate = 1 << 4,           // CT (a CertificateEntry's extensions)
  certificate_request = 1 << 5,   // CR
  new_session_ticket = 1 << 6,    // NST
};

// "ClientHello", "HelloRetryRequest", ...: the message's name as the RFC writes it.
std::string to_string(ExtensionContext context);

// struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
// Kept as bytes, in wire order, so a parsed message re-encodes byte for byte; the typed views
// are in extension_data.hpp.
struct Extension {
  ExtensionType type{};
  std::vector<std::uint8_t> data;

  bool operator==(const Extension&) const = default;
};

// The bounds of a message's `Extension extensions<floor..2^16-1>` (RFC 8446 §4.1.2 etc.).
struct ExtensionsBounds {
  std::size_t floor;
  std::size_t ceiling;
};

// Reads a message's extension block and applies every rule that needs no knowledge of the
// connection:
// - RFC 8446 §4.2: "There MUST NOT be more than one extension of the same type in a given
//   extension block" → illegal_parameter;
// - RFC 8446 §4.2: a recognised extension in a message the table does not allow → illegal_parameter;
// - each recognised extension's data is decoded strictly (extension_data.hpp) with its own alert;
// - unknown extensions are kept untouched (RFC 8446 §4.2: "recipients MUST ignore" them in a
//   ClientHello; in the server's messages the engine checks them with check_extensions_offered).
Result<std::vector<Extension>> read_extensions(ByteReader& in, ExtensionContext context,
                                               ExtensionsBounds bounds);

// The two halves of read_extensions, for the ServerHello, whose rules depend on the version it
// selects (a TLS 1.2 ServerHello carries extensions the TLS 1.3 table refuses):
// the block with its bounds and the duplicate rule; then the table and each extension's data.
Result<std::vector<Extension>> read_extension_block(ByteReader& in, ExtensionContext context,
                                                    ExtensionsBounds bounds);
Status check_extension_block(std::span<const Extension> extensions, ExtensionContext context);

// Writes the extension block (length prefix, then each extension in order).
void write_extensions(std::vector<std::uint8_t>& out, std::span<const Extension> extensions,
                      ExtensionsBounds bounds);

// The extension of this type, or nullptr.
const Extension* find_extension(std::span<const Extension> extensions, ExtensionType type);

// RFC 8446 §4.2: "Implementations MUST NOT send extension responses if the remote endpoint did
// not send the corresponding extension requests, with the exception of the "cookie" extension in
// the HelloRetryRequest. Upon receiving such an extension, an endpoint MUST abort the handshake
// with an "unsupported_extension" alert."  For the client: `response` is a ServerHello, HRR, EE,
// CR or CertificateEntry extension block, `offered` the ClientHello's.
Status check_extensions_offered(std::span<const Extension> response, ExtensionContext context,
                                std::span<const Extension> offered);

}  // namespace duplex::tls
