// Private to src/tls: which suites of one configured list belong to which version (one
// ClientConfig/ServerConfig list serves TLS 1.3 and TLS 1.2, STYLE example 13).
#pragma once

#include <algorithm>
#include <vector>

#include "duplex/tls/cipher_suite.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/tls/protocol_version.hpp"
#include "duplex/tls/tls12_key_schedule.hpp"
#include "duplex/tls/traffic_keys.hpp"

namespace duplex::tls::detail {

inline bool speaks(const std::vector<ProtocolVersion>& versions, ProtocolVersion version) {
  return std::find(versions.begin(), versions.end(), version) != versions.end();
}

// The TLS 1.3 suites of `suites`, in their order.
inline std::vector<CipherSuite> tls13_suites(const std::vector<CipherSuite>& suites) {
  std::vector<CipherSuite> out;
  for (auto suite : suites)
    if (Tls13Suite::from(suite)) out.push_back(suite);
  return out;
}

// The TLS 1.2 suites of `suites`, in their order; with legacy_rsa_key_exchange the RSA key
// transport suites are added after them when not listed.
inline std::vector<CipherSuite> tls12_suites(const std::vector<CipherSuite>& suites, bool legacy_rsa_key_exchange) {
  std::vector<CipherSuite> out;
  for (auto suite : suites)
    if (Tls12Suite::from(suite)) out.push_back(suite);
  if (legacy_rsa_key_exchange)
    for (auto suite : legacy_rsa_key_exchange_suites())
      if (std::find(out.begin(), out.end(), suite) == out.end()) out.push_back(suite);
  return out;
}

// The versions a config can speak: those it lists that have a suite of their own in
// cipher_suites (a list of TLS 1.3 suites alone speaks TLS 1.3 alone), in the listed order.
template <typename Config>
std::vector<ProtocolVersion> effective_versions(const Config& config) {
  std::vector<ProtocolVersion> out;
  for (const auto version : config.versions) {
    if (version == ProtocolVersion::tls1_3 && !tls13_suites(config.cipher_suites).empty()) out.push_back(version);
    if (version == ProtocolVersion::tls1_2 && !tls12_suites(config.cipher_suites, config.legacy_rsa_key_exchange).empty())
      out.push_back(version);
  }
  return out;
}

}  // namespace duplex::tls::detail
