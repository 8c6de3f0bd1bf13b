// TLS 1.2 in memory: our client and our server through both state machines, the TLS 1.2 record
// layer and the connection: every suite with every certificate key it allows, groups, mTLS, RSA
// key transport when asked for, version negotiation between mixed configurations, and the rules
// that end a handshake with their alert (renegotiation, downgrade, fallback).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "../../src/tls/versions.hpp"
#include "duplex/tls/connection.hpp"
#include "duplex/tls/tls12_messages.hpp"
#include "duplex/tls/x509_verifier.hpp"
#include "duplex/x509/certificate.hpp"
#include "duplex/x509/trust_store.hpp"
#include "loopback_support.hpp"

namespace duplex::tls {
namespace {

using namespace loopback;

std::shared_ptr<ClientConfig> tls12_client_for(const ServerConfig& server) {
  auto client = client_config_for(server);
  client->versions = {ProtocolVersion::tls1_2};
  return client;
}

bool suite_allows(CipherSuite code, crypto::KeyType type) {
  const auto suite = *Tls12Suite::from(code);
  if (suite.authentication() == Tls12Authentication::rsa) return type == crypto::KeyType::rsa;
  return type != crypto::KeyType::rsa;
}

TEST(Tls12Loopback, EveryEcdheSuiteWithEveryCertificateKeyItAllows) {
  for (const auto type : {crypto::KeyType::ecdsa_p256, crypto::KeyType::ecdsa_p384, crypto::KeyType::ed25519,
                          crypto::KeyType::rsa}) {
    auto server = server_config(type);
    for (const auto suite : detail::tls12_suites(default_cipher_suites(), false)) {
      if (!suite_allows(suite, type)) continue;
      auto client = tls12_client_for(*server);
      client->cipher_suites = {suite};
      Loopback loop(client, server);
      SCOPED_TRACE(to_string(suite) + " with " + std::string(crypto::to_string(type)));
      expect_established(loop);
      expect_data_both_ways(loop, 40000);  // several records each way
      for (const auto* summary : {&loop.client.summary(), &loop.server.summary()}) {
        EXPECT_EQ(summary->version, ProtocolVersion::tls1_2);
        EXPECT_EQ(summary->cipher_suite, suite);
        EXPECT_EQ(summary->group, NamedGroup::x25519);
        EXPECT_TRUE(summary->extended_master_secret);
        // RFC 5246 §7.4.1.4.1: an ECDSA scheme names only its hash in TLS 1.2.
        EXPECT_TRUE(crypto::scheme_fits_key(summary->server_signature_scheme, type, crypto::CurveRule::any_curve));
      }
    }
  }
}

TEST(Tls12Loopback, EveryGroup) {
  // Ed25519: an ECDSA certificate's curve would have to be in the list too (RFC 8422 §5.3).
  auto server = server_config(crypto::KeyType::ed25519);
  for (const auto group : default_supported_groups()) {
    auto client = tls12_client_for(*server);
    client->supported_groups = {group};
    Loopback loop(client, server);
    expect_established(loop);
    expect_data_both_ways(loop);
    EXPECT_EQ(loop.client.summary().group, group);
  }
}

TEST(Tls12Loopback, AnEcdsaCertificateOnACurveTheClientDoesNotListIsNotUsed) {
  // RFC 8422 §5.3: the server's ECDSA certificate "MUST" be on a curve the client supports.
  auto server = server_config(crypto::KeyType::ecdsa_p256);
  auto client = tls12_client_for(*server);
  client->supported_groups = {NamedGroup::secp384r1};
  Loopback loop(client, server);
  ASSERT_TRUE(loop.server_seen.failure);
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::handshake_failure);
}

TEST(Tls12Loopback, TheEcdsaCertificateOnTheClientsCurveIsChosen) {
  auto server = server_config(crypto::KeyType::ecdsa_p256);
  server->certificates.push_back(test::self_signed(crypto::KeyType::ecdsa_p384, {"example.com"}));
  auto client = tls12_client_for(*server);
  client->verifier = insecure_no_verification();
  client->supported_groups = {NamedGroup::x25519, NamedGroup::secp384r1};
  Loopback loop(client, server);
  expect_established(loop);
  const auto leaf = x509::parse_certificate(loop.client.summary().peer_certificates.front()).value();
  EXPECT_EQ(crypto::PublicKey::from_spki_der(leaf.subject_public_key_info.der)->type(), crypto::KeyType::ecdsa_p384);
}

TEST(Tls12Loopback, ATls13ServerNegotiatesTls12WithATls12ClientAndSignalsIt) {
  auto server = server_config();  // both versions
  Loopback loop(tls12_client_for(*server), server);
  expect_established(loop);
  EXPECT_EQ(loop.server.summary().version, ProtocolVersion::tls1_2);
}

TEST(Tls12Loopback, ATls13ClientNegotiatesTls12WithATls12OnlyServer) {
  auto server = server_config();
  server->versions = {ProtocolVersion::tls1_2};
  Loopback loop(client_config_for(*server), server);
  expect_established(loop);
  expect_data_both_ways(loop);
  EXPECT_EQ(loop.client.summary().version, ProtocolVersion::tls1_2);
}

TEST(Tls12Loopback, BothVersionsOnBothSidesChooseTls13) {
  auto server = server_config();
  Loopback loop(client_config_for(*server), server);
  expect_established(loop);
  EXPECT_EQ(loop.client.summary().version, ProtocolVersion::tls1_3);
}

TEST(Tls12Loopback, Tls13OnlyClientAndTls12OnlyServerFailWithProtocolVersion) {
  auto server = server_config();
  server->versions = {ProtocolVersion::tls1_2};
  auto client = client_config_for(*server);
  client->versions = {ProtocolVersion::tls1_3};
  client->cipher_suites = detail::tls13_suites(default_cipher_suites());
  Loopback loop(client, server);
  ASSERT_TRUE(loop.server_seen.failure);
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::protocol_version);
}

