// Shared by the server handshake tests: a fake HandshakeIo that records what the state machine
// does, a test client with real key shares, and the client's side of the key schedule to check
// the server's flight and to answer it with a Finished.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../../src/tls/server/handshake.hpp"
#include "duplex/crypto/key_exchange.hpp"
#include "duplex/tls/encrypted_extensions.hpp"
#include "duplex/tls/finished.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "duplex/tls/server_hello.hpp"
#include "test_certificates.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls::server_test {

using detail::HandshakeIo;
using detail::HandshakeOutcome;
using detail::ServerHandshake;
using Bytes = std::vector<std::uint8_t>;

// Records what the state machine does to its connection, in order.
class FakeIo final : public HandshakeIo {
 public:
  void write_handshake(const HandshakeMessage& message) override {
    written.push_back(message);
    actions.push_back("write " + to_string(message.msg_type));
  }
  void write_change_cipher_spec() override { actions.push_back("change_cipher_spec"); }
  Status set_read_protection(RecordDecrypter) override {
    actions.push_back("read protection");
    return Unit{};
  }
  void set_write_protection(RecordEncrypter) override { actions.push_back("write protection"); }
  void set_record_size_limits(std::optional<std::uint16_t> ours, std::optional<std::uint16_t> peers) override {
    limits = {ours, peers};
    actions.push_back("record size limits");
  }
  void set_client_random(std::span<const std::uint8_t> random) override {
    client_random.assign(random.begin(), random.end());
    actions.push_back("client random");
  }
  void log_secret(std::string_view label, const crypto::Secret& secret) override {
    secrets[std::string(label)] = secret.clone();
    actions.push_back("log " + std::string(label));
  }
  std::int64_t now() const override { return 1800000000; }
  std::int64_t now_ms() const override { return 1800000000000; }
  HandshakeSummary& summary() override { return summary_; }
  void handshake_complete(HandshakeOutcome done) override {
    outcome.emplace(std::move(done));
    actions.push_back("handshake complete");
  }

  // The messages written with this type.
  std::vector<HandshakeMessage> of_type(HandshakeType type) const {
    std::vector<HandshakeMessage> out;
    for (const auto& message : written)
      if (message.msg_type == type) out.push_back(message);
    return out;
  }
  long count(std::string_view action) const { return std::count(actions.begin(), actions.end(), action); }

  std::vector<HandshakeMessage> written;
  std::vector<std::string> actions;
  std::map<std::string, crypto::Secret> secrets;
  std::optional<std::pair<std::optional<std::uint16_t>, std::optional<std::uint16_t>>> limits;
  Bytes client_random;
  std::optional<HandshakeOutcome> outcome;
  HandshakeSummary summary_;
};

inline HandshakeMessage frame(HandshakeType type, std::span<const std::uint8_t> body) {
  return HandshakeMessage{type, encode_handshake(type, body)};
}

inline crypto::KeyShare fresh_share(NamedGroup group) { return std::move(crypto::KeyShare::generate(group)).value(); }

// Replaces (or adds) one extension of a ClientHello.
inline void set_extension(ClientHello& hello, Extension extension) {
  for (auto& existing : hello.extensions) {
    if (existing.type == extension.type) {
      existing = std::move(extension);
      return;
    }
  }
  hello.extensions.insert(hello.extensions.begin(), std::move(extension));
}
inline void remove_extension(ClientHello& hello, ExtensionType type) {
  std::erase_if(hello.extensions, [&](const Extension& e) { return e.type == type; });
}

// The client side of the test: its ClientHello with real key shares, and the transcript.
struct TestClient {
  ClientHello hello = test::minimal_client_hello();
  std::vector<crypto::KeyShare> shares;

  // Real shares for `share_groups`, `groups` as supported_groups, all three suites and the
  // schemes of our test keys.
  explicit TestClient(std::vector<NamedGroup> share_groups = {NamedGroup::x25519},
                      std::vector<NamedGroup> groups = {NamedGroup::x25519, NamedGroup::secp256r1,
                                                        NamedGroup::secp384r1}) {
    hello.cipher_suites = default_cipher_suites();
    hello.legacy_session_id.assign(32, 0x5a);  // compatibility mode, as every browser
    set_extension(hello, make_supported_groups(groups));
    set_shares(share_groups);
    const SignatureScheme schemes[] = {SignatureScheme::ed25519, SignatureScheme::ecdsa_secp256r1_sha256,
                                       SignatureScheme::ecdsa_secp384r1_sha384,
                                       SignatureScheme::rsa_pss_rsae_sha256};
    set_schemes(schemes);
  }
  void set_shares(const std::vector<NamedGroup>& groups) {
    shares.clear();
    std::vector<KeyShareEntry> entries;
    for (NamedGroup group : groups) {
      shares.push_back(fresh_share(group));
      entries.push_back({group, Bytes(shares.back().public_share().begin(), shares.back().public_share().end())});
    }
    set_extension(hello, make_key_share_client_hello(entries));
  }
  void set_schemes(std::span<const SignatureScheme> schemes) {
    set_extension(hello, make_signature_algorithms(ExtensionType::signature_algorithms, schemes));
  }
  HandshakeMessage message() const { return frame(HandshakeType::client_hello, encode_client_hello(hello)); }
  const crypto::KeyShare& share_for(NamedGroup group) const {
    for (const auto& share : shares)
      if (share.group() == group) return share;
    std::abort();
  }
};

