// RFC 8448 §3 ("Simple 1-RTT Handshake") as a known answer for the client handshake: the trace's
// client random and X25519 private key injected, the trace's ServerHello and server flight fed in,
// and the client's Finished record and application traffic keys compared byte for byte. Then the
// server flight altered, one rule at a time, with the exact alert.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "../../src/tls/certificate_verify_rules.hpp"
#include "../../src/tls/client/handshake.hpp"
#include "../../src/tls/client/hello_builder.hpp"
#include "client_handshake_test_support.hpp"
#include "duplex/tls/handshake_messages.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "duplex/tls/record_layer.hpp"
#include "rfc8448_trace.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using detail::ClientHandshake;
using detail::ClientRandomness;
using client_test::Bytes;
using client_test::certificate_for;
using client_test::FakeIo;
using client_test::frame;
using client_test::generate_key;
using test::hex;
using client_test::message_from;
using client_test::RecordingVerifier;
using client_test::RejectingVerifier;

std::shared_ptr<ClientConfig> rfc8448_config(std::shared_ptr<const CertificateVerifier> verifier) {
  auto config = std::make_shared<ClientConfig>();
  config->verifier = std::move(verifier);
  config->versions = {ProtocolVersion::tls1_3};  // the trace's handshake
  config->cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256, CipherSuite::tls_chacha20_poly1305_sha256,
                           CipherSuite::tls_aes_256_gcm_sha384};
  config->key_share_groups = {NamedGroup::x25519};
  config->middlebox_compatibility = false;  // the trace's legacy_session_id is empty
  config->record_size_limit = 0x4001;
  return config;
}

ClientHello rfc8448_client_hello() {
  return parse_client_hello(message_from(test::rfc8448::client_hello()).body()).value();
}

// The trace's random and X25519 private key ("{client}  create an ephemeral x25519 key pair").
// The trace's ClientHello also carries extensions we never send (renegotiation_info,
// session_ticket, psk_key_exchange_modes) and groups we do not implement: `edit` puts its
// extension block in place, so the transcript is the trace's.
ClientRandomness rfc8448_randomness(ClientHello* before_edit = nullptr) {
  ClientRandomness randomness;
  randomness.random = rfc8448_client_hello().random;
  const auto private_key = hex("49 af 42 ba 7f 79 94 85 2d 71 3e f2 78 4b cb ca a7 91 1d e2 6a dc 56 42 cb 63 45 40 e7 ea 50 05");
  randomness.key_shares.push_back(crypto::KeyShare::from_private_key(NamedGroup::x25519, private_key).value());
  randomness.edit_client_hello = [before_edit](ClientHello& hello) {
    if (before_edit != nullptr) *before_edit = hello;
    hello.extensions = rfc8448_client_hello().extensions;
  };
  return randomness;
}

// The client after the trace's ClientHello and ServerHello.
struct Rfc8448Client {
  explicit Rfc8448Client(std::shared_ptr<const CertificateVerifier> verifier = std::make_shared<RecordingVerifier>())
      : client(rfc8448_config(std::move(verifier)), "server") {
    EXPECT_TRUE(client.start(io, rfc8448_randomness()));
    auto handled = client.handle(message_from(test::rfc8448::server_hello()), io);
    EXPECT_TRUE(handled) << to_string(handled.error());
  }

  // EncryptedExtensions, Certificate, CertificateVerify, Finished: the trace's server handshake
  // record opened with the read protection the client set.
  std::vector<HandshakeMessage> server_flight() {
    auto record = test::rfc8448::server_handshake_record();
    std::vector<HandshakeMessage> messages;
    EXPECT_TRUE(io.read.has_value());
    if (!io.read) return messages;
    auto opened = io.read->open(record);
    EXPECT_TRUE(opened) << to_string(opened.error());
    if (!opened) return messages;
    HandshakeReassembler reassembler;
    EXPECT_TRUE(reassembler.receive(opened->content));
    while (auto message = reassembler.next()) messages.push_back(std::move(*message));
    return messages;
  }

  // Feeds the messages; the last one's result.
  Status feed(const std::vector<HandshakeMessage>& messages) {
    for (std::size_t i = 0; i + 1 < messages.size(); ++i) {
      auto handled = client.handle(messages[i], io);
      EXPECT_TRUE(handled) << to_string(handled.error());
      if (!handled) return handled;
    }
    return client.handle(messages.back(), io);
  }

  FakeIo io;
  ClientHandshake client;
};

TEST(ClientHandshakeRfc8448, ClientHelloFieldsMatchTheTrace) {
  ClientHello ours;
  FakeIo io;
  ClientHandshake client(rfc8448_config(std::make_shared<RecordingVerifier>()), "server");
  ASSERT_TRUE(client.start(io, rfc8448_randomness(&ours)));

  const auto trace = rfc8448_client_hello();
  EXPECT_EQ(ours.random, trace.random);
  EXPECT_EQ(ours.legacy_session_id, trace.legacy_session_id);
  EXPECT_EQ(ours.cipher_suites, trace.cipher_suites);
  EXPECT_EQ(ours.legacy_compression_methods, trace.legacy_compression_methods);
  for (const auto type : {ExtensionType::server_name, ExtensionType::key_share, ExtensionType::supported_versions,
                          ExtensionType::record_size_limit}) {
    const auto* mine = find_extension(ours.extensions, type);
    const auto* theirs = find_extension(trace.extensions, type);
    ASSERT_NE(mine, nullptr) << to_string(type);
    ASSERT_NE(theirs, nullptr) << to_string(type);
    EXPECT_EQ(mine->data, theirs->data) << to_string(type);
  }
  ASSERT_EQ(io.written.size(), 1u);
  EXPECT_EQ(io.written[0].encoded, test::rfc8448::client_hello());
}

