#include "duplex/tls/server_name.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {

constexpr std::uint8_t host_name_type = 0;  // enum { host_name(0), (255) } NameType;
constexpr wire::VectorBounds list_bounds{1, 0xffff};
constexpr wire::VectorBounds name_bounds{1, 0xffff};

// Q: how strict about the host name's characters? A: RFC 6066 §3 says ASCII without a trailing dot
// and no IP literals. We refuse what cannot be a DNS name on the wire (controls, spaces, non-ASCII,
// empty labels, trailing dot) and leave IP literals and label syntax (underscores are seen in
// the wild) to the engine's certificate selection and the x509 name check.
bool is_acceptable_host_name(std::string_view name) {
  if (name.empty() || name.back() == '.' || name.front() == '.') return false;
  char previous = 0;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) return false;
    if (c == '.' && previous == '.') return false;
    previous = c;
  }
  return true;
}

}  // namespace

Result<std::optional<std::string>> parse_server_name_client_hello(std::span<const std::uint8_t> data) {
  constexpr wire::Field field{"the ClientHello's server_name server_name_list", "RFC 6066 §3"};
  ByteReader in(data);
  auto list = wire::read_vector(in, list_bounds, field);
  if (!list) return fail(list.error());
  if (auto end = wire::expect_end(in, field); !end) return fail(end.error());

  std::optional<std::string> host_name;
  std::vector<std::uint8_t> seen_types;
  ByteReader names(*list);
  while (!names.empty()) {
    auto type = wire::read_u8(names, {"the ClientHello's server_name name_type", "RFC 6066 §3"});
    if (!type) return fail(type.error());
    auto name = wire::read_vector(names, name_bounds, {"the ClientHello's server_name name", "RFC 6066 §3"});
    if (!name) return fail(name.error());
    for (std::uint8_t earlier : seen_types) {
      if (earlier == *type) {
        // RFC 6066 §3: "The ServerNameList MUST NOT contain more than one name of the same name_type."
        return reject(AlertDescription::illegal_parameter,
                      "the ClientHello's server_name extension lists two names of type " +
                          std::to_string(*type) + " (RFC 6066 §3)");
      }
    }
    seen_types.push_back(*type);
    if (*type != host_name_type) continue;
    const std::string text(as_text(*name));
    if (!is_acceptable_host_name(text)) {
      // RFC 6066 §3: "The hostname is represented as a byte string using ASCII encoding without a
      // trailing dot."
      return reject(AlertDescription::illegal_parameter,
                    "the ClientHello's server_name is not an ASCII host name without a trailing "
                    "dot (RFC 6066 §3)");
    }
    host_name = text;
  }
  return host_name;
}

Status parse_server_name_encrypted_extensions(std::span<const std::uint8_t> data) {
  if (!data.empty()) {
    // RFC 6066 §3: the server's "extension_data" field "SHALL be empty".
    return reject(AlertDescription::decode_error,
                  "the EncryptedExtensions' server_name extension is not empty (RFC 6066 §3)");
  }
  return Unit{};
}

Extension make_server_name(std::string_view host_name) {
  Extension extension{ExtensionType::server_name, {}};
  auto list = wire::open_vector(extension.data, list_bounds);
  wire::put_u8(extension.data, host_name_type);
  wire::put_vector(extension.data, name_bounds, as_bytes(host_name));
  wire::close_vector(extension.data, list);
  return extension;
}

Extension make_server_name_acknowledgement() { return {ExtensionType::server_name, {}}; }

}  // namespace duplex::tls