TEST(Tls12Loopback, MutualAuthenticationWithEveryClientKeyType) {
  for (const auto type : {crypto::KeyType::ecdsa_p256, crypto::KeyType::ecdsa_p384, crypto::KeyType::ed25519,
                          crypto::KeyType::rsa}) {
    auto server = server_config();
    server->client_authentication = ClientAuthentication::required;
    server->client_verifier = insecure_no_verification();
    auto client = tls12_client_for(*server);
    client->client_certificate = test::self_signed(type, {});
    Loopback loop(client, server);
    SCOPED_TRACE(std::string(crypto::to_string(type)));
    expect_established(loop);
    expect_data_both_ways(loop);
    EXPECT_EQ(loop.server.summary().peer_certificates.size(), 1u);
    ASSERT_TRUE(loop.client.summary().client_signature_scheme);
    EXPECT_EQ(loop.server.summary().client_signature_scheme, loop.client.summary().client_signature_scheme);
  }
}

TEST(Tls12Loopback, CertificateRequestNamesTheClientVerifiersRoots) {
  // RFC 5246 §7.4.4: certificate_authorities, the DER subjects the server trusts.
  auto client_certificate = test::self_signed(crypto::KeyType::ecdsa_p256, {});
  x509::TrustStore roots;
  ASSERT_TRUE(roots.add_der(client_certificate.certificate_chain.front()));
  auto server = server_config();
  server->client_authentication = ClientAuthentication::optional;
  server->client_verifier = x509_verifier(std::make_shared<const x509::TrustStore>(std::move(roots)));
  std::vector<Bytes> requests;
  auto client = tls12_client_for(*server);
  client->trace = [&](const TraceRecord& record) {
    if (record.handshake && record.handshake->msg_type == HandshakeType::certificate_request)
      requests.emplace_back(record.handshake->body().begin(), record.handshake->body().end());
  };
  Loopback loop(client, server);
  expect_established(loop);
  ASSERT_EQ(requests.size(), 1u);
  auto request = parse_tls12_certificate_request(requests[0]);
  ASSERT_TRUE(request);
  ASSERT_EQ(request->certificate_authorities.size(), 1u);
  const auto leaf = x509::parse_certificate(client_certificate.certificate_chain.front()).value();
  EXPECT_EQ(request->certificate_authorities[0], Bytes(leaf.subject.der.begin(), leaf.subject.der.end()));
}

TEST(Tls12Loopback, RequiredClientCertificateMissingIsHandshakeFailure) {
  auto server = server_config();
  server->client_authentication = ClientAuthentication::required;
  server->client_verifier = insecure_no_verification();
  Loopback loop(tls12_client_for(*server), server);
  ASSERT_TRUE(loop.server_seen.failure);
  // RFC 5246 §7.4.6: TLS 1.2 has no certificate_required.
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::handshake_failure);
}

TEST(Tls12Loopback, OptionalClientCertificateMissingGoesOn) {
  auto server = server_config();
  server->client_authentication = ClientAuthentication::optional;
  server->client_verifier = insecure_no_verification();
  Loopback loop(tls12_client_for(*server), server);
  expect_established(loop);
  EXPECT_TRUE(loop.server.summary().peer_certificates.empty());
}

TEST(Tls12Loopback, RsaKeyTransportWhenBothAskForIt) {
  for (const auto suite : legacy_rsa_key_exchange_suites()) {
    auto server = server_config(crypto::KeyType::rsa);
    server->legacy_rsa_key_exchange = true;
    server->versions = {ProtocolVersion::tls1_2};
    server->cipher_suites = {suite};  // our preference, then the other one
    auto client = tls12_client_for(*server);
    client->legacy_rsa_key_exchange = true;
    client->cipher_suites = {suite};
    Loopback loop(client, server);
    SCOPED_TRACE(to_string(suite));
    expect_established(loop);
    expect_data_both_ways(loop);
    EXPECT_EQ(loop.server.summary().cipher_suite, suite);
    EXPECT_EQ(loop.server.summary().group, NamedGroup{});
  }
}

