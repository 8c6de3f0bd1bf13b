// A client Connection and a server Connection exchanging bytes in memory: both handshake state
// machines, the record layer and the connection together, for each cipher suite, certificate key
// type and the negotiations between them (HelloRetryRequest, ALPN, SNI, mTLS, record size limit,
// KeyUpdate), and the failures a client must report with its alert.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "duplex/tls/connection.hpp"
#include "../../src/tls/versions.hpp"
#include "duplex/tls/record_layer.hpp"
#include "duplex/tls/tls13_record_protection.hpp"
#include "loopback_support.hpp"
#include "test_certificates.hpp"

namespace duplex::tls {
namespace {

using namespace loopback;

using Bytes = std::vector<std::uint8_t>;
TEST(HandshakeLoopback, CompletesAndCarriesDataBothWays) {
  auto server = server_config();
  Loopback loop(client_config_for(*server), server);
  expect_established(loop);
  expect_data_both_ways(loop);
  EXPECT_EQ(loop.client.summary().cipher_suite, loop.server.summary().cipher_suite);
  EXPECT_EQ(loop.client.summary().group, NamedGroup::x25519);
  EXPECT_EQ(loop.server.summary().server_name, "example.com");
  EXPECT_FALSE(loop.client.summary().hello_retry_request);
}

TEST(HandshakeLoopback, EveryTls13CipherSuiteWithEveryCertificateKeyType) {
  for (const auto type : {crypto::KeyType::ecdsa_p256, crypto::KeyType::ecdsa_p384, crypto::KeyType::ed25519,
                          crypto::KeyType::rsa}) {
    auto server = server_config(type);
    for (const auto suite : detail::tls13_suites(default_cipher_suites())) {
      auto client = client_config_for(*server);
      client->versions = {ProtocolVersion::tls1_3};
      client->cipher_suites = {suite};
      Loopback loop(client, server);
      SCOPED_TRACE(to_string(suite) + " with " + std::string(crypto::to_string(type)));
      expect_established(loop);
      expect_data_both_ways(loop);
      EXPECT_EQ(loop.client.summary().cipher_suite, suite);
      EXPECT_TRUE(crypto::scheme_fits_key(loop.client.summary().server_signature_scheme, type));
    }
  }
}

TEST(HandshakeLoopback, HelloRetryRequestWhenNoClientShareFits) {
  auto server = server_config();
  server->supported_groups = {NamedGroup::secp384r1};
  auto client = client_config_for(*server);
  client->key_share_groups = {NamedGroup::x25519};
  Loopback loop(client, server);
  expect_established(loop);
  expect_data_both_ways(loop);
  EXPECT_TRUE(loop.client.summary().hello_retry_request);
  EXPECT_TRUE(loop.server.summary().hello_retry_request);
  EXPECT_EQ(loop.client.summary().group, NamedGroup::secp384r1);
}

TEST(HandshakeLoopback, NegotiatesAlpn) {
  auto server = server_config();
  server->alpn_protocols = {"h2", "http/1.1"};
  auto client = client_config_for(*server);
  client->alpn_protocols = {"http/1.1", "h2"};
  Loopback loop(client, server);
  expect_established(loop);
  EXPECT_EQ(loop.client.summary().alpn_protocol, "h2");
  EXPECT_EQ(loop.server.summary().alpn_protocol, "h2");
}

TEST(HandshakeLoopback, MutualAuthentication) {
  auto server = server_config();
  server->client_authentication = ClientAuthentication::required;
  server->client_verifier = insecure_no_verification();
  auto client = client_config_for(*server);
  client->client_certificate = test::self_signed(crypto::KeyType::ed25519, {});
  Loopback loop(client, server);
  expect_established(loop);
  expect_data_both_ways(loop);
  EXPECT_EQ(loop.server.summary().peer_certificates.size(), 1u);
  EXPECT_EQ(loop.client.summary().client_signature_scheme, std::optional(SignatureScheme::ed25519));
}

TEST(HandshakeLoopback, RequiredClientCertificateMissingIsCertificateRequired) {
  auto server = server_config();
  server->client_authentication = ClientAuthentication::required;
  server->client_verifier = insecure_no_verification();
  Loopback loop(client_config_for(*server), server);
  ASSERT_TRUE(loop.server_seen.failure);
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::certificate_required);
  ASSERT_TRUE(loop.client_seen.failure);
  EXPECT_EQ(loop.client_seen.failure->origin, FailureOrigin::peer_alert);
}

TEST(HandshakeLoopback, RecordSizeLimitsOfBothSides) {
  auto server = server_config();
  server->record_size_limit = 512;
  auto client = client_config_for(*server);
  client->record_size_limit = 256;
  Loopback loop(client, server);
  expect_established(loop);
  EXPECT_EQ(loop.client.summary().peer_record_size_limit, std::optional<std::uint16_t>(512));
  EXPECT_EQ(loop.server.summary().peer_record_size_limit, std::optional<std::uint16_t>(256));
  expect_data_both_ways(loop, 3000);
}

TEST(HandshakeLoopback, KeyUpdateRequestedIsAnswered) {
  auto server = server_config();
  Loopback loop(client_config_for(*server), server);
  expect_established(loop);
  ASSERT_TRUE(loop.client.send_key_update(KeyUpdateRequest::update_requested));
  loop.pump();
  ASSERT_TRUE(loop.server_seen.key_update);
  EXPECT_TRUE(loop.server_seen.key_update->update_requested);
  expect_data_both_ways(loop);
}

TEST(HandshakeLoopback, ExportersAgree) {
  auto server = server_config();
  Loopback loop(client_config_for(*server), server);
  expect_established(loop);
  const Bytes context = {1, 2, 3};
  auto ours = loop.client.export_keying_material("EXPERIMENTAL test", context, 32);
  auto theirs = loop.server.export_keying_material("EXPERIMENTAL test", context, 32);
  ASSERT_TRUE(ours && theirs);
  EXPECT_TRUE(crypto::constant_time_equal(ours->bytes(), theirs->bytes()));
}

TEST(HandshakeLoopback, WrongPinFailsWithBadCertificate) {
  auto server = server_config();
  auto client = std::make_shared<ClientConfig>();
  client->verifier = pin_spki_sha256({Sha256{}});
  Loopback loop(client, server);
  ASSERT_TRUE(loop.client_seen.failure);
  EXPECT_EQ(loop.client_seen.failure->origin, FailureOrigin::local);
  EXPECT_EQ(loop.client_seen.failure->error.alert, AlertDescription::bad_certificate);
  ASSERT_TRUE(loop.server_seen.failure);
  EXPECT_EQ(loop.server_seen.failure->origin, FailureOrigin::peer_alert);
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::bad_certificate);
}