TEST(ClientHandshakeRfc8448, ClientFinishedRecordMatchesTheTrace) {
  Rfc8448Client trace;
  auto flight = trace.server_flight();
  ASSERT_EQ(flight.size(), 4u);
  auto result = trace.feed(flight);
  ASSERT_TRUE(result) << to_string(result.error());
  EXPECT_TRUE(trace.client.done());

  ASSERT_EQ(trace.io.written.size(), 2u);
  EXPECT_EQ(trace.io.written[1].msg_type, HandshakeType::finished);
  ASSERT_EQ(trace.io.sealed.size(), 1u);
  EXPECT_EQ(trace.io.sealed[0], test::rfc8448::client_finished_record());
}

TEST(ClientHandshakeRfc8448, ApplicationTrafficKeysMatchTheTrace) {
  Rfc8448Client trace;
  ASSERT_TRUE(trace.feed(trace.server_flight()));
  ASSERT_TRUE(trace.io.write && trace.io.read && trace.io.outcome);

  const auto data = test::rfc8448::application_data();
  Bytes record(trace.io.write->sealed_record_size(data.size()));
  auto size = trace.io.write->seal(ContentType::application_data, data, record);
  ASSERT_TRUE(size);
  record.resize(*size);
  EXPECT_EQ(record, test::rfc8448::client_application_data_record());

  auto from_server = test::rfc8448::server_application_data_record();
  trace.io.read->set_sequence_number_for_testing(1);  // the NewSessionTicket record is #0
  auto opened = trace.io.read->open(from_server);
  ASSERT_TRUE(opened) << to_string(opened.error());
  EXPECT_EQ(Bytes(opened->content.begin(), opened->content.end()), data);
}

TEST(ClientHandshakeRfc8448, LogsTheFiveSecretsAfterTheClientRandom) {
  Rfc8448Client trace;
  ASSERT_TRUE(trace.feed(trace.server_flight()));
  const auto random = rfc8448_client_hello().random;
  EXPECT_EQ(trace.io.client_random, Bytes(random.begin(), random.end()));
  std::vector<std::string> labels;
  for (const auto& [label, secret] : trace.io.secrets) labels.push_back(label);
  EXPECT_EQ(labels, (std::vector<std::string>{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                                              "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"}));
  EXPECT_LT(trace.io.position("client random"), trace.io.position("secret CLIENT_HANDSHAKE_TRAFFIC_SECRET"));
  EXPECT_EQ(std::get<detail::Tls13Outcome>(*trace.io.outcome).client_application_traffic_secret.size(), 32u);
  EXPECT_EQ(Bytes(std::get<detail::Tls13Outcome>(*trace.io.outcome).exporter_master_secret.bytes().begin(),
                  std::get<detail::Tls13Outcome>(*trace.io.outcome).exporter_master_secret.bytes().end()),
            trace.io.secrets[4].second);
}

TEST(ClientHandshakeRfc8448, SwitchesKeysInTheRfcOrder) {
  Rfc8448Client trace;
  ASSERT_TRUE(trace.feed(trace.server_flight()));
  // Read: handshake keys after the ServerHello, application keys after the server's Finished;
  // write: the client's Finished under the handshake keys, then the application keys.
  const std::vector<std::string> expected = {"read protection", "write protection", "write finished",
                                             "write protection", "secret CLIENT_TRAFFIC_SECRET_0",
                                             "secret SERVER_TRAFFIC_SECRET_0", "secret EXPORTER_SECRET",
                                             "handshake complete"};
  EXPECT_EQ(std::vector<std::string>(trace.io.calls.end() - 8, trace.io.calls.end()), expected);
  EXPECT_EQ(trace.io.count("read protection"), 2u);
  EXPECT_LT(trace.io.position("record size limits"), trace.io.position("write protection"));
}

