#include "duplex/tls/client_hello.hpp"

#include <algorithm>

#include "duplex/tls/extension_data.hpp"
#include "wire.hpp"

namespace duplex::tls {

namespace {

constexpr wire::VectorBounds session_id_bounds{0, 32};
constexpr wire::VectorBounds cipher_suites_bounds{2, 0xfffe};
constexpr wire::VectorBounds compression_bounds{1, 0xff};
// RFC 8446 §4.1.2 writes extensions<8..2^16-1>, which a TLS 1.3 ClientHello always meets (it has
// supported_versions); an older one may carry fewer bytes, or no block at all (RFC 5246
// §7.4.1.2). Read as 0..2^16-1 so that such a hello reaches the version check and its
// protocol_version (§D.2) instead of a decode_error.
constexpr ExtensionsBounds extensions_bounds{0, 0xffff};
constexpr std::string_view section = "RFC 8446 §4.1.2";

Status check_pre_shared_key_last(const std::vector<Extension>& extensions) {
  for (std::size_t i = 0; i + 1 < extensions.size(); ++i) {
    if (extensions[i].type == ExtensionType::pre_shared_key) {
      // RFC 8446 §4.2.11: "The "pre_shared_key" extension MUST be the last extension in the
      // ClientHello [...]. Servers MUST check that it is the last extension and otherwise fail
      // the handshake with an "illegal_parameter" alert."
      return reject(AlertDescription::illegal_parameter,
                    "the ClientHello's pre_shared_key extension is not the last one (RFC 8446 §4.2.11)");
    }
  }
  return Unit{};
}

Status check_key_shares_in_supported_groups(const std::vector<Extension>& extensions) {
  const auto* key_share = find_extension(extensions, ExtensionType::key_share);
  const auto* groups_extension = find_extension(extensions, ExtensionType::supported_groups);
  if (key_share == nullptr || groups_extension == nullptr) return Unit{};  // the engine's §9.2 check
  auto shares = parse_key_share_client_hello(key_share->data);
  auto groups = parse_supported_groups(groups_extension->data, ExtensionContext::client_hello);
  if (!shares) return fail(shares.error());
  if (!groups) return fail(groups.error());
  for (const auto& share : *shares) {
    if (std::find(groups->begin(), groups->end(), share.group) == groups->end()) {
      // RFC 8446 §4.2.8: "Clients MUST NOT offer any KeyShareEntry values for groups not listed
      // in the client's "supported_groups" extension. Servers MAY check for violations of these
      // rules and abort the handshake with an "illegal_parameter" alert".
      return reject(AlertDescription::illegal_parameter,
                    "the ClientHello's key_share extension offers a share for " +
                        to_string(share.group) +
                        ", which its supported_groups extension does not list (RFC 8446 §4.2.8)");
    }
  }
  return Unit{};
}

}  // namespace

Result<ClientHello> parse_client_hello(std::span<const std::uint8_t> body) {
  ByteReader in(body);
  ClientHello hello;
  auto version = wire::read_u16(in, {"the ClientHello's legacy_version", section});
  if (!version) return fail(version.error());
  hello.legacy_version = static_cast<ProtocolVersion>(*version);
  auto random = wire::read_fixed(in, 32, {"the ClientHello's random", section});
  if (!random) return fail(random.error());
  std::copy(random->begin(), random->end(), hello.random.begin());
  auto session_id = wire::read_vector(in, session_id_bounds, {"the ClientHello's legacy_session_id", section});
  if (!session_id) return fail(session_id.error());
  hello.legacy_session_id.assign(session_id->begin(), session_id->end());

  constexpr wire::Field suites_field{"the ClientHello's cipher_suites", section};
  auto suites = wire::read_vector(in, cipher_suites_bounds, suites_field);
  if (!suites) return fail(suites.error());
  if (suites->size() % 2 != 0) {
    // RFC 8446 §3.4: a vector's length is a multiple of its element's (CipherSuite is 2 bytes).
    return reject(AlertDescription::decode_error,
                  wire::sentence(suites_field, "has an odd length, not a whole number of suites"));
  }
  for (std::size_t i = 0; i < suites->size(); i += 2)
    hello.cipher_suites.push_back(static_cast<CipherSuite>(((*suites)[i] << 8) | (*suites)[i + 1]));

  auto compression = wire::read_vector(in, compression_bounds,
                                       {"the ClientHello's legacy_compression_methods", section});
  if (!compression) return fail(compression.error());
  hello.legacy_compression_methods.assign(compression->begin(), compression->end());

  // RFC 5246 §7.4.1.2: "the presence of extensions can be detected by determining whether there
  // are bytes following the compression_methods at the end of the ClientHello."
  if (in.empty()) return hello;
  auto extensions = read_extensions(in, ExtensionContext::client_hello, extensions_bounds);
  if (!extensions) return fail(extensions.error());
  hello.extensions = std::move(*extensions);
  if (auto end = wire::expect_end(in, {"the ClientHello", section}); !end) return fail(end.error());

  if (auto last = check_pre_shared_key_last(hello.extensions); !last) return fail(last.error());
  if (auto shares = check_key_shares_in_supported_groups(hello.extensions); !shares)
    return fail(shares.error());
  return hello;
}

std::vector<std::uint8_t> encode_client_hello(const ClientHello& hello) {
  std::vector<std::uint8_t> out;
  wire::put_u16(out, static_cast<std::uint16_t>(hello.legacy_version));
  wire::put_bytes(out, hello.random);
  wire::put_vector(out, session_id_bounds, hello.legacy_session_id);
  auto suites = wire::open_vector(out, cipher_suites_bounds);
  for (auto suite : hello.cipher_suites) wire::put_u16(out, static_cast<std::uint16_t>(suite));
  wire::close_vector(out, suites);
  wire::put_vector(out, compression_bounds, hello.legacy_compression_methods);
  write_extensions(out, hello.extensions, extensions_bounds);
  return out;
}

}  // namespace duplex::tls