TEST(HandshakeLoopback, ClientWithoutVerifierChecksAgainstTheSystemStore) {
  // Verification is on by default: a self-signed certificate is refused with unknown_ca.
  auto server = server_config();
  Loopback loop(std::make_shared<ClientConfig>(), server);
  ASSERT_TRUE(loop.client_seen.failure);
  EXPECT_EQ(loop.client_seen.failure->error.alert, AlertDescription::unknown_ca);
  EXPECT_NE(loop.client_seen.failure->error.message.find("not trusted"), std::string::npos)
      << loop.client_seen.failure->error.message;
  EXPECT_FALSE(loop.client_seen.handshake_complete);
  ASSERT_TRUE(loop.server_seen.failure);
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::unknown_ca);
}

TEST(HandshakeLoopback, CloseNotifyReachesThePeer) {
  auto server = server_config();
  Loopback loop(client_config_for(*server), server);
  expect_established(loop);
  loop.client.send_close_notify();
  loop.pump();
  EXPECT_TRUE(loop.server_seen.close_notify);
  EXPECT_FALSE(loop.server_seen.failure);
}

TEST(HandshakeLoopback, ServerChoosesCertificateBySniAndAlpnByItsPreference) {
  const auto other = test::self_signed(crypto::KeyType::ed25519, {"other.test"});
  const auto wanted = test::self_signed(crypto::KeyType::ecdsa_p384, {"*.example.net"});
  auto server = std::make_shared<ServerConfig>();
  server->certificates = {other, wanted};
  server->alpn_protocols = {"h2", "http/1.1"};
  auto client = std::make_shared<ClientConfig>();
  client->verifier = pin_spki_sha256({spki_sha256(wanted.certificate_chain.front()).value()});
  client->alpn_protocols = {"http/1.1", "h2"};
  Loopback loop(client, server, "api.example.net");
  expect_established(loop);
  EXPECT_EQ(loop.client.summary().peer_certificates, wanted.certificate_chain);
  EXPECT_EQ(loop.client.summary().alpn_protocol, "h2");
}