inline std::shared_ptr<ServerConfig> config_with(std::vector<CertifiedKey> certificates) {
  auto config = std::make_shared<ServerConfig>();
  config->certificates = std::move(certificates);
  return config;
}

// One P-256 certificate for "example.com", made once (keys are slow to make).
inline const CertifiedKey& p256_certificate() {
  static const CertifiedKey key = test::self_signed(crypto::KeyType::ecdsa_p256, {"example.com"});
  return key;
}

inline std::shared_ptr<ServerConfig> default_config() { return config_with({p256_certificate()}); }

// A server that speaks TLS 1.3 alone (RFC 8446's rules with nothing to fall back to).
inline std::shared_ptr<ServerConfig> tls13_only_config() {
  auto config = default_config();
  config->versions = {ProtocolVersion::tls1_3};
  config->cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256, CipherSuite::tls_aes_256_gcm_sha384,
                           CipherSuite::tls_chacha20_poly1305_sha256};
  return config;
}

inline ServerHello parsed_server_hello(const FakeIo& io, std::size_t index = 0) {
  auto hellos = io.of_type(HandshakeType::server_hello);
  EXPECT_GT(hellos.size(), index);
  return std::move(parse_server_hello(hellos.at(index).body())).value();
}

inline EncryptedExtensions parsed_encrypted_extensions(const FakeIo& io) {
  auto messages = io.of_type(HandshakeType::encrypted_extensions);
  EXPECT_EQ(messages.size(), 1u);
  return std::move(parse_encrypted_extensions(messages.at(0).body())).value();
}

inline TlsError first_client_hello_error(std::shared_ptr<ServerConfig> config, const ClientHello& hello) {
  ServerHandshake server(std::move(config));
  FakeIo io;
  auto handled = server.handle(frame(HandshakeType::client_hello, encode_client_hello(hello)), io);
  EXPECT_FALSE(handled.ok());
  if (handled.ok()) return {};
  EXPECT_TRUE(io.written.empty());  // nothing is sent before every check passed
  return handled.error();
}

// The client's view of a finished server flight: the transcript of every message so far, the
// handshake traffic secrets computed independently of the server's.
struct ClientKeys {
  crypto::Hash transcript;
  crypto::Secret client_handshake_traffic_secret;
};

inline ClientKeys client_keys(const FakeIo& io, const std::vector<HandshakeMessage>& client_messages_before_flight,
                       const TestClient& client) {
  const ServerHello server_hello = parsed_server_hello(io, io.summary_.hello_retry_request ? 1 : 0);
  const auto suite = *Tls13Suite::from(server_hello.cipher_suite);
  crypto::Hash transcript(suite.hash());
  // Replays what the client saw, in order: ClientHello(s) interleaved with the server's messages.
  std::size_t server_index = 0;
  for (std::size_t i = 0; i < client_messages_before_flight.size(); ++i) {
    if (i == 0 && io.summary_.hello_retry_request) {
      const auto ch1_hash = crypto::hash(suite.hash(), client_messages_before_flight[0].encoded);
      transcript.update(encode_handshake(HandshakeType::message_hash, ch1_hash.bytes()));
      transcript.update(io.written.at(server_index++).encoded);  // the HelloRetryRequest
      continue;
    }
    transcript.update(client_messages_before_flight[i].encoded);
  }
  transcript.update(io.written.at(server_index).encoded);  // ServerHello
  const KeyShareEntry server_share = std::move(parse_key_share_server_hello(
                                                   find_extension(server_hello.extensions, ExtensionType::key_share)->data))
                                         .value();
  auto shared = std::move(client.share_for(server_share.group).shared_secret(server_share.key_exchange)).value();
  auto secrets = EarlySecret::without_psk(suite)
                     .derive_handshake_secret(shared.bytes())
                     .derive_handshake_traffic_secrets(transcript.current());
  for (std::size_t i = server_index + 1; i < io.written.size(); ++i) transcript.update(io.written[i].encoded);
  return ClientKeys{std::move(transcript), secrets.client_handshake_traffic_secret().clone()};
}

inline HandshakeMessage client_finished(const ClientKeys& keys) {
  const auto verify_data =
      finished_verify_data(keys.transcript.algorithm(), keys.client_handshake_traffic_secret, keys.transcript.current());
  return frame(HandshakeType::finished, encode_finished({Bytes(verify_data.bytes().begin(), verify_data.bytes().end())}));
}

}  // namespace duplex::tls::server_test