TEST(Tls12Loopback, RsaKeyTransportIsRefusedUnlessTheServerAsksForIt) {
  auto server = server_config(crypto::KeyType::rsa);
  auto client = tls12_client_for(*server);
  client->legacy_rsa_key_exchange = true;
  client->cipher_suites = {CipherSuite::tls_rsa_with_aes_128_gcm_sha256};
  Loopback loop(client, server);
  ASSERT_TRUE(loop.server_seen.failure);
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::handshake_failure);
}

TEST(Tls12Loopback, RsaKeyTransportListedWithoutTheOptionIsAConfigurationError) {
  auto config = std::make_shared<ClientConfig>();
  config->cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256, CipherSuite::tls_rsa_with_aes_128_gcm_sha256};
  auto made = Connection::client(config, "example.com", kNow);
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().message.find("legacy_rsa_key_exchange"), std::string::npos) << made.error().message;
}

TEST(Tls12Loopback, NoMutualSuiteIsHandshakeFailure) {
  auto server = server_config(crypto::KeyType::ecdsa_p256);
  auto client = tls12_client_for(*server);
  client->cipher_suites = {CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256};  // an ECDSA certificate
  Loopback loop(client, server);
  ASSERT_TRUE(loop.server_seen.failure);
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::handshake_failure);
}

TEST(Tls12Loopback, AlpnAndServerName) {
  auto server = server_config();
  server->alpn_protocols = {"h2", "http/1.1"};
  auto client = tls12_client_for(*server);
  client->alpn_protocols = {"http/1.1", "h2"};
  Loopback loop(client, server);
  expect_established(loop);
  EXPECT_EQ(loop.client.summary().alpn_protocol, "h2");
  EXPECT_EQ(loop.server.summary().server_name, "example.com");
}

TEST(Tls12Loopback, RecordSizeLimitBothWays) {
  auto server = server_config();
  server->record_size_limit = 512;
  auto client = tls12_client_for(*server);
  client->record_size_limit = 256;
  Loopback loop(client, server);
  expect_established(loop);
  expect_data_both_ways(loop, 5000);
  EXPECT_EQ(loop.client.summary().peer_record_size_limit, std::optional<std::uint16_t>(512));
  EXPECT_EQ(loop.server.summary().peer_record_size_limit, std::optional<std::uint16_t>(256));
}

TEST(Tls12Loopback, ExportersAgree) {
  auto server = server_config();
  Loopback loop(tls12_client_for(*server), server);
  expect_established(loop);
  const Bytes context = {1, 2, 3};
  auto ours = loop.client.export_keying_material("EXPORTER-test", context, 32);
  auto theirs = loop.server.export_keying_material("EXPORTER-test", context, 32);
  ASSERT_TRUE(ours && theirs);
  EXPECT_EQ(Bytes(ours->bytes().begin(), ours->bytes().end()), Bytes(theirs->bytes().begin(), theirs->bytes().end()));
}

TEST(Tls12Loopback, KeyLogHasOneClientRandomLineOnBothSides) {
  std::vector<std::string> client_lines, server_lines;
  auto server = server_config();
  server->key_log = [&](std::string_view line) { server_lines.emplace_back(line); };
  auto client = tls12_client_for(*server);
  client->key_log = [&](std::string_view line) { client_lines.emplace_back(line); };
  Loopback loop(client, server);
  expect_established(loop);
  ASSERT_EQ(client_lines.size(), 1u);
  EXPECT_TRUE(client_lines[0].starts_with("CLIENT_RANDOM "));
  EXPECT_EQ(client_lines, server_lines);
  // "CLIENT_RANDOM <64 hex> <96 hex>": the 48-byte master secret.
  EXPECT_EQ(client_lines[0].size(), std::string("CLIENT_RANDOM ").size() + 64 + 1 + 96);
}

TEST(Tls12Loopback, KeyUpdateIsNotTls12s) {
  auto server = server_config();
  Loopback loop(tls12_client_for(*server), server);
  expect_established(loop);
  auto sent = loop.client.send_key_update(KeyUpdateRequest::update_not_requested);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().alert, AlertDescription::internal_error);
}

TEST(Tls12Loopback, CloseNotifyBothWays) {
  auto server = server_config();
  Loopback loop(tls12_client_for(*server), server);
  expect_established(loop);
  loop.client.send_close_notify();
  loop.pump();
  EXPECT_TRUE(loop.server_seen.close_notify);
  loop.server.send_close_notify();
  loop.pump();
  EXPECT_TRUE(loop.client_seen.close_notify);
  EXPECT_TRUE(loop.client.is_closed());
}

}  // namespace
}  // namespace duplex::tls