TEST(HandshakeLoopback, NoCommonAlpnProtocolIsNoApplicationProtocol) {
  // RFC 7301 §3.2: both sides list protocols and none match.
  auto server = server_config();
  server->alpn_protocols = {"h2"};
  auto client = client_config_for(*server);
  client->alpn_protocols = {"http/1.1"};
  Loopback loop(client, server);
  ASSERT_TRUE(loop.server_seen.failure);
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::no_application_protocol);
  ASSERT_TRUE(loop.client_seen.failure);
  EXPECT_EQ(loop.client_seen.failure->origin, FailureOrigin::peer_alert);
  EXPECT_EQ(loop.client_seen.failure->error.alert, AlertDescription::no_application_protocol);
}

TEST(HandshakeLoopback, TamperedRecordIsBadRecordMac) {
  // RFC 8446 §5.2: a record whose tag does not verify ends the connection with bad_record_mac.
  auto server = server_config();
  Loopback loop(client_config_for(*server), server);
  expect_established(loop);
  ASSERT_TRUE(loop.client.send(bytes_of("hello")));
  auto pending = loop.client.pending_output();
  Bytes record(pending.begin(), pending.end());
  loop.client.consume_output(record.size());
  record[record.size() - 3] ^= 0x01;
  loop.server.receive(record);
  drain(loop.server, loop.server_seen);
  ASSERT_TRUE(loop.server_seen.failure);
  EXPECT_EQ(loop.server_seen.failure->error.alert, AlertDescription::bad_record_mac);
  EXPECT_TRUE(loop.server_seen.data.empty());  // nothing unauthenticated reaches the application
}

TEST(HandshakeLoopback, ApplicationDataArrivesAsViewsOfTheCallersBuffer) {
  // Records are decrypted where they lie: the event's bytes are inside the buffer we passed.
  auto server = server_config();
  Loopback loop(client_config_for(*server), server);
  expect_established(loop);
  ASSERT_TRUE(loop.client.send(bytes_of("in place")));
  auto pending = loop.client.pending_output();
  Bytes record(pending.begin(), pending.end());
  loop.client.consume_output(record.size());
  loop.server.receive(record);
  auto event = loop.server.next_event();
  ASSERT_TRUE(event);
  auto* data = std::get_if<ApplicationData>(&*event);
  ASSERT_TRUE(data);
  EXPECT_EQ(std::string(data->data.begin(), data->data.end()), "in place");
  EXPECT_GE(data->data.data(), record.data());
  EXPECT_LE(data->data.data() + data->data.size(), record.data() + record.size());
}

TEST(HandshakeLoopback, KeyUpdateAfterManyRecordsKeepsDataFlowing) {
  // Both sides update their sending keys several times while data crosses (RFC 8446 §4.6.3).
  auto server = server_config();
  Loopback loop(client_config_for(*server), server);
  expect_established(loop);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(loop.client.send_key_update(KeyUpdateRequest::update_requested));
    ASSERT_TRUE(loop.server.send_key_update(KeyUpdateRequest::update_not_requested));
    expect_data_both_ways(loop, 20000);  // two records each way
    loop.client_seen.data.clear();
    loop.server_seen.data.clear();
  }
  EXPECT_FALSE(loop.client_seen.failure);
  EXPECT_FALSE(loop.server_seen.failure);
}

