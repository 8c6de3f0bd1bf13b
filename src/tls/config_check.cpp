// The configuration checks: a config that no handshake could succeed with is refused before the
// first connection (the client's when the ClientHello is built; the server's when a server starts
// and when a Connection is made), with a sentence naming what is wrong.
#include <algorithm>

#include "certificate_verify_rules.hpp"
#include "duplex/crypto/key_exchange.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "duplex/tls/tls12_key_schedule.hpp"
#include "versions.hpp"

namespace duplex::tls {
namespace {

template <typename T>
bool contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

duplex::Failure<TlsError> bad_config(std::string_view which, std::string sentence) {
  return reject(AlertDescription::internal_error, "the " + std::string(which) + " " + std::move(sentence));
}

// The versions, and a suite of each: RFC 8446 §4.2.1, RFC 8996 (nothing below TLS 1.2).
Status check_versions_and_suites(std::string_view which, const std::vector<ProtocolVersion>& versions,
                                 const std::vector<CipherSuite>& suites, bool legacy_rsa_key_exchange) {
  if (versions.empty()) return bad_config(which, "has no protocol version");
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (versions[i] != ProtocolVersion::tls1_3 && versions[i] != ProtocolVersion::tls1_2)
      return bad_config(which, "lists " + to_string(versions[i]) + ": only TLS 1.3 and TLS 1.2 are spoken (RFC 8996)");
    if (std::find(versions.begin(), versions.begin() + static_cast<std::ptrdiff_t>(i), versions[i]) !=
        versions.begin() + static_cast<std::ptrdiff_t>(i))
      return bad_config(which, "lists " + to_string(versions[i]) + " twice");
  }
  if (suites.empty()) return bad_config(which, "has no cipher suite");
  bool tls13_suite = false, tls12_suite = legacy_rsa_key_exchange;
  for (const auto suite : suites) {
    const auto tls12 = Tls12Suite::from(suite);
    if (!Tls13Suite::from(suite) && !tls12)
      return bad_config(which, "lists cipher suite " + to_string(suite) + ", which we do not implement");
    if (tls12 && tls12->key_exchange() == Tls12KeyExchange::rsa && !legacy_rsa_key_exchange)
      return bad_config(which, "lists " + to_string(suite) +
                                   ", RSA key transport, without legacy_rsa_key_exchange: it has no forward secrecy "
                                   "and must be asked for by that name");
    (tls12 ? tls12_suite : tls13_suite) = true;
  }
  // A version without a suite of its own is not spoken (versions.hpp, effective_versions); one at
  // least must be left.
  if (!(contains(versions, ProtocolVersion::tls1_3) && tls13_suite) &&
      !(contains(versions, ProtocolVersion::tls1_2) && tls12_suite))
    return bad_config(which, "lists no cipher suite of the versions it speaks");
  return Unit{};
}

// What both roles share: groups, schemes, ALPN names, the record size limit.
Status check_common(std::string_view which, const std::vector<NamedGroup>& groups,
                    const std::vector<SignatureScheme>& schemes, const std::vector<std::string>& alpn,
                    std::optional<std::uint16_t> record_size_limit) {
  if (groups.empty()) return bad_config(which, "has no supported group");
  for (const auto group : groups)
    if (!crypto::is_supported(group))
      return bad_config(which, "lists group " + to_string(group) + ", which we cannot make key shares for");
  if (schemes.empty()) return bad_config(which, "has no signature scheme");
  for (const auto& protocol : alpn)
    // RFC 7301 §3.1: opaque ProtocolName<1..2^8-1>.
    if (protocol.empty() || protocol.size() > 255)
      return bad_config(which, "has an ALPN protocol name of 0 or over 255 bytes");
  // RFC 8449 §4: at least 64; "For TLS 1.3, this is 2^14 + 1 octets" at most.
  if (record_size_limit && (*record_size_limit < minimum_record_size_limit || *record_size_limit > 16385))
    return bad_config(which, "has a record_size_limit outside 64 .. 16385");
  return Unit{};
}

}  // namespace

Status check_config(const ClientConfig& config) {
  if (auto versions = check_versions_and_suites("ClientConfig", config.versions, config.cipher_suites,
                                                config.legacy_rsa_key_exchange);
      !versions)
    return versions;
  if (auto common = check_common("ClientConfig", config.supported_groups, config.signature_schemes,
                                 config.alpn_protocols, config.record_size_limit);
      !common)
    return common;
  // TLS 1.3's key shares; a client that does not offer TLS 1.3 sends none.
  const bool tls13 = detail::speaks(detail::effective_versions(config), ProtocolVersion::tls1_3);
  for (std::size_t i = 0; tls13 && i < config.key_share_groups.size(); ++i) {
    const auto group = config.key_share_groups[i];
    // RFC 8446 §4.2.8: "Each KeyShareEntry value MUST correspond to a group offered in the
    // "supported_groups" extension" and "Clients MUST NOT offer multiple KeyShareEntry values for
    // the same group."
    if (!contains(config.supported_groups, group))
      return bad_config("ClientConfig", "sends a key share for " + to_string(group) + ", which is not in supported_groups");
    if (std::find(config.key_share_groups.begin(), config.key_share_groups.begin() + static_cast<std::ptrdiff_t>(i),
                  group) != config.key_share_groups.begin() + static_cast<std::ptrdiff_t>(i))
      return bad_config("ClientConfig", "sends two key shares for " + to_string(group));
  }
  return Unit{};
}

Status check_config(const ServerConfig& config) {
  if (config.certificates.empty()) return bad_config("ServerConfig", "has no certificate");
  if (auto versions = check_versions_and_suites("ServerConfig", config.versions, config.cipher_suites,
                                                config.legacy_rsa_key_exchange);
      !versions)
    return versions;
  if (auto common = check_common("ServerConfig", config.supported_groups, config.signature_schemes,
                                 config.alpn_protocols, config.record_size_limit);
      !common)
    return common;
  for (std::size_t i = 0; i < config.certificates.size(); ++i) {
    const CertifiedKey& certified_key = config.certificates[i];
    if (certified_key.certificate_chain.empty())
      return bad_config("ServerConfig", "has a certificate entry (#" + std::to_string(i + 1) + ") with no certificate");
    // §4.4.3: CertificateVerify is signed with one of our schemes that fits the key.
    if (!detail::choose_signature_scheme(config.signature_schemes, config.signature_schemes,
                                         certified_key.private_key.type()))
      return bad_config("ServerConfig", "lists no signature scheme that certificate #" + std::to_string(i + 1) +
                                            "'s key can sign a CertificateVerify with");
  }
  if (config.client_authentication != ClientAuthentication::none && !config.client_verifier)
    return bad_config("ServerConfig", "asks for client certificates but has no client_verifier to judge them");
  return Unit{};
}

}  // namespace duplex::tls
