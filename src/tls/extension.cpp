#include "duplex/tls/extension.hpp"

#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/extension_table.hpp"
#include "wire.hpp"

namespace duplex::tls {

std::string to_string(ExtensionContext context) {
  switch (context) {
    case ExtensionContext::client_hello: return "ClientHello";
    case ExtensionContext::server_hello: return "ServerHello";
    case ExtensionContext::hello_retry_request: return "HelloRetryRequest";
    case ExtensionContext::encrypted_extensions: return "EncryptedExtensions";
    case ExtensionContext::certificate: return "CertificateEntry";
    case ExtensionContext::certificate_request: return "CertificateRequest";
    case ExtensionContext::new_session_ticket: return "NewSessionTicket";
  }
  return "message";
}

namespace {

constexpr wire::VectorBounds extension_data_bounds{0, 0xffff};  // opaque extension_data<0..2^16-1>

Status check_allowed(ExtensionType type, ExtensionContext context) {
  const auto allowed = allowed_contexts(type);
  if (!allowed) return Unit{};  // RFC 8446 §4.2: unknown extensions are not ours to judge here
  if ((*allowed & static_cast<std::uint8_t>(context)) == 0) {
    // RFC 8446 §4.2: "If an implementation receives an extension which it recognizes and which
    // is not specified for the message in which it appears, it MUST abort the handshake with an
    // "illegal_parameter" alert."
    return reject(AlertDescription::illegal_parameter,
                  "the " + to_string(context) + " carries a " + to_string(type) +
                      " extension, which RFC 8446 §4.2 does not allow there");
  }
  return Unit{};
}

}  // namespace

Result<std::vector<Extension>> read_extension_block(ByteReader& in, ExtensionContext context,
                                                    ExtensionsBounds bounds) {
  const std::string owner = "the " + to_string(context) + "'s extensions";
  auto block = wire::read_vector(in, {bounds.floor, bounds.ceiling}, {owner, "RFC 8446 §4.2"});
  if (!block) return fail(block.error());
  std::vector<Extension> extensions;
  ByteReader reader(*block);
  while (!reader.empty()) {
    auto type = wire::read_u16(reader, {owner, "RFC 8446 §4.2"});
    if (!type) return fail(type.error());
    const auto extension_type = static_cast<ExtensionType>(*type);
    const std::string what = "the " + to_string(context) + "'s " + to_string(extension_type) + " extension";
    auto data = wire::read_vector(reader, extension_data_bounds, {what, "RFC 8446 §4.2"});
    if (!data) return fail(data.error());
    if (find_extension(extensions, extension_type) != nullptr) {
      // RFC 8446 §4.2: "There MUST NOT be more than one extension of the same type in a given
      // extension block." No alert is named; §6.2's illegal_parameter ("a field in the handshake
      // was incorrect or inconsistent with other fields") fits a well-formed but repeated one.
      return reject(AlertDescription::illegal_parameter,
                    "the " + to_string(context) + " carries the " + to_string(extension_type) +
                        " extension twice (RFC 8446 §4.2)");
    }
    extensions.push_back(Extension{extension_type, {data->begin(), data->end()}});
  }
  return extensions;
}

Status check_extension_block(std::span<const Extension> extensions, ExtensionContext context) {
  for (const auto& extension : extensions) {
    if (auto allowed = check_allowed(extension.type, context); !allowed) return allowed;
    if (auto valid = check_extension_data(extension, context); !valid) return valid;
  }
  return Unit{};
}

Result<std::vector<Extension>> read_extensions(ByteReader& in, ExtensionContext context,
                                               ExtensionsBounds bounds) {
  auto extensions = read_extension_block(in, context, bounds);
  if (!extensions) return extensions;
  if (auto checked = check_extension_block(*extensions, context); !checked) return fail(checked.error());
  return extensions;
}

void write_extensions(std::vector<std::uint8_t>& out, std::span<const Extension> extensions,
                      ExtensionsBounds bounds) {
  auto block = wire::open_vector(out, {bounds.floor, bounds.ceiling});
  for (const auto& extension : extensions) {
    wire::put_u16(out, static_cast<std::uint16_t>(extension.type));
    wire::put_vector(out, extension_data_bounds, extension.data);
  }
  wire::close_vector(out, block);
}

const Extension* find_extension(std::span<const Extension> extensions, ExtensionType type) {
  for (const auto& extension : extensions)
    if (extension.type == type) return &extension;
  return nullptr;
}

Status check_extensions_offered(std::span<const Extension> response, ExtensionContext context,
                                std::span<const Extension> offered) {
  for (const auto& extension : response) {
    if (extension.type == ExtensionType::cookie && context == ExtensionContext::hello_retry_request)
      continue;  // RFC 8446 §4.2: the one extension a server may send unasked
    if (find_extension(offered, extension.type) == nullptr) {
      // RFC 8446 §4.2: "Upon receiving such an extension, an endpoint MUST abort the handshake
      // with an "unsupported_extension" alert."
      return reject(AlertDescription::unsupported_extension,
                    "the " + to_string(context) + " answers a " + to_string(extension.type) +
                        " extension that the ClientHello did not offer (RFC 8446 §4.2)");
    }
  }
  return Unit{};
}

}  // namespace duplex::tls