// ---- legacy_record_version (RFC 8446 §5.1: "MUST be ignored for all purposes") ----

// Moves `from`'s output into `to`, with every unprotected record's legacy_record_version set to
// `version` (a protected record's header is its AEAD's additional data, §5.2: left alone).
bool transfer_with_record_version(Connection& from, Connection& to, Seen& seen, std::uint16_t version) {
  const auto pending = from.pending_output();
  if (pending.empty()) return false;
  Bytes buffer(pending.begin(), pending.end());
  from.consume_output(buffer.size());
  for (std::size_t at = 0; at + 5 <= buffer.size(); at += 5 + ((buffer[at + 3] << 8) | buffer[at + 4])) {
    if (buffer[at] == 0x17) continue;
    buffer[at + 1] = static_cast<std::uint8_t>(version >> 8);
    buffer[at + 2] = static_cast<std::uint8_t>(version);
  }
  to.receive(buffer);
  drain(to, seen);
  return true;
}

TEST(HandshakeLoopback, UnprotectedRecordVersionsAreIgnoredInBothDirections) {
  for (const std::uint16_t version : {0x0300, 0x0301, 0x0302, 0x03ff}) {
    auto server_cfg = server_config();
    auto client = Connection::client(client_config_for(*server_cfg), "example.com", kNow).value();
    auto server = Connection::server(server_cfg, kNow).value();
    Seen client_seen, server_seen;
    for (int round = 0; round < 16; ++round) {
      const bool to_server = transfer_with_record_version(client, server, server_seen, version);
      const bool to_client = transfer_with_record_version(server, client, client_seen, version);
      if (!to_server && !to_client) break;
    }
    EXPECT_FALSE(server_seen.failure) << version << ": " << to_string(Event(*server_seen.failure));
    EXPECT_FALSE(client_seen.failure) << version << ": " << to_string(Event(*client_seen.failure));
    EXPECT_TRUE(server_seen.handshake_complete) << version;
    EXPECT_TRUE(client_seen.handshake_complete) << version;
  }
}

// ---- empty protected Handshake and Alert records (RFC 8446 §5.4) ----

// The client's application traffic secret 0, from its key log.
struct KeyLogCapture {
  std::vector<std::string> lines;
  KeyLogSink sink() {
    return [this](std::string_view line) { lines.emplace_back(line); };
  }
  Bytes secret(std::string_view label) const {
    for (const auto& line : lines) {
      if (!line.starts_with(std::string(label) + " ")) continue;
      Bytes secret;
      const std::string hex = line.substr(line.rfind(' ') + 1);
      for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        secret.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
      return secret;
    }
    ADD_FAILURE() << "no " << label << " in the key log";
    return {};
  }
};

// What the server of an established loopback sees when the client's application keys (read off
// its key log) seal one record of `type` with no content.
Seen server_after_empty_protected_record(ContentType type) {
  KeyLogCapture key_log;
  auto server_cfg = server_config();
  auto client_cfg = client_config_for(*server_cfg);
  client_cfg->key_log = key_log.sink();
  Loopback loop(client_cfg, server_cfg);
  expect_established(loop);
  const auto suite = *Tls13Suite::from(loop.client.summary().cipher_suite);
  const crypto::Secret secret(key_log.secret("CLIENT_TRAFFIC_SECRET_0"));
  auto protection = Tls13RecordProtection::from_traffic_secret(suite, secret);
  Bytes record(tls13_sealed_record_size(0));
  auto sealed = protection.seal(type, record, 0);
  EXPECT_TRUE(sealed);
  loop.server.receive(record);
  drain(loop.server, loop.server_seen);
  return loop.server_seen;
}

