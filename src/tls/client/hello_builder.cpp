#include "hello_builder.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "duplex/crypto/random.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/traffic_keys.hpp"
#include "../versions.hpp"

namespace duplex::tls::detail {
namespace {

duplex::Failure<TlsError> bad_config(std::string sentence) {
  return reject(AlertDescription::internal_error, "the ClientConfig " + std::move(sentence));
}

}  // namespace

Result<ClientRandomness> draw_client_randomness(const ClientConfig& config) {
  ClientRandomness randomness;
  crypto::random_bytes(randomness.random);
  // A client that does not offer TLS 1.3 sends no key share and no compatibility session id.
  if (!speaks(effective_versions(config), ProtocolVersion::tls1_3)) return randomness;
  if (config.middlebox_compatibility) {
    // RFC 8446 §D.4: "the client ... sets legacy_session_id to a random 32-byte value".
    randomness.legacy_session_id.resize(32);
    crypto::random_bytes(randomness.legacy_session_id);
  }
  for (const auto group : config.key_share_groups) {
    auto share = crypto::KeyShare::generate(group);
    if (!share) return bad_config("sends a key share for " + to_string(group) + ", which the crypto provider cannot make");
    randomness.key_shares.push_back(std::move(share).value());
  }
  return randomness;
}

std::optional<std::string> server_name_indication(std::string_view name) {
  // RFC 6066 §3: "The hostname is represented as a byte string using ASCII encoding without a
  // trailing dot."
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return std::nullopt;
  std::string host_name(name);
  // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in "HostName"." A ':' is never
  // in a host name (nor in "[::1]", a URL's form of an IPv6 address).
  if (host_name.find(':') != std::string::npos) return std::nullopt;
  std::uint8_t address[4];
  if (inet_pton(AF_INET, host_name.c_str(), address) == 1) return std::nullopt;
  return host_name;
}

Result<ClientOffer> read_client_offer(const ClientHello& hello) {
  ClientOffer offer;
  offer.random = hello.random;
  offer.legacy_session_id = hello.legacy_session_id;
  offer.cipher_suites = hello.cipher_suites;
  offer.extensions = hello.extensions;
  for (const auto suite : hello.cipher_suites)
    if (Tls12Suite::from(suite)) offer.offers_tls12 = true;
  const auto context = ExtensionContext::client_hello;
  if (const auto* groups = find_extension(hello.extensions, ExtensionType::supported_groups)) {
    auto parsed = parse_supported_groups(groups->data, context);
    if (!parsed) return fail(parsed.error());
    offer.supported_groups = std::move(parsed).value();
  }
  if (const auto* schemes = find_extension(hello.extensions, ExtensionType::signature_algorithms)) {
    auto parsed = parse_signature_algorithms(schemes->data, ExtensionType::signature_algorithms, context);
    if (!parsed) return fail(parsed.error());
    offer.signature_schemes = std::move(parsed).value();
  }
  if (const auto* alpn = find_extension(hello.extensions, ExtensionType::application_layer_protocol_negotiation)) {
    auto parsed = parse_alpn(alpn->data, context);
    if (!parsed) return fail(parsed.error());
    offer.alpn_protocols = std::move(parsed).value();
  }
  if (const auto* versions = find_extension(hello.extensions, ExtensionType::supported_versions)) {
    auto parsed = parse_supported_versions_client_hello(versions->data);
    if (!parsed) return fail(parsed.error());
    offer.offers_tls13 = std::find(parsed->begin(), parsed->end(), ProtocolVersion::tls1_3) != parsed->end();
  }
  if (const auto* limit = find_extension(hello.extensions, ExtensionType::record_size_limit)) {
    auto parsed = parse_record_size_limit(limit->data, context);
    if (!parsed) return fail(parsed.error());
    offer.record_size_limit = *parsed;
  }
  return offer;
}

Result<ClientHello> build_client_hello(const ClientConfig& config, std::string_view server_name,
                                       const ClientRandomness& randomness) {
  if (auto checked = check_config(config); !checked) return fail(checked.error());
  const auto versions = effective_versions(config);
  const bool tls13 = speaks(versions, ProtocolVersion::tls1_3);
  const bool tls12 = speaks(versions, ProtocolVersion::tls1_2);
  if (randomness.key_shares.size() != (tls13 ? config.key_share_groups.size() : 0))
    return bad_config("key shares were not made for every key_share_groups entry");

  ClientHello hello;
  // RFC 8446 §4.1.2: legacy_version 0x0303 in every ClientHello; RFC 5246 §7.4.1.2: TLS 1.2's
  // client_version, the highest it speaks.
  hello.legacy_version = ProtocolVersion::tls1_2;
  hello.random = randomness.random;
  hello.legacy_session_id = randomness.legacy_session_id;
  if (tls13) hello.cipher_suites = tls13_suites(config.cipher_suites);
  if (tls12) {
    // Both versions' suites, in the configured order, the RSA key transport ones last.
    const auto suites = tls12_suites(config.cipher_suites, config.legacy_rsa_key_exchange);
    hello.cipher_suites.insert(hello.cipher_suites.end(), suites.begin(), suites.end());
  }
  if (const auto host_name = server_name_indication(server_name)) hello.extensions.push_back(make_server_name(*host_name));
  if (tls12) {
    // RFC 7627 §5.1: always offered; RFC 5746 §3.4: the empty renegotiation_info of an initial
    // handshake (the extension, not the SCSV: §3.3 recommends against both); RFC 8422 §5.1.2:
    // uncompressed points only.
    hello.extensions.push_back(make_extended_master_secret());
    hello.extensions.push_back(make_renegotiation_info());
    hello.extensions.push_back(make_ec_point_formats());
  }
  // RFC 8446 §4.2.1: the versions, most preferred first; only a TLS 1.3 client sends the list.
  if (tls13) hello.extensions.push_back(make_supported_versions_client_hello(versions));
  hello.extensions.push_back(make_supported_groups(config.supported_groups));
  hello.extensions.push_back(make_signature_algorithms(ExtensionType::signature_algorithms, config.signature_schemes));
  if (tls13) {
    std::vector<KeyShareEntry> shares;
    for (const auto& share : randomness.key_shares) {
      const auto public_share = share.public_share();
      shares.push_back({share.group(), {public_share.begin(), public_share.end()}});
    }
    hello.extensions.push_back(make_key_share_client_hello(shares));
  }
  if (!config.alpn_protocols.empty()) hello.extensions.push_back(make_alpn(config.alpn_protocols));
  if (config.record_size_limit) hello.extensions.push_back(make_record_size_limit(*config.record_size_limit));

  if (randomness.edit_client_hello) randomness.edit_client_hello(hello);
  return hello;
}

ClientHello build_retried_client_hello(const ClientHello& first, const std::optional<KeyShareEntry>& key_share,
                                       const std::optional<std::vector<std::uint8_t>>& cookie) {
  ClientHello retried = first;
  std::erase_if(retried.extensions, [](const Extension& extension) {
    // RFC 8446 §4.1.2: "Removing the "early_data" extension (Section 4.2.10) if one was present".
    return extension.type == ExtensionType::early_data || extension.type == ExtensionType::cookie;
  });
  if (key_share) {
    for (auto& extension : retried.extensions) {
      // RFC 8446 §4.1.2: "If a "key_share" extension was supplied in the HelloRetryRequest,
      // replacing the list of shares with a list containing a single KeyShareEntry from the
      // indicated group."
      if (extension.type == ExtensionType::key_share)
        extension = make_key_share_client_hello(std::span<const KeyShareEntry>(&*key_share, 1));
    }
  }
  // RFC 8446 §4.2.2: "When sending the new ClientHello, the client MUST copy the contents of the
  // extension received in the HelloRetryRequest into a "cookie" extension in the new ClientHello."
  if (cookie) retried.extensions.push_back(make_cookie(*cookie));
  return retried;
}

}  // namespace duplex::tls::detail
