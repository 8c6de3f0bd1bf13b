#include "duplex/tls/extension_data.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {

std::string field_name(ExtensionContext context, ExtensionType type, std::string_view part) {
  return "the " + to_string(context) + "'s " + to_string(type) + " " + std::string(part);
}

// Reads the whole of `data` as one vector of 2-byte codes within `bounds` (a list of uint16 enums).
template <typename Code>
Result<std::vector<Code>> read_u16_list(std::span<const std::uint8_t> data, wire::VectorBounds bounds,
                                        wire::Field field) {
  ByteReader in(data);
  auto list = wire::read_vector(in, bounds, field);
  if (!list) return fail(list.error());
  if (auto end = wire::expect_end(in, field); !end) return fail(end.error());
  if (list->size() % 2 != 0) {
    // RFC 8446 §3.4: "the length [...] will always be a multiple of the [element] length".
    return reject(AlertDescription::decode_error,
                  wire::sentence(field, "has an odd length, not a whole number of 2-byte codes"));
  }
  std::vector<Code> codes;
  codes.reserve(list->size() / 2);
  for (std::size_t i = 0; i < list->size(); i += 2)
    codes.push_back(static_cast<Code>(((*list)[i] << 8) | (*list)[i + 1]));
  return codes;
}

template <typename Code>
Extension make_u16_list(ExtensionType type, wire::VectorBounds bounds, std::span<const Code> codes) {
  Extension extension{type, {}};
  auto list = wire::open_vector(extension.data, bounds);
  for (Code code : codes) wire::put_u16(extension.data, static_cast<std::uint16_t>(code));
  wire::close_vector(extension.data, list);
  return extension;
}

Result<std::uint16_t> read_whole_u16(std::span<const std::uint8_t> data, wire::Field field) {
  ByteReader in(data);
  auto value = wire::read_u16(in, field);
  if (!value) return fail(value.error());
  if (auto end = wire::expect_end(in, field); !end) return fail(end.error());
  return *value;
}

constexpr wire::VectorBounds versions_bounds{2, 254};
constexpr wire::VectorBounds groups_bounds{2, 0xffff};
constexpr wire::VectorBounds schemes_bounds{2, 0xfffe};
constexpr wire::VectorBounds cookie_bounds{1, 0xffff};
constexpr wire::VectorBounds modes_bounds{1, 255};

}  // namespace

Result<std::vector<ProtocolVersion>> parse_supported_versions_client_hello(std::span<const std::uint8_t> data) {
  return read_u16_list<ProtocolVersion>(
      data, versions_bounds, {"the ClientHello's supported_versions versions", "RFC 8446 §4.2.1"});
}

Result<ProtocolVersion> parse_supported_versions_server_hello(std::span<const std::uint8_t> data,
                                                              ExtensionContext context) {
  const auto what = field_name(context, ExtensionType::supported_versions, "selected_version");
  auto version = read_whole_u16(data, {what, "RFC 8446 §4.2.1"});
  if (!version) return fail(version.error());
  return static_cast<ProtocolVersion>(*version);
}

Extension make_supported_versions_client_hello(std::span<const ProtocolVersion> versions) {
  Extension extension{ExtensionType::supported_versions, {}};
  auto list = wire::open_vector(extension.data, versions_bounds);
  for (auto version : versions) wire::put_u16(extension.data, static_cast<std::uint16_t>(version));
  wire::close_vector(extension.data, list);
  return extension;
}

Extension make_supported_versions_server_hello(ProtocolVersion selected_version) {
  Extension extension{ExtensionType::supported_versions, {}};
  wire::put_u16(extension.data, static_cast<std::uint16_t>(selected_version));
  return extension;
}

Result<std::vector<NamedGroup>> parse_supported_groups(std::span<const std::uint8_t> data,
                                                       ExtensionContext context) {
  const auto what = field_name(context, ExtensionType::supported_groups, "named_group_list");
  return read_u16_list<NamedGroup>(data, groups_bounds, {what, "RFC 8446 §4.2.7"});
}

