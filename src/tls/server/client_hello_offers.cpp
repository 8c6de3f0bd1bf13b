#include "client_hello_offers.hpp"

#include <algorithm>

#include "duplex/tls/alpn.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/server_name.hpp"
#include "../versions.hpp"

namespace duplex::tls::detail {

namespace {

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

std::string version_list(const std::vector<ProtocolVersion>& versions) {
  std::string out;
  for (const auto version : versions) out += (out.empty() ? "" : " and ") + to_string(version);
  return out;
}

bool offers_suite(const ClientHello& hello, CipherSuite suite) {
  return std::find(hello.cipher_suites.begin(), hello.cipher_suites.end(), suite) != hello.cipher_suites.end();
}

}  // namespace

Result<ProtocolVersion> choose_version(const ClientHello& hello, const std::vector<ProtocolVersion>& ours) {
  // RFC 8446 §D.5: "Any endpoint receiving a Hello message with ClientHello.legacy_version [...]
  // set to 0x0300 MUST abort the handshake with a "protocol_version" alert."
  if (static_cast<std::uint16_t>(hello.legacy_version) <= static_cast<std::uint16_t>(ProtocolVersion::ssl3_0))
    return reject(AlertDescription::protocol_version,
                  "the ClientHello's legacy_version is " + to_string(hello.legacy_version) +
                      ", SSL 3.0 or older (RFC 8446 §D.5)");
  std::optional<ProtocolVersion> chosen;
  ProtocolVersion client_highest = hello.legacy_version;
  if (const Extension* supported_versions = find_extension(hello.extensions, ExtensionType::supported_versions)) {
    auto versions = parse_supported_versions_client_hello(supported_versions->data);
    if (!versions) return fail(versions.error());
    // RFC 8446 §4.2.1: "If this extension is present in the ClientHello, servers MUST NOT use the
    // ClientHello.legacy_version value for version negotiation and MUST use only the
    // "supported_versions" extension to determine client preferences." Q: why accept another
    // legacy_version there, when §4.1.2 says 0x0303? A: §4.2.1 forbids using it, and only §D.5
    // names values to refuse (OpenSSL refuses only those too; rustls looks at supported_versions).
    auto listed = [&](ProtocolVersion version) {
      return std::find(versions->begin(), versions->end(), version) != versions->end();
    };
    client_highest = listed(ProtocolVersion::tls1_3)   ? ProtocolVersion::tls1_3
                     : listed(ProtocolVersion::tls1_2) ? ProtocolVersion::tls1_2
                                                       : ProtocolVersion::tls1_1;
    if (listed(ProtocolVersion::tls1_3) && speaks(ours, ProtocolVersion::tls1_3))
      chosen = ProtocolVersion::tls1_3;
    else if (listed(ProtocolVersion::tls1_2) && speaks(ours, ProtocolVersion::tls1_2))
      chosen = ProtocolVersion::tls1_2;
  } else if (static_cast<std::uint16_t>(hello.legacy_version) >= static_cast<std::uint16_t>(ProtocolVersion::tls1_2) &&
             speaks(ours, ProtocolVersion::tls1_2)) {
    // RFC 5246 §E.1: the server answers with the highest version it speaks up to client_version;
    // RFC 8446 §4.2.1: without supported_versions a ClientHello negotiates TLS 1.2 or below.
    chosen = ProtocolVersion::tls1_2;
  }
  // RFC 8446 §D.2: "If the "supported_versions" extension is absent and the server only supports
  // versions greater than ClientHello.legacy_version, the server MUST abort the handshake with a
  // "protocol_version" alert." RFC 8996: TLS 1.0 and 1.1 are never negotiated.
  if (!chosen)
    return reject(AlertDescription::protocol_version,
                  find_extension(hello.extensions, ExtensionType::supported_versions)
                      ? "the ClientHello's supported_versions lists neither of the versions we speak, " +
                            version_list(ours) + " (RFC 8446 §4.2.1)"
                      : "the ClientHello has no supported_versions and its legacy_version is " +
                            to_string(hello.legacy_version) + ", and we speak " + version_list(ours) +
                            " (RFC 8446 §4.2.1, §D.2; RFC 8996)");
  // RFC 7507 §3: "If TLS_FALLBACK_SCSV appears in ClientHello.cipher_suites and the highest
  // protocol version supported by the server is higher than the version indicated in
  // ClientHello.client_version, the server MUST respond with a fatal inappropriate_fallback alert".
  const ProtocolVersion our_highest = speaks(ours, ProtocolVersion::tls1_3) ? ProtocolVersion::tls1_3 : ProtocolVersion::tls1_2;
  if (offers_suite(hello, CipherSuite::tls_fallback_scsv) &&
      static_cast<std::uint16_t>(client_highest) < static_cast<std::uint16_t>(our_highest))
    return reject(AlertDescription::inappropriate_fallback,
                  "the ClientHello carries TLS_FALLBACK_SCSV and offers at most " + to_string(client_highest) +
                      ", but we speak " + to_string(our_highest) + ": a retry after a failure an attacker may have "
                      "caused (RFC 7507 §3)");
  return *chosen;
}

Result<Tls12ClientHelloOffers> read_tls12_client_hello_offers(const ClientHello& hello) {
  const auto& extensions = hello.extensions;
  constexpr auto context = ExtensionContext::client_hello;
  // RFC 5246 §7.4.1.2: "this vector MUST contain, and all implementations MUST support,
  // CompressionMethod.null". The others are never chosen (RFC 7457 §2.6: CRIME).
  if (std::find(hello.legacy_compression_methods.begin(), hello.legacy_compression_methods.end(), 0) ==
      hello.legacy_compression_methods.end())
    return reject(AlertDescription::illegal_parameter,
                  "the ClientHello's compression_methods does not list null (RFC 5246 §7.4.1.2)");
  // RFC 5746 §3.6: the server "MUST check if [TLS_EMPTY_RENEGOTIATION_INFO_SCSV] is included" and
  // "if the "renegotiation_info" extension is present; if it is, the server MUST verify that the
  // length of the "renegotiated_connection" field is zero, and if it is not, MUST abort the
  // handshake" (handshake_failure). Q: a client with neither is allowed by §3.6; why refuse it?
  // A: it is a client from before 2010 that a renegotiation attack works against; every client
  // since sends one of them, and OpenSSL's servers refuse such clients too when asked to be safe.
  const Extension* renegotiation = find_extension(extensions, ExtensionType::renegotiation_info);
  if (renegotiation == nullptr && !offers_suite(hello, CipherSuite::tls_empty_renegotiation_info_scsv))
    return reject(AlertDescription::handshake_failure,
                  "the TLS 1.2 ClientHello has neither renegotiation_info nor TLS_EMPTY_RENEGOTIATION_INFO_SCSV: the "
                  "client does not show that it is safe from the renegotiation attack (RFC 5746 §3.6)");
  if (renegotiation != nullptr && renegotiation->data != std::vector<std::uint8_t>{0x00})
    return reject(AlertDescription::handshake_failure,
                  "the ClientHello's renegotiation_info is not empty on an initial handshake (RFC 5746 §3.6)");

  Tls12ClientHelloOffers offers;
  offers.extended_master_secret = find_extension(extensions, ExtensionType::extended_master_secret) != nullptr;
  if (const Extension* groups = find_extension(extensions, ExtensionType::supported_groups)) {
    auto parsed = parse_supported_groups(groups->data, context);
    if (!parsed) return fail(parsed.error());
    offers.supported_groups = std::move(*parsed);
  }
  // RFC 5246 §7.4.1.4.1: without signature_algorithms the client is taken to support SHA-1 only,
  // which we never sign with (RFC 9155): the list stays empty and no suite with a signature fits.
  if (const Extension* schemes = find_extension(extensions, ExtensionType::signature_algorithms)) {
    auto parsed = parse_signature_algorithms(schemes->data, ExtensionType::signature_algorithms, context);
    if (!parsed) return fail(parsed.error());
    offers.signature_algorithms = std::move(*parsed);
  }
  // RFC 8422 §5.1.2: a client that lists point formats must list uncompressed, the one we use.
  if (const Extension* formats = find_extension(extensions, ExtensionType::ec_point_formats)) {
    auto parsed = parse_ec_point_formats(formats->data, context);
    if (!parsed) return fail(parsed.error());
    if (std::find(parsed->begin(), parsed->end(), ec_point_format_uncompressed) == parsed->end())
      return reject(AlertDescription::illegal_parameter,
                    "the ClientHello's ec_point_formats does not list uncompressed (RFC 8422 §5.1.2)");
    offers.ec_point_formats = true;
  }
  if (const Extension* sni = find_extension(extensions, ExtensionType::server_name)) {
    auto name = parse_server_name_client_hello(sni->data);
    if (!name) return fail(name.error());
    if (*name) offers.server_name = std::move(**name);
  }
  if (const Extension* alpn = find_extension(extensions, ExtensionType::application_layer_protocol_negotiation)) {
    auto protocols = parse_alpn(alpn->data, context);
    if (!protocols) return fail(protocols.error());
    offers.alpn_protocols = std::move(*protocols);
  }
  if (const Extension* limit = find_extension(extensions, ExtensionType::record_size_limit)) {
    auto value = parse_record_size_limit(limit->data, context);
    if (!value) return fail(value.error());
    offers.record_size_limit = *value;
  }
  return offers;
}

Result<ClientHelloOffers> read_client_hello_offers(const ClientHello& hello) {
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