AlertDescription server_alert_for_empty_protected_record(ContentType type) {
  const Seen seen = server_after_empty_protected_record(type);
  if (!seen.failure) {
    ADD_FAILURE() << "the server accepted an empty " << to_string(type) << " record";
    return AlertDescription::close_notify;
  }
  EXPECT_EQ(seen.failure->origin, FailureOrigin::local);
  return seen.failure->error.alert;
}

TEST(HandshakeLoopback, EmptyProtectedAlertRecordIsUnexpectedMessage) {
  // RFC 8446 §5.4: "Implementations MUST NOT send Handshake and Alert records that have a
  // zero-length TLSInnerPlaintext.content; if such a message is received, the receiving
  // implementation MUST terminate the connection with an "unexpected_message" alert."
  EXPECT_EQ(server_alert_for_empty_protected_record(ContentType::alert), AlertDescription::unexpected_message);
}

TEST(HandshakeLoopback, EmptyProtectedHandshakeRecordIsUnexpectedMessage) {
  EXPECT_EQ(server_alert_for_empty_protected_record(ContentType::handshake), AlertDescription::unexpected_message);
}

TEST(HandshakeLoopback, EmptyProtectedApplicationDataIsSkipped) {
  // RFC 8446 §5.1: "Zero-length fragments of Application Data MAY be sent".
  const Seen seen = server_after_empty_protected_record(ContentType::application_data);
  EXPECT_FALSE(seen.failure);
  EXPECT_TRUE(seen.data.empty());
}

// ---- the summary ----

TEST(HandshakeLoopback, SummaryNamesTls13InBothRolesOnceNegotiated) {
  auto server_cfg = server_config();
  auto client = Connection::client(client_config_for(*server_cfg), "example.com", kNow).value();
  auto server = Connection::server(server_cfg, kNow).value();
  // Nothing is negotiated before the hellos.
  EXPECT_EQ(client.summary().version, ProtocolVersion{});
  EXPECT_EQ(server.summary().version, ProtocolVersion{});
  Seen client_seen, server_seen;
  for (int round = 0; round < 16; ++round) {
    const bool to_server = transfer(client, server, server_seen);
    const bool to_client = transfer(server, client, client_seen);
    if (!to_server && !to_client) break;
  }
  ASSERT_TRUE(client_seen.handshake_complete);
  ASSERT_TRUE(server_seen.handshake_complete);
  EXPECT_EQ(client.summary().version, ProtocolVersion::tls1_3);
  EXPECT_EQ(server.summary().version, ProtocolVersion::tls1_3);
}


// What a verifier was asked about: the time the connection had when the server's Certificate
// arrived.
class TimeRecordingVerifier final : public CertificateVerifier {
 public:
  Status verify(const PeerCertificates& peer) const override {
    seen_now = peer.now;
    return Unit{};
  }
  mutable std::optional<std::int64_t> seen_now;
};

TEST(HandshakeLoopback, TheTimeGivenToReceiveIsWhatCertificatesAreCheckedAgainst) {
  auto server_cfg = server_config();
  auto verifier = std::make_shared<TimeRecordingVerifier>();
  auto client_cfg = std::make_shared<ClientConfig>();
  client_cfg->verifier = verifier;
  auto client = Connection::client(client_cfg, "example.com", kNow).value();
  auto server = Connection::server(server_cfg, kNow).value();
  Bytes hello(client.pending_output().begin(), client.pending_output().end());
  client.consume_output(hello.size());
  server.receive(hello);
  Seen server_seen, client_seen;
  drain(server, server_seen);
  Bytes flight(server.pending_output().begin(), server.pending_output().end());
  server.consume_output(flight.size());
  // An hour and a quarter of a second later, in Unix milliseconds.
  client.receive(flight, (kNow + 3600) * 1000 + 250);
  drain(client, client_seen);
  ASSERT_FALSE(client_seen.failure) << to_string(Event(*client_seen.failure));
  EXPECT_TRUE(client_seen.handshake_complete);
  EXPECT_EQ(verifier->seen_now, kNow + 3600);
}

}  // namespace
}  // namespace duplex::tls
