#include "duplex/tls/server_hello.hpp"

#include <algorithm>

#include "wire.hpp"

namespace duplex::tls {

namespace {
constexpr wire::VectorBounds session_id_bounds{0, 32};
constexpr ExtensionsBounds extensions_bounds{6, 0xffff};
constexpr std::string_view section = "RFC 8446 §4.1.3";
}  // namespace

bool is_hello_retry_request(const ServerHello& hello) {
  return hello.random == hello_retry_request_random;
}

Result<ServerHello> parse_server_hello(std::span<const std::uint8_t> body) {
  ByteReader in(body);
  ServerHello hello;
  auto version = wire::read_u16(in, {"the ServerHello's legacy_version", section});
  if (!version) return fail(version.error());
  hello.legacy_version = static_cast<ProtocolVersion>(*version);
  auto random = wire::read_fixed(in, 32, {"the ServerHello's random", section});
  if (!random) return fail(random.error());
  std::copy(random->begin(), random->end(), hello.random.begin());
  // The name for errors, now that the random says which message this is.
  const auto context = is_hello_retry_request(hello) ? ExtensionContext::hello_retry_request
                                                     : ExtensionContext::server_hello;
  const std::string name = "the " + to_string(context);
  auto session_id = wire::read_vector(in, session_id_bounds, {name + "'s legacy_session_id_echo", section});
  if (!session_id) return fail(session_id.error());
  hello.legacy_session_id_echo.assign(session_id->begin(), session_id->end());
  auto suite = wire::read_u16(in, {name + "'s cipher_suite", section});
  if (!suite) return fail(suite.error());
  hello.cipher_suite = static_cast<CipherSuite>(*suite);
  auto compression = wire::read_u8(in, {name + "'s legacy_compression_method", section});
  if (!compression) return fail(compression.error());
  hello.legacy_compression_method = *compression;
  auto extensions = read_extension_block(in, context, extensions_bounds);
  if (!extensions) return fail(extensions.error());
  hello.extensions = std::move(*extensions);
  if (auto end = wire::expect_end(in, {name, section}); !end) return fail(end.error());

  const bool tls13 = context == ExtensionContext::hello_retry_request ||
                     find_extension(hello.extensions, ExtensionType::supported_versions) != nullptr;
  if (tls13) {
    if (auto checked = check_extension_block(hello.extensions, context); !checked)
      return fail(checked.error());
  }
  return hello;
}

std::vector<std::uint8_t> encode_server_hello(const ServerHello& hello) {
  std::vector<std::uint8_t> out;
  wire::put_u16(out, static_cast<std::uint16_t>(hello.legacy_version));
  wire::put_bytes(out, hello.random);
  wire::put_vector(out, session_id_bounds, hello.legacy_session_id_echo);
  wire::put_u16(out, static_cast<std::uint16_t>(hello.cipher_suite));
  wire::put_u8(out, hello.legacy_compression_method);
  write_extensions(out, hello.extensions, extensions_bounds);
  return out;
}

}  // namespace duplex::tls
