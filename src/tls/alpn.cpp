#include "duplex/tls/alpn.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {
constexpr wire::VectorBounds list_bounds{2, 0xffff};
constexpr wire::VectorBounds name_bounds{1, 0xff};
}  // namespace

Result<std::vector<std::string>> parse_alpn(std::span<const std::uint8_t> data, ExtensionContext context) {
  const std::string owner = "the " + to_string(context) + "'s application_layer_protocol_negotiation";
  const std::string list_what = owner + " protocol_name_list";
  const std::string name_what = owner + " ProtocolName";
  ByteReader in(data);
  auto list = wire::read_vector(in, list_bounds, {list_what, "RFC 7301 §3.1"});
  if (!list) return fail(list.error());
  if (auto end = wire::expect_end(in, {list_what, "RFC 7301 §3.1"}); !end) return fail(end.error());
  std::vector<std::string> names;
  ByteReader reader(*list);
  while (!reader.empty()) {
    auto name = wire::read_vector(reader, name_bounds, {name_what, "RFC 7301 §3.1"});
    if (!name) return fail(name.error());
    names.emplace_back(as_text(*name));
  }
  if (context != ExtensionContext::client_hello && names.size() != 1) {
    // RFC 7301 §3.1: the server's "ProtocolNameList MUST contain exactly one "ProtocolName"".
    return reject(AlertDescription::illegal_parameter,
                  owner + " names " + std::to_string(names.size()) +
                      " protocols instead of exactly one (RFC 7301 §3.1)");
  }
  return names;
}

Extension make_alpn(std::span<const std::string> protocol_names) {
  Extension extension{ExtensionType::application_layer_protocol_negotiation, {}};
  auto list = wire::open_vector(extension.data, list_bounds);
  for (const auto& name : protocol_names) wire::put_vector(extension.data, name_bounds, as_bytes(name));
  wire::close_vector(extension.data, list);
  return extension;
}

}  // namespace duplex::tls
