// Helpers shared by the tls tests: hex literals and small valid messages to mutate.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/extension_data.hpp"

namespace duplex::tls::test {

// "01 02 ff" or "0102ff" → bytes; whitespace is ignored.
inline std::vector<std::uint8_t> hex(std::string_view text) {
  auto nibble = [](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
    return static_cast<std::uint8_t>(c - 'A' + 10);
  };
  std::vector<std::uint8_t> out;
  int high = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t') continue;
    if (high < 0) {
      high = nibble(c);
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | nibble(c)));
      high = -1;
    }
  }
  return out;
}

// A small valid TLS 1.3 ClientHello offering x25519 with one share.
inline ClientHello minimal_client_hello() {
  ClientHello hello;
  hello.random.fill(0x11);
  hello.cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256};
  const ProtocolVersion versions[] = {ProtocolVersion::tls1_3};
  const NamedGroup groups[] = {NamedGroup::x25519};
  const SignatureScheme schemes[] = {SignatureScheme::ed25519};
  const KeyShareEntry shares[] = {{NamedGroup::x25519, std::vector<std::uint8_t>(32, 0x22)}};
  hello.extensions = {make_supported_versions_client_hello(versions), make_supported_groups(groups),
                      make_signature_algorithms(ExtensionType::signature_algorithms, schemes),
                      make_key_share_client_hello(shares)};
  return hello;
}

// Encodes then parses: what a peer's bytes would give.
inline Result<ClientHello> reparse(const ClientHello& hello) {
  return parse_client_hello(encode_client_hello(hello));
}

}  // namespace duplex::tls::test