TEST(ClientHandshakeRfc8448, FillsTheSummary) {
  auto verifier = std::make_shared<RecordingVerifier>();
  Rfc8448Client trace(verifier);
  ASSERT_TRUE(trace.feed(trace.server_flight()));
  const auto& summary = trace.io.summary_;
  EXPECT_EQ(summary.cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_EQ(summary.group, NamedGroup::x25519);
  EXPECT_FALSE(summary.hello_retry_request);
  EXPECT_EQ(summary.server_signature_scheme, SignatureScheme::rsa_pss_rsae_sha256);
  EXPECT_EQ(summary.server_name, "server");
  EXPECT_EQ(summary.peer_certificates.size(), 1u);
  EXPECT_EQ(summary.peer_record_size_limit, std::optional<std::uint16_t>(0x4001));
  EXPECT_EQ(verifier->peer_name, "server");
  EXPECT_EQ(verifier->now, 1'750'000'000);
  EXPECT_EQ(verifier->chain_size, 1u);
}

TEST(ClientHandshakeRfc8448, EmptyCertificateIsDecodeError) {
  Rfc8448Client trace;
  auto flight = trace.server_flight();
  auto result = trace.feed({flight[0], frame(HandshakeType::certificate, encode_certificate(Certificate{}))});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, AlertDescription::decode_error);
}

TEST(ClientHandshakeRfc8448, CertificateWithRequestContextIsIllegalParameter) {
  Rfc8448Client trace;
  auto flight = trace.server_flight();
  auto certificate = parse_certificate(flight[1].body()).value();
  certificate.certificate_request_context = {0x01};
  auto result = trace.feed({flight[0], frame(HandshakeType::certificate, encode_certificate(certificate))});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, AlertDescription::illegal_parameter);
}

TEST(ClientHandshakeRfc8448, NoVerifierConfiguredMeansTheX509ValidatorWithSystemRoots) {
  // RFC 8448's self-signed "server" certificate chains to no root of the system store.
  Rfc8448Client trace(nullptr);
  auto flight = trace.server_flight();
  auto result = trace.feed({flight[0], flight[1]});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().alert, AlertDescription::certificate_unknown);
  EXPECT_NE(result.error().message.find("the server's certificate is not trusted"), std::string::npos)
      << result.error().message;
  EXPECT_FALSE(trace.client.done());
}

TEST(ClientHandshakeRfc8448, VerifierRejectionIsTheAlertSent) {
  Rfc8448Client trace(std::make_shared<RejectingVerifier>());
  auto flight = trace.server_flight();
  auto result = trace.feed({flight[0], flight[1]});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, AlertDescription::unknown_ca);
}

TEST(ClientHandshakeRfc8448, BadCertificateVerifySignatureIsDecryptError) {
  Rfc8448Client trace;
  auto flight = trace.server_flight();
  flight[2].encoded.back() ^= 0x01;
  auto result = trace.feed({flight[0], flight[1], flight[2]});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, AlertDescription::decrypt_error);
}

TEST(ClientHandshakeRfc8448, CertificateVerifyWithPkcs1IsIllegalParameter) {
  Rfc8448Client trace;
  auto flight = trace.server_flight();
  // The trace's ClientHello lists rsa_pkcs1_sha256 (for certificates); CertificateVerify may not use it.
  flight[2].encoded[4] = 0x04;
  flight[2].encoded[5] = 0x01;
  auto result = trace.feed({flight[0], flight[1], flight[2]});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, AlertDescription::illegal_parameter);
}

TEST(ClientHandshakeRfc8448, CertificateVerifyWithUnofferedSchemeIsIllegalParameter) {
  Rfc8448Client trace;
  auto flight = trace.server_flight();
  flight[2].encoded[4] = 0x08;  // ed25519: not in the trace's signature_algorithms
  flight[2].encoded[5] = 0x07;
  auto result = trace.feed({flight[0], flight[1], flight[2]});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, AlertDescription::illegal_parameter);
}

TEST(ClientHandshakeRfc8448, BadFinishedIsDecryptError) {
  Rfc8448Client trace;
  auto flight = trace.server_flight();
  flight[3].encoded.back() ^= 0x80;
  auto result = trace.feed(flight);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, AlertDescription::decrypt_error);
  EXPECT_FALSE(trace.io.outcome.has_value());
}

TEST(ClientHandshakeRfc8448, FinishedBeforeCertificateIsUnexpectedMessage) {
  Rfc8448Client trace;
  auto flight = trace.server_flight();
  auto result = trace.feed({flight[0], flight[3]});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().alert, AlertDescription::unexpected_message);
}

TEST(ClientHandshakeRfc8448, MessageAfterFailureIsRefused) {
  Rfc8448Client trace;
  auto flight = trace.server_flight();
  ASSERT_FALSE(trace.feed({flight[1]}));
  auto again = trace.client.handle(flight[0], trace.io);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().alert, AlertDescription::internal_error);
}

TEST(ClientHandshakeRfc8448, OutcomeCarriesTheResumptionMasterSecret) {
  // RFC 8448 §3: "derive secret "tls13 res master"" over ClientHello...client Finished.
  Rfc8448Client trace;
  ASSERT_TRUE(trace.feed(trace.server_flight()));
  ASSERT_TRUE(trace.io.outcome);
  const auto& outcome = std::get<detail::Tls13Outcome>(*trace.io.outcome);
  EXPECT_EQ(Bytes(outcome.resumption_master_secret.bytes().begin(), outcome.resumption_master_secret.bytes().end()),
            hex("7d f2 35 f2 03 1d 2a 05 12 87 d0 2b 02 41 b0 bf da f8 6c c8 56 23 1f 2d 5a ba 46 c4 34 ec 19 6c"));
}


}  // namespace
}  // namespace duplex::tls
