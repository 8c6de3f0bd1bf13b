#include "duplex/tls/key_share.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {

constexpr wire::VectorBounds key_exchange_bounds{1, 0xffff};  // opaque key_exchange<1..2^16-1>

Result<KeyShareEntry> read_entry(ByteReader& in, std::string_view owner) {
  const std::string what = std::string(owner) + "'s KeyShareEntry";
  auto group = wire::read_u16(in, {what, "RFC 8446 §4.2.8"});
  if (!group) return fail(group.error());
  const std::string key_what = what + " key_exchange";
  auto key = wire::read_vector(in, key_exchange_bounds, {key_what, "RFC 8446 §4.2.8"});
  if (!key) return fail(key.error());
  return KeyShareEntry{static_cast<NamedGroup>(*group), {key->begin(), key->end()}};
}

void write_entry(std::vector<std::uint8_t>& out, const KeyShareEntry& entry) {
  wire::put_u16(out, static_cast<std::uint16_t>(entry.group));
  wire::put_vector(out, key_exchange_bounds, entry.key_exchange);
}

}  // namespace

Result<std::vector<KeyShareEntry>> parse_key_share_client_hello(std::span<const std::uint8_t> data) {
  constexpr wire::Field field{"the ClientHello's key_share client_shares", "RFC 8446 §4.2.8"};
  ByteReader in(data);
  auto shares = wire::read_vector(in, {0, 0xffff}, field);
  if (!shares) return fail(shares.error());
  if (auto end = wire::expect_end(in, field); !end) return fail(end.error());
  std::vector<KeyShareEntry> entries;
  ByteReader list(*shares);
  while (!list.empty()) {
    auto entry = read_entry(list, "the ClientHello's key_share");
    if (!entry) return fail(entry.error());
    for (const auto& earlier : entries) {
      if (earlier.group == entry->group) {
        // RFC 8446 §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same
        // group. [...] Servers MAY check for violations of these rules and abort the handshake
        // with an "illegal_parameter" alert".
        return reject(AlertDescription::illegal_parameter,
                      "the ClientHello's key_share extension lists the group " +
                          to_string(entry->group) + " twice (RFC 8446 §4.2.8)");
      }
    }
    entries.push_back(std::move(*entry));
  }
  return entries;
}

Result<KeyShareEntry> parse_key_share_server_hello(std::span<const std::uint8_t> data) {
  ByteReader in(data);
  auto entry = read_entry(in, "the ServerHello's key_share");
  if (!entry) return fail(entry.error());
  if (auto end = wire::expect_end(in, {"the ServerHello's key_share", "RFC 8446 §4.2.8"}); !end)
    return fail(end.error());
  return std::move(*entry);
}

Result<NamedGroup> parse_key_share_hello_retry_request(std::span<const std::uint8_t> data) {
  constexpr wire::Field field{"the HelloRetryRequest's key_share selected_group", "RFC 8446 §4.2.8"};
  ByteReader in(data);
  auto group = wire::read_u16(in, field);
  if (!group) return fail(group.error());
  if (auto end = wire::expect_end(in, field); !end) return fail(end.error());
  return static_cast<NamedGroup>(*group);
}

Extension make_key_share_client_hello(std::span<const KeyShareEntry> client_shares) {
  Extension extension{ExtensionType::key_share, {}};
  auto list = wire::open_vector(extension.data, {0, 0xffff});
  for (const auto& entry : client_shares) write_entry(extension.data, entry);
  wire::close_vector(extension.data, list);
  return extension;
}

Extension make_key_share_server_hello(const KeyShareEntry& server_share) {
  Extension extension{ExtensionType::key_share, {}};
  write_entry(extension.data, server_share);
  return extension;
}

Extension make_key_share_hello_retry_request(NamedGroup selected_group) {
  Extension extension{ExtensionType::key_share, {}};
  wire::put_u16(extension.data, static_cast<std::uint16_t>(selected_group));
  return extension;
}

}  // namespace duplex::tls
