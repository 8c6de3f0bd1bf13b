#include "client_hello_offers.hpp"

#include <algorithm>

#include "duplex/tls/alpn.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/server_name.hpp"

namespace duplex::tls::detail {

namespace {

Status check_version(const ClientHello& hello) {
  const Extension* supported_versions = find_extension(hello.extensions, ExtensionType::supported_versions);
  if (supported_versions == nullptr) {
    // RFC 8446 §D.2: "If the "supported_versions" extension is absent and the server only
    // supports versions greater than ClientHello.legacy_version, the server MUST abort the
    // handshake with a "protocol_version" alert." We speak TLS 1.3 only, which needs the extension.
    return reject(AlertDescription::protocol_version,
                  "the ClientHello has no supported_versions extension, so it offers TLS 1.2 or older "
                  "and we speak only TLS 1.3 (RFC 8446 §4.2.1, §D.2)");
  }
  auto versions = parse_supported_versions_client_hello(supported_versions->data);
  if (!versions) return fail(versions.error());
  // RFC 8446 §4.2.1: "If this extension is present in the ClientHello, servers MUST NOT use the
  // ClientHello.legacy_version value for version negotiation and MUST use only the
  // "supported_versions" extension to determine client preferences."
  if (std::find(versions->begin(), versions->end(), ProtocolVersion::tls1_3) == versions->end())
    return reject(AlertDescription::protocol_version,
                  "the ClientHello's supported_versions extension does not list TLS 1.3, the only "
                  "version we speak (RFC 8446 §4.2.1)");
  // Q: §4.1.2 says a client "MUST" set legacy_version to 0x0303: why accept another?
  // A: §4.2.1 forbids the server to use it once supported_versions is there, and only §D.5
  //    names a value to refuse: 0x0300 (and so anything older). OpenSSL refuses only those too;
  //    rustls looks at supported_versions alone.
  // RFC 8446 §D.5: "Any endpoint receiving a Hello message with ClientHello.legacy_version or
  // ServerHello.legacy_version set to 0x0300 MUST abort the handshake with a "protocol_version"
  // alert."
  if (static_cast<std::uint16_t>(hello.legacy_version) <= static_cast<std::uint16_t>(ProtocolVersion::ssl3_0))
    return reject(AlertDescription::protocol_version,
                  "the ClientHello's legacy_version is " + to_string(hello.legacy_version) +
                      ", SSL 3.0 or older (RFC 8446 §D.5)");
  return Unit{};
}

Status check_mandatory_extensions(const ClientHello& hello) {
  const bool has_groups = find_extension(hello.extensions, ExtensionType::supported_groups) != nullptr;
  const bool has_key_share = find_extension(hello.extensions, ExtensionType::key_share) != nullptr;
  const bool has_signature_algorithms =
      find_extension(hello.extensions, ExtensionType::signature_algorithms) != nullptr;
  // RFC 8446 §9.2: "If containing a "supported_groups" extension, it MUST also contain a
  // "key_share" extension, and vice versa. [...] Servers receiving a ClientHello which does not
  // conform to these requirements MUST abort the handshake with a "missing_extension" alert."
  if (has_groups != has_key_share)
    return reject(AlertDescription::missing_extension,
                  has_groups ? "the ClientHello has supported_groups but no key_share extension (RFC 8446 §9.2)"
                             : "the ClientHello has key_share but no supported_groups extension (RFC 8446 §9.2)");
  // RFC 8446 §9.2: "If not containing a "pre_shared_key" extension, it MUST contain both a
  // "signature_algorithms" extension and a "supported_groups" extension." We accept no PSK, so
  // the handshake always needs both: (EC)DHE and a certificate.
  if (!has_signature_algorithms)
    return reject(AlertDescription::missing_extension,
                  "the ClientHello has no signature_algorithms extension, which certificate "
                  "authentication needs (RFC 8446 §9.2)");
  if (!has_groups)
    return reject(AlertDescription::missing_extension,
                  "the ClientHello has no supported_groups extension, which (EC)DHE needs (RFC 8446 §9.2)");
  return Unit{};
}

}  // namespace

Result<ClientHelloOffers> read_client_hello_offers(const ClientHello& hello) {
  if (auto version = check_version(hello); !version) return fail(version.error());
  // RFC 8446 §4.1.2: "For every TLS 1.3 ClientHello, this vector MUST contain exactly one byte,
  // set to zero [...]. If a TLS 1.3 ClientHello is received with any other value in this field,
  // the server MUST abort the handshake with an "illegal_parameter" alert."
  if (hello.legacy_compression_methods != std::vector<std::uint8_t>{0})
    return reject(AlertDescription::illegal_parameter,
                  "the ClientHello's legacy_compression_methods is not exactly one null method (RFC 8446 §4.1.2)");
  if (auto mandatory = check_mandatory_extensions(hello); !mandatory) return fail(mandatory.error());

  // Each extension's data was already checked by parse_client_hello; these re-read it typed.
  ClientHelloOffers offers;
  const auto& extensions = hello.extensions;
  auto groups = parse_supported_groups(find_extension(extensions, ExtensionType::supported_groups)->data,
                                       ExtensionContext::client_hello);
  if (!groups) return fail(groups.error());
  offers.supported_groups = std::move(*groups);
  auto shares = parse_key_share_client_hello(find_extension(extensions, ExtensionType::key_share)->data);
  if (!shares) return fail(shares.error());
  offers.key_shares = std::move(*shares);
  auto schemes = parse_signature_algorithms(find_extension(extensions, ExtensionType::signature_algorithms)->data,
                                            ExtensionType::signature_algorithms, ExtensionContext::client_hello);
  if (!schemes) return fail(schemes.error());
  offers.signature_algorithms = std::move(*schemes);
  if (const Extension* sni = find_extension(extensions, ExtensionType::server_name)) {
    auto name = parse_server_name_client_hello(sni->data);
    if (!name) return fail(name.error());
    if (*name) offers.server_name = std::move(**name);
  }
  if (const Extension* alpn = find_extension(extensions, ExtensionType::application_layer_protocol_negotiation)) {
    auto protocols = parse_alpn(alpn->data, ExtensionContext::client_hello);
    if (!protocols) return fail(protocols.error());
    offers.alpn_protocols = std::move(*protocols);
  }
  if (const Extension* limit = find_extension(extensions, ExtensionType::record_size_limit)) {
    auto value = parse_record_size_limit(limit->data, ExtensionContext::client_hello);
    if (!value) return fail(value.error());
    offers.record_size_limit = *value;
  }
  return offers;
}

}  // namespace duplex::tls::detail