Extension make_supported_groups(std::span<const NamedGroup> groups) {
  return make_u16_list(ExtensionType::supported_groups, groups_bounds, groups);
}

Result<std::vector<SignatureScheme>> parse_signature_algorithms(std::span<const std::uint8_t> data,
                                                                ExtensionType type,
                                                                ExtensionContext context) {
  const auto what = field_name(context, type, "supported_signature_algorithms");
  return read_u16_list<SignatureScheme>(data, schemes_bounds, {what, "RFC 8446 §4.2.3"});
}

Extension make_signature_algorithms(ExtensionType type, std::span<const SignatureScheme> schemes) {
  return make_u16_list(type, schemes_bounds, schemes);
}

Result<std::vector<std::uint8_t>> parse_cookie(std::span<const std::uint8_t> data, ExtensionContext context) {
  const auto what = field_name(context, ExtensionType::cookie, "cookie");
  ByteReader in(data);
  auto cookie = wire::read_vector(in, cookie_bounds, {what, "RFC 8446 §4.2.2"});
  if (!cookie) return fail(cookie.error());
  if (auto end = wire::expect_end(in, {what, "RFC 8446 §4.2.2"}); !end) return fail(end.error());
  return std::vector<std::uint8_t>(cookie->begin(), cookie->end());
}

Extension make_cookie(std::span<const std::uint8_t> cookie) {
  Extension extension{ExtensionType::cookie, {}};
  wire::put_vector(extension.data, cookie_bounds, cookie);
  return extension;
}

Result<std::vector<PskKeyExchangeMode>> parse_psk_key_exchange_modes(std::span<const std::uint8_t> data) {
  constexpr wire::Field field{"the ClientHello's psk_key_exchange_modes ke_modes", "RFC 8446 §4.2.9"};
  ByteReader in(data);
  auto modes = wire::read_vector(in, modes_bounds, field);
  if (!modes) return fail(modes.error());
  if (auto end = wire::expect_end(in, field); !end) return fail(end.error());
  std::vector<PskKeyExchangeMode> out;
  for (std::uint8_t mode : *modes) out.push_back(static_cast<PskKeyExchangeMode>(mode));
  return out;
}

Extension make_psk_key_exchange_modes(std::span<const PskKeyExchangeMode> modes) {
  Extension extension{ExtensionType::psk_key_exchange_modes, {}};
  auto list = wire::open_vector(extension.data, modes_bounds);
  for (auto mode : modes) wire::put_u8(extension.data, static_cast<std::uint8_t>(mode));
  wire::close_vector(extension.data, list);
  return extension;
}

Result<std::uint32_t> parse_early_data(std::span<const std::uint8_t> data, ExtensionContext context) {
  const auto what = field_name(context, ExtensionType::early_data, "extension_data");
  ByteReader in(data);
  std::uint32_t max_early_data_size = 0;
  if (context == ExtensionContext::new_session_ticket) {
    auto size = wire::read_u32(in, {what, "RFC 8446 §4.2.10"});
    if (!size) return fail(size.error());
    max_early_data_size = *size;
  }
  if (auto end = wire::expect_end(in, {what, "RFC 8446 §4.2.10"}); !end) return fail(end.error());
  return max_early_data_size;
}

Result<std::uint16_t> parse_record_size_limit(std::span<const std::uint8_t> data, ExtensionContext context) {
  const auto what = field_name(context, ExtensionType::record_size_limit, "RecordSizeLimit");
  auto limit = read_whole_u16(data, {what, "RFC 8449 §4"});
  if (!limit) return fail(limit.error());
  if (*limit < minimum_record_size_limit) {
    // RFC 8449 §4: "An endpoint MUST treat receipt of a smaller value as a fatal error and
    // generate an "illegal_parameter" alert."
    return reject(AlertDescription::illegal_parameter,
                  what + " is " + std::to_string(*limit) + ", smaller than 64 (RFC 8449 §4)");
  }
  return *limit;
}

Extension make_record_size_limit(std::uint16_t limit) {
  Extension extension{ExtensionType::record_size_limit, {}};
  wire::put_u16(extension.data, limit);
  return extension;
}

