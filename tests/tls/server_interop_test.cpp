// A client Connection and a server Connection talking to each other in memory: the server's
// choices (HelloRetryRequest, certificate by SNI, ALPN, client certificates) as the client sees
// them, through records, keys and alerts.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "duplex/tls/connection.hpp"
#include "test_certificates.hpp"

namespace duplex::tls {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

struct Side {
  explicit Side(Connection c) : connection(std::move(c)) {}
  Connection connection;
  bool complete = false;
  std::string received;
  std::optional<Failure> failure;
};

// Moves `from`'s pending output into `to` and drains `to`'s events. False when there was nothing.
bool deliver(Side& from, Side& to) {
  const auto out = from.connection.pending_output();
  if (out.empty()) return false;
  std::vector<std::uint8_t> buffer(out.begin(), out.end());
  from.connection.consume_output(buffer.size());
  to.connection.receive(buffer);
  while (auto event = to.connection.next_event()) {
    if (std::holds_alternative<HandshakeComplete>(*event)) to.complete = true;
    if (auto* data = std::get_if<ApplicationData>(&*event)) to.received.append(data->data.begin(), data->data.end());
    if (auto* failure = std::get_if<Failure>(&*event)) to.failure = *failure;
  }
  return true;
}

void run(Side& client, Side& server) {
  for (int round = 0; round < 16; ++round) {
    const bool to_server = deliver(client, server);
    const bool to_client = deliver(server, client);
    if (!to_server && !to_client) return;
  }
  ADD_FAILURE() << "the connections kept talking";
}

Sha256 pin_of(const CertifiedKey& key) { return std::move(spki_sha256(key.certificate_chain.at(0))).value(); }

const CertifiedKey& server_key() {
  static const CertifiedKey key = test::self_signed(crypto::KeyType::ecdsa_p256, {"example.com"});
  return key;
}

std::shared_ptr<ClientConfig> client_config(const CertifiedKey& expected_server) {
  auto config = std::make_shared<ClientConfig>();
  config->verifier = pin_spki_sha256({pin_of(expected_server)});
  return config;
}

std::shared_ptr<ServerConfig> server_config(std::vector<CertifiedKey> certificates = {server_key()}) {
  auto config = std::make_shared<ServerConfig>();
  config->certificates = std::move(certificates);
  return config;
}

struct Pair {
  Side client;
  Side server;
};

Pair connect(std::shared_ptr<const ClientConfig> client, std::shared_ptr<const ServerConfig> server,
             std::string server_name = "example.com") {
  Pair pair{Side(std::move(Connection::client(std::move(client), std::move(server_name), kNow)).value()),
            Side(std::move(Connection::server(std::move(server), kNow)).value())};
  run(pair.client, pair.server);
  return pair;
}

std::string failure_text(const std::optional<Failure>& failure) {
  return failure ? to_string(failure->error) : "no failure";
}

TEST(ServerInterop, CompletesHandshakeAndCarriesDataBothWays) {
  auto pair = connect(client_config(server_key()), server_config());
  ASSERT_TRUE(pair.client.complete) << failure_text(pair.client.failure) << " / " << failure_text(pair.server.failure);
  ASSERT_TRUE(pair.server.complete);
  const std::string ping = "ping", pong = "pong";
  ASSERT_TRUE(pair.client.connection.send({reinterpret_cast<const std::uint8_t*>(ping.data()), ping.size()}).ok());
  ASSERT_TRUE(pair.server.connection.send({reinterpret_cast<const std::uint8_t*>(pong.data()), pong.size()}).ok());
  run(pair.client, pair.server);
  EXPECT_EQ(pair.server.received, "ping");
  EXPECT_EQ(pair.client.received, "pong");
  const auto& client_summary = pair.client.connection.summary();
  const auto& server_summary = pair.server.connection.summary();
  EXPECT_EQ(client_summary.cipher_suite, server_summary.cipher_suite);
  EXPECT_EQ(client_summary.group, NamedGroup::x25519);
  EXPECT_EQ(server_summary.group, NamedGroup::x25519);
  EXPECT_EQ(server_summary.server_signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_EQ(client_summary.server_signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_EQ(server_summary.server_name, "example.com");
  EXPECT_EQ(client_summary.peer_certificates, server_key().certificate_chain);
}

TEST(ServerInterop, BothSidesExportTheSameKeyingMaterial) {
  auto pair = connect(client_config(server_key()), server_config());
  ASSERT_TRUE(pair.server.complete) << failure_text(pair.server.failure);
  auto client_export = pair.client.connection.export_keying_material("EXPERIMENTAL test", {}, 32);
  auto server_export = pair.server.connection.export_keying_material("EXPERIMENTAL test", {}, 32);
  ASSERT_TRUE(client_export.ok());
  ASSERT_TRUE(server_export.ok());
  EXPECT_TRUE(crypto::constant_time_equal(client_export->bytes(), server_export->bytes()));
}

TEST(ServerInterop, HelloRetryRequestAsksForTheServersGroup) {
  auto server = server_config();
  server->supported_groups = {NamedGroup::secp384r1};
  auto pair = connect(client_config(server_key()), server);
  ASSERT_TRUE(pair.client.complete) << failure_text(pair.client.failure) << " / " << failure_text(pair.server.failure);
  EXPECT_TRUE(pair.server.connection.summary().hello_retry_request);
  EXPECT_TRUE(pair.client.connection.summary().hello_retry_request);
  EXPECT_EQ(pair.client.connection.summary().group, NamedGroup::secp384r1);
}

TEST(ServerInterop, ServerChoosesCertificateAndAlpnForTheClient) {
  const auto other = test::self_signed(crypto::KeyType::ed25519, {"other.test"});
  const auto wanted = test::self_signed(crypto::KeyType::ecdsa_p384, {"*.example.net"});
  auto server = server_config({other, wanted});
  server->alpn_protocols = {"h2", "http/1.1"};
  auto client = client_config(wanted);
  client->alpn_protocols = {"http/1.1", "h2"};
  auto pair = connect(client, server, "api.example.net");
  ASSERT_TRUE(pair.client.complete) << failure_text(pair.client.failure) << " / " << failure_text(pair.server.failure);
  EXPECT_EQ(pair.client.connection.summary().peer_certificates, wanted.certificate_chain);
  EXPECT_EQ(pair.client.connection.summary().alpn_protocol, "h2");
  EXPECT_EQ(pair.server.connection.summary().alpn_protocol, "h2");
}

TEST(ServerInterop, ServerRefusesClientWithoutCommonAlpnProtocol) {
  auto server = server_config();
  server->alpn_protocols = {"h2"};
  auto client = client_config(server_key());
  client->alpn_protocols = {"http/1.1"};
  auto pair = connect(client, server);
  ASSERT_TRUE(pair.server.failure.has_value());
  EXPECT_EQ(pair.server.failure->error.alert, AlertDescription::no_application_protocol);
  ASSERT_TRUE(pair.client.failure.has_value());
  EXPECT_EQ(pair.client.failure->origin, FailureOrigin::peer_alert);
  EXPECT_EQ(pair.client.failure->error.alert, AlertDescription::no_application_protocol);
}

TEST(ServerInterop, ServerAuthenticatesClientCertificate) {
  const auto client_key = test::self_signed(crypto::KeyType::ed25519, {});
  auto server = server_config();
  server->client_authentication = ClientAuthentication::required;
  server->client_verifier = pin_spki_sha256({pin_of(client_key)});
  auto client = client_config(server_key());
  client->client_certificate = client_key;
  auto pair = connect(client, server);
  ASSERT_TRUE(pair.server.complete) << failure_text(pair.client.failure) << " / " << failure_text(pair.server.failure);
  EXPECT_TRUE(pair.client.complete);
  EXPECT_EQ(pair.server.connection.summary().peer_certificates, client_key.certificate_chain);
  EXPECT_EQ(pair.server.connection.summary().client_signature_scheme, std::optional(SignatureScheme::ed25519));
}

TEST(ServerInterop, ServerRequiringCertificateRefusesClientWithout) {
  auto server = server_config();
  server->client_authentication = ClientAuthentication::required;
  server->client_verifier = insecure_no_verification();
  auto pair = connect(client_config(server_key()), server);
  ASSERT_TRUE(pair.server.failure.has_value());
  EXPECT_EQ(pair.server.failure->error.alert, AlertDescription::certificate_required);
  EXPECT_FALSE(pair.server.complete);
  ASSERT_TRUE(pair.client.failure.has_value());
  EXPECT_EQ(pair.client.failure->error.alert, AlertDescription::certificate_required);
}

TEST(ServerInterop, RecordSizeLimitsApplyBothWays) {
  auto server = server_config();
  server->record_size_limit = 256;
  auto client = client_config(server_key());
  client->record_size_limit = 512;
  auto pair = connect(client, server);
  ASSERT_TRUE(pair.client.complete) << failure_text(pair.client.failure) << " / " << failure_text(pair.server.failure);
  EXPECT_EQ(pair.server.connection.summary().peer_record_size_limit, std::optional<std::uint16_t>(512));
  EXPECT_EQ(pair.client.connection.summary().peer_record_size_limit, std::optional<std::uint16_t>(256));
  const std::string big(3000, 'x');
  ASSERT_TRUE(pair.client.connection.send({reinterpret_cast<const std::uint8_t*>(big.data()), big.size()}).ok());
  ASSERT_TRUE(pair.server.connection.send({reinterpret_cast<const std::uint8_t*>(big.data()), big.size()}).ok());
  run(pair.client, pair.server);
  EXPECT_EQ(pair.server.received, big) << failure_text(pair.server.failure);
  EXPECT_EQ(pair.client.received, big) << failure_text(pair.client.failure);
}

}  // namespace
}  // namespace duplex::tls