namespace {

template <typename T>
Status drop_value(const Result<T>& result) {
  if (!result) return fail(result.error());
  return Unit{};
}

}  // namespace

Result<std::vector<std::uint8_t>> parse_renegotiation_info(std::span<const std::uint8_t> data,
                                                           ExtensionContext context) {
  ByteReader in(data);
  const std::string what = "the " + to_string(context) + "'s renegotiation_info";
  auto connection = wire::read_vector(in, {0, 0xff}, {what, "RFC 5746 §3.2"});
  if (!connection) return fail(connection.error());
  if (auto end = wire::expect_end(in, {what, "RFC 5746 §3.2"}); !end) return fail(end.error());
  return std::vector<std::uint8_t>(connection->begin(), connection->end());
}

Extension make_renegotiation_info() {
  // RFC 5746 §3.4, §3.6: on the initial handshake, "an empty "renegotiated_connection" field".
  return Extension{ExtensionType::renegotiation_info, {0x00}};
}

Status parse_extended_master_secret(std::span<const std::uint8_t> data, ExtensionContext context) {
  if (!data.empty())
    return reject(AlertDescription::decode_error, "the " + to_string(context) +
                                                      "'s extended_master_secret is not empty (RFC 7627 §5.1)");
  return Unit{};
}

Extension make_extended_master_secret() { return Extension{ExtensionType::extended_master_secret, {}}; }

Result<std::vector<std::uint8_t>> parse_ec_point_formats(std::span<const std::uint8_t> data, ExtensionContext context) {
  ByteReader in(data);
  const std::string what = "the " + to_string(context) + "'s ec_point_format_list";
  auto formats = wire::read_vector(in, {1, 0xff}, {what, "RFC 8422 §5.1.2"});
  if (!formats) return fail(formats.error());
  if (auto end = wire::expect_end(in, {what, "RFC 8422 §5.1.2"}); !end) return fail(end.error());
  return std::vector<std::uint8_t>(formats->begin(), formats->end());
}

Extension make_ec_point_formats() {
  return Extension{ExtensionType::ec_point_formats, {0x01, ec_point_format_uncompressed}};
}

Status check_extension_data(const Extension& extension, ExtensionContext context) {
  const auto& data = extension.data;
  using C = ExtensionContext;
  switch (extension.type) {
    case ExtensionType::supported_versions:
      if (context == C::client_hello) return drop_value(parse_supported_versions_client_hello(data));
      return drop_value(parse_supported_versions_server_hello(data, context));
    case ExtensionType::supported_groups:
      return drop_value(parse_supported_groups(data, context));
    case ExtensionType::signature_algorithms:
    case ExtensionType::signature_algorithms_cert:
      return drop_value(parse_signature_algorithms(data, extension.type, context));
    case ExtensionType::key_share:
      if (context == C::client_hello) return drop_value(parse_key_share_client_hello(data));
      if (context == C::server_hello) return drop_value(parse_key_share_server_hello(data));
      return drop_value(parse_key_share_hello_retry_request(data));
    case ExtensionType::server_name:
      if (context == C::client_hello) return drop_value(parse_server_name_client_hello(data));
      return parse_server_name_encrypted_extensions(data);
    case ExtensionType::application_layer_protocol_negotiation:
      return drop_value(parse_alpn(data, context));
    case ExtensionType::cookie:
      return drop_value(parse_cookie(data, context));
    case ExtensionType::psk_key_exchange_modes:
      return drop_value(parse_psk_key_exchange_modes(data));
    case ExtensionType::early_data:
      return drop_value(parse_early_data(data, context));
    case ExtensionType::record_size_limit:
      return drop_value(parse_record_size_limit(data, context));
    case ExtensionType::renegotiation_info:
      return drop_value(parse_renegotiation_info(data, context));
    case ExtensionType::extended_master_secret:
      return parse_extended_master_secret(data, context);
    case ExtensionType::ec_point_formats:
      return drop_value(parse_ec_point_formats(data, context));
    default:
      return Unit{};  // unknown, or kept opaque for the engine (pre_shared_key, ...)
  }
}

}  // namespace duplex::tls
