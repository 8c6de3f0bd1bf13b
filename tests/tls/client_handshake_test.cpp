// The TLS 1.3 client handshake (src/tls/client_handshake.cpp) driven through a fake HandshakeIo
// against a scripted server built on key_schedule.hpp: the ClientHello, HelloRetryRequest,
// CertificateRequest, ALPN, record size limit and middlebox compatibility, and one test per
// ServerHello rule, each with its exact alert. RFC 8448 is in client_handshake_rfc8448_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "../../src/tls/certificate_verify_rules.hpp"
#include "../../src/tls/client/handshake.hpp"
#include "../../src/tls/client/hello_builder.hpp"
#include "../../src/tls/versions.hpp"
#include "client_handshake_test_support.hpp"
#include "duplex/tls/handshake_messages.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "duplex/tls/record_layer.hpp"
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

// ---------------------------------------------------------------------------------------------
// A scripted server: answers a ClientHello with the key schedule of key_schedule.hpp, an Ed25519
// certificate and the messages each test asks for.

struct ServerScript {
  CipherSuite suite = CipherSuite::tls_aes_128_gcm_sha256;
  NamedGroup group = NamedGroup::x25519;
  std::vector<Extension> encrypted_extensions;
  std::optional<std::vector<SignatureScheme>> certificate_request;  // its signature_algorithms
};

ServerScript with_encrypted_extensions(std::vector<Extension> extensions) {
  ServerScript script;
  script.encrypted_extensions = std::move(extensions);
  return script;
}

ServerScript with_certificate_request(std::vector<SignatureScheme> signature_algorithms) {
  ServerScript script;
  script.certificate_request = std::move(signature_algorithms);
  return script;
}

class TestServer {
 public:
  TestServer() : key_(generate_key(crypto::KeyType::ed25519)), certificate_(certificate_for(key_)) {}

  // A ServerHello answering `client_hello` with a share of `script.group`.
  HandshakeMessage server_hello(const HandshakeMessage& client_hello, const ServerScript& script) {
    const auto hello = parse_client_hello(client_hello.body()).value();
    const auto shares =
        parse_key_share_client_hello(find_extension(hello.extensions, ExtensionType::key_share)->data).value();
    const auto client_share = std::find_if(shares.begin(), shares.end(),
                                           [&](const KeyShareEntry& entry) { return entry.group == script.group; });
    auto share = crypto::KeyShare::generate(script.group).value();
    shared_ = share.shared_secret(client_share->key_exchange).value();
    ServerHello server_hello;
    server_hello.random.fill(0x42);
    server_hello.legacy_session_id_echo = hello.legacy_session_id;
    server_hello.cipher_suite = script.suite;
    server_hello.extensions = {make_supported_versions_server_hello(ProtocolVersion::tls1_3),
                               make_key_share_server_hello({script.group, Bytes(share.public_share().begin(),
                                                                                share.public_share().end())})};
    const auto message = frame(HandshakeType::server_hello, encode_server_hello(server_hello));
    suite_ = *Tls13Suite::from(script.suite);
    if (!transcript_) {
      transcript_.emplace(suite_->hash());
      transcript_->update(client_hello.encoded);
    }
    transcript_->update(message.encoded);
    secrets_.emplace(EarlySecret::without_psk(*suite_)
                         .derive_handshake_secret(shared_.bytes())
                         .derive_handshake_traffic_secrets(transcript_->current()));
    return message;
  }

  // The transcript so far, for a test that began it with a HelloRetryRequest.
  void set_transcript(crypto::Hash transcript) { transcript_ = std::move(transcript); }

  // EncryptedExtensions, [CertificateRequest], Certificate, CertificateVerify, Finished.
  std::vector<HandshakeMessage> flight(const ServerScript& script) {
    std::vector<HandshakeMessage> messages;
    auto add = [&](HandshakeMessage message) {
      transcript_->update(message.encoded);
      messages.push_back(std::move(message));
    };
    add(frame(HandshakeType::encrypted_extensions,
              encode_encrypted_extensions(EncryptedExtensions{script.encrypted_extensions})));
    if (script.certificate_request)
      add(frame(HandshakeType::certificate_request,
                encode_certificate_request(CertificateRequest{
                    {}, {make_signature_algorithms(ExtensionType::signature_algorithms, *script.certificate_request)}})));
    add(frame(HandshakeType::certificate, encode_certificate(Certificate{{}, {{certificate_, {}}}})));
    const auto content =
        detail::signed_content(detail::kServerContextString, transcript_->current());
    add(frame(HandshakeType::certificate_verify,
              encode_certificate_verify({SignatureScheme::ed25519, key_.sign(SignatureScheme::ed25519, content).value()})));
    const auto verify_data = secrets_->server_finished_verify_data(transcript_->current());
    add(frame(HandshakeType::finished, encode_finished({Bytes(verify_data.bytes().begin(), verify_data.bytes().end())})));
    return messages;
  }

  // Checks the client's second flight: [Certificate, CertificateVerify], Finished.
  Status check_client_flight(const std::vector<HandshakeMessage>& messages) {
    auto master = std::move(*secrets_).derive_master_secret(transcript_->current());
    for (const auto& message : messages) {
      if (message.msg_type == HandshakeType::certificate) {
        client_certificates = parse_certificate(message.body()).value().certificate_list.size();
      } else if (message.msg_type == HandshakeType::certificate_verify) {
        client_signature = parse_certificate_verify(message.body()).value();
        client_signed_content =
            detail::signed_content(detail::kClientContextString, transcript_->current());
      } else if (message.msg_type == HandshakeType::finished) {
        return master.verify_client_finished(transcript_->current(), message.body());
      }
      transcript_->update(message.encoded);
    }
    return reject(AlertDescription::internal_error, "no client Finished");
  }

  std::optional<std::size_t> client_certificates;
  std::optional<CertificateVerify> client_signature;
  Bytes client_signed_content;

 private:
  crypto::PrivateKey key_;
  Bytes certificate_;
  crypto::Secret shared_;
  std::optional<Tls13Suite> suite_;
  std::optional<crypto::Hash> transcript_;
  std::optional<HandshakeTrafficSecrets> secrets_;
};

std::shared_ptr<ClientConfig> test_config() {
  auto config = std::make_shared<ClientConfig>();
  config->verifier = std::make_shared<RecordingVerifier>();
  return config;
}

struct Handshake {
  explicit Handshake(std::shared_ptr<ClientConfig> config, std::string server_name = "example.com")
      : client(config, std::move(server_name)) {
    auto started = client.start(io);
    EXPECT_TRUE(started) << to_string(started.error());
  }

  ClientHello client_hello(std::size_t index = 0) const {
    return parse_client_hello(io.written.at(index).body()).value();
  }
  Status feed(const std::vector<HandshakeMessage>& messages) {
    for (const auto& message : messages)
      if (auto handled = client.handle(message, io); !handled) return handled;
    return Unit{};
  }
  // The whole handshake against `server`; the client's second flight checked by the server.
  Status run(const ServerScript& script) {
    if (auto hello = client.handle(server.server_hello(io.written.at(0), script), io); !hello) return hello;
    const auto before = io.written.size();
    if (auto flight = feed(server.flight(script)); !flight) return flight;
    return server.check_client_flight({io.written.begin() + static_cast<std::ptrdiff_t>(before), io.written.end()});
  }

  FakeIo io;
  ClientHandshake client;
  TestServer server;
};

ServerHello server_hello_for(const ClientHello& client_hello) {
  ServerHello hello;
  hello.random.fill(0x42);
  hello.legacy_session_id_echo = client_hello.legacy_session_id;
  hello.cipher_suite = CipherSuite::tls_aes_128_gcm_sha256;
  hello.extensions = {make_supported_versions_server_hello(ProtocolVersion::tls1_3),
                      make_key_share_server_hello({NamedGroup::x25519, Bytes(32, 0x09)})};
  return hello;
}

ServerHello hello_retry_request_for(const ClientHello& client_hello, std::optional<NamedGroup> group,
                                    std::optional<Bytes> cookie = std::nullopt) {
  ServerHello retry = server_hello_for(client_hello);
  retry.random = hello_retry_request_random;
  retry.extensions = {make_supported_versions_server_hello(ProtocolVersion::tls1_3)};
  if (group) retry.extensions.push_back(make_key_share_hello_retry_request(*group));
  if (cookie) retry.extensions.push_back(make_cookie(*cookie));
  return retry;
}

Status answer(Handshake& handshake, const ServerHello& hello) {
  return handshake.client.handle(frame(HandshakeType::server_hello, encode_server_hello(hello)), handshake.io);
}

void expect_alert(const Status& status, AlertDescription alert) {
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().alert, alert) << to_string(status.error());
}

TEST(ClientHandshake, FullHandshakeSendsOneChangeCipherSpecBeforeItsFinished) {
  Handshake handshake(test_config());
  ASSERT_TRUE(handshake.run({}));
  EXPECT_TRUE(handshake.client.done());
  EXPECT_EQ(handshake.io.count("change_cipher_spec"), 1u);
  // RFC 8446 §D.4: after the server's flight, before anything of our second flight.
  EXPECT_LT(handshake.io.position("change_cipher_spec"), handshake.io.position("write finished"));
  EXPECT_GT(handshake.io.position("change_cipher_spec"), handshake.io.position("read protection"));
  EXPECT_EQ(handshake.client_hello().legacy_session_id.size(), 32u);
}

TEST(ClientHandshake, NoChangeCipherSpecWithoutMiddleboxCompatibility) {
  auto config = test_config();
  config->middlebox_compatibility = false;
  Handshake handshake(config);
  ASSERT_TRUE(handshake.run({}));
  EXPECT_EQ(handshake.io.count("change_cipher_spec"), 0u);
  EXPECT_TRUE(handshake.client_hello().legacy_session_id.empty());
}

TEST(ClientHandshake, ClientHelloOffersTls13ThenTls12AndTheConfiguredShares) {
  auto config = test_config();
  config->alpn_protocols = {"h2", "http/1.1"};
  Handshake handshake(config);
  const auto hello = handshake.client_hello();
  const auto versions =
      parse_supported_versions_client_hello(find_extension(hello.extensions, ExtensionType::supported_versions)->data);
  EXPECT_EQ(versions.value(), (std::vector{ProtocolVersion::tls1_3, ProtocolVersion::tls1_2}));
  // RFC 7627 §5.1, RFC 5746 §3.4, RFC 8422 §5.1.2: what a TLS 1.2 server needs to see.
  EXPECT_NE(find_extension(hello.extensions, ExtensionType::extended_master_secret), nullptr);
  EXPECT_EQ(find_extension(hello.extensions, ExtensionType::renegotiation_info)->data, Bytes{0x00});
  EXPECT_EQ(find_extension(hello.extensions, ExtensionType::ec_point_formats)->data, (Bytes{0x01, 0x00}));
  EXPECT_EQ(hello.cipher_suites.front(), CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_NE(std::find(hello.cipher_suites.begin(), hello.cipher_suites.end(),
                      CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256),
            hello.cipher_suites.end());
  // RSA key transport only when named.
  EXPECT_EQ(std::find(hello.cipher_suites.begin(), hello.cipher_suites.end(), CipherSuite::tls_rsa_with_aes_128_gcm_sha256),
            hello.cipher_suites.end());
  const auto shares = parse_key_share_client_hello(find_extension(hello.extensions, ExtensionType::key_share)->data);
  ASSERT_EQ(shares->size(), 2u);
  EXPECT_EQ((*shares)[0].group, NamedGroup::x25519);
  EXPECT_EQ((*shares)[1].group, NamedGroup::secp256r1);
  EXPECT_EQ(parse_alpn(find_extension(hello.extensions, ExtensionType::application_layer_protocol_negotiation)->data,
                       ExtensionContext::client_hello)
                .value(),
            config->alpn_protocols);
  EXPECT_EQ(find_extension(hello.extensions, ExtensionType::psk_key_exchange_modes), nullptr);
  EXPECT_EQ(find_extension(hello.extensions, ExtensionType::record_size_limit), nullptr);
  EXPECT_EQ(parse_server_name_client_hello(find_extension(hello.extensions, ExtensionType::server_name)->data)
                .value()
                .value_or(""),
            "example.com");
}

TEST(ClientHandshake, IpLiteralIsNotSentAsServerName) {
  for (const char* address : {"127.0.0.1", "::1", "2001:db8::7"}) {
    Handshake handshake(test_config(), address);
    EXPECT_EQ(find_extension(handshake.client_hello().extensions, ExtensionType::server_name), nullptr) << address;
    EXPECT_EQ(handshake.io.summary_.server_name, "") << address;
  }
}

TEST(ClientHandshake, ServerNameIsSentWithoutTrailingDot) {
  Handshake handshake(test_config(), "example.com.");
  const auto hello = handshake.client_hello();
  const auto* extension = find_extension(hello.extensions, ExtensionType::server_name);
  ASSERT_NE(extension, nullptr);
  EXPECT_EQ(parse_server_name_client_hello(extension->data).value().value_or(""), "example.com");
  EXPECT_EQ(handshake.io.summary_.server_name, "example.com");
}

TEST(ClientHandshake, StartRejectsKeyShareGroupOutsideSupportedGroups) {
  auto config = test_config();
  config->supported_groups = {NamedGroup::x25519};
  config->key_share_groups = {NamedGroup::secp256r1};
  FakeIo io;
  ClientHandshake client(config, "example.com");
  expect_alert(client.start(io), AlertDescription::internal_error);
  EXPECT_TRUE(io.written.empty());
}

TEST(ClientHandshake, WrongSessionIdEchoIsIllegalParameter) {
  Handshake handshake(test_config());
  auto hello = server_hello_for(handshake.client_hello());
  hello.legacy_session_id_echo[0] ^= 0x01;
  expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, Tls13OnlyClientHelloOffersNothingOfTls12) {
  auto config = test_config();
  config->versions = {ProtocolVersion::tls1_3};
  config->cipher_suites = detail::tls13_suites(default_cipher_suites());
  Handshake handshake(config);
  const auto hello = handshake.client_hello();
  EXPECT_EQ(parse_supported_versions_client_hello(
                find_extension(hello.extensions, ExtensionType::supported_versions)->data)
                .value(),
            std::vector{ProtocolVersion::tls1_3});
  EXPECT_EQ(find_extension(hello.extensions, ExtensionType::extended_master_secret), nullptr);
  EXPECT_EQ(find_extension(hello.extensions, ExtensionType::renegotiation_info), nullptr);
  EXPECT_EQ(hello.cipher_suites, detail::tls13_suites(default_cipher_suites()));
}

TEST(ClientHandshake, Tls12OnlyClientHelloHasNoSupportedVersionsNorKeyShare) {
  auto config = test_config();
  config->versions = {ProtocolVersion::tls1_2};
  Handshake handshake(config);
  const auto hello = handshake.client_hello();
  // RFC 8446 §4.2.1 is TLS 1.3's: a TLS 1.2 client says its version in legacy_version alone.
  EXPECT_EQ(hello.legacy_version, ProtocolVersion::tls1_2);
  EXPECT_EQ(find_extension(hello.extensions, ExtensionType::supported_versions), nullptr);
  EXPECT_EQ(find_extension(hello.extensions, ExtensionType::key_share), nullptr);
  EXPECT_TRUE(hello.legacy_session_id.empty());
  for (const auto suite : hello.cipher_suites) EXPECT_TRUE(Tls12Suite::from(suite)) << to_string(suite);
}

TEST(ClientHandshake, UnofferedCipherSuiteIsIllegalParameter) {
  auto config = test_config();
  config->versions = {ProtocolVersion::tls1_3};
  config->cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256};
  Handshake handshake(config);
  auto hello = server_hello_for(handshake.client_hello());
  hello.cipher_suite = CipherSuite::tls_aes_256_gcm_sha384;
  expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, NonZeroCompressionIsIllegalParameter) {
  Handshake handshake(test_config());
  auto hello = server_hello_for(handshake.client_hello());
  hello.legacy_compression_method = 1;
  expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, MissingSupportedVersionsIsProtocolVersionForATls13OnlyClient) {
  auto config = test_config();
  config->versions = {ProtocolVersion::tls1_3};
  config->cipher_suites = detail::tls13_suites(default_cipher_suites());
  Handshake handshake(config);
  auto hello = server_hello_for(handshake.client_hello());
  hello.extensions.erase(hello.extensions.begin());
  expect_alert(answer(handshake, hello), AlertDescription::protocol_version);
}

TEST(ClientHandshake, DowngradeSentinelIsIllegalParameter) {
  for (const auto& sentinel : {downgrade_tls12_sentinel, downgrade_tls11_sentinel}) {
    Handshake handshake(test_config());
    auto hello = server_hello_for(handshake.client_hello());
    hello.extensions.erase(hello.extensions.begin());
    std::copy(sentinel.begin(), sentinel.end(), hello.random.end() - 8);
    expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
  }
}

TEST(ClientHandshake, KeyShareForGroupWithoutOurShareIsIllegalParameter) {
  Handshake handshake(test_config());
  auto hello = server_hello_for(handshake.client_hello());
  hello.extensions[1] = make_key_share_server_hello({NamedGroup::secp384r1, Bytes(97, 0x04)});
  expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, MissingKeyShareIsMissingExtension) {
  Handshake handshake(test_config());
  auto hello = server_hello_for(handshake.client_hello());
  hello.extensions.pop_back();
  expect_alert(answer(handshake, hello), AlertDescription::missing_extension);
}

TEST(ClientHandshake, InvalidServerKeyShareIsIllegalParameter) {
  Handshake handshake(test_config());
  auto hello = server_hello_for(handshake.client_hello());
  hello.extensions[1] = make_key_share_server_hello({NamedGroup::x25519, Bytes(32, 0x00)});  // low order
  expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, ServerKeyShareOfTheWrongLengthIsIllegalParameter) {
  // RFC 8446 §4.2.8.2: an X25519 share is 32 bytes.
  Handshake handshake(test_config());
  auto hello = server_hello_for(handshake.client_hello());
  hello.extensions[1] = make_key_share_server_hello({NamedGroup::x25519, Bytes(31, 0x09)});
  expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, ServerP256ShareOffTheCurveIsIllegalParameter) {
  // RFC 8446 §4.2.8.2: "Peers MUST validate each other's public key".
  Handshake handshake(test_config());
  auto hello = server_hello_for(handshake.client_hello());
  Bytes point(65, 0x01);
  point[0] = 0x04;
  hello.extensions[1] = make_key_share_server_hello({NamedGroup::secp256r1, point});
  expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, ServerHelloGroupOtherThanTheRetryGroupIsIllegalParameter) {
  // RFC 8446 §4.2.8: "the client MUST verify that the selected NamedGroup in the ServerHello is
  // the same as that in the HelloRetryRequest. If this check fails, the client MUST abort the
  // handshake with an "illegal_parameter" alert."
  Handshake handshake(test_config());
  ASSERT_TRUE(answer(handshake, hello_retry_request_for(handshake.client_hello(), NamedGroup::secp384r1)));
  auto hello = server_hello_for(handshake.client_hello(1));  // an x25519 share: the first hello's group
  expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, UnofferedServerHelloExtensionIsUnsupportedExtension) {
  Handshake handshake(test_config());
  auto hello = server_hello_for(handshake.client_hello());
  hello.extensions.push_back(Extension{ExtensionType::pre_shared_key, {0x00, 0x00}});
  expect_alert(answer(handshake, hello), AlertDescription::unsupported_extension);
}

TEST(ClientHandshake, EncryptedExtensionsBeforeServerHelloIsUnexpectedMessage) {
  Handshake handshake(test_config());
  expect_alert(handshake.client.handle(frame(HandshakeType::encrypted_extensions,
                                             encode_encrypted_extensions(EncryptedExtensions{})),
                                       handshake.io),
               AlertDescription::unexpected_message);
}

TEST(ClientHandshake, HelloRetryRequestForGroupAlreadySentIsIllegalParameter) {
  Handshake handshake(test_config());
  expect_alert(answer(handshake, hello_retry_request_for(handshake.client_hello(), NamedGroup::secp256r1)),
               AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, HelloRetryRequestForUnofferedGroupIsIllegalParameter) {
  auto config = test_config();
  config->supported_groups = {NamedGroup::x25519, NamedGroup::secp256r1};
  Handshake handshake(config);
  expect_alert(answer(handshake, hello_retry_request_for(handshake.client_hello(), NamedGroup::secp384r1)),
               AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, HelloRetryRequestThatChangesNothingIsIllegalParameter) {
  Handshake handshake(test_config());
  expect_alert(answer(handshake, hello_retry_request_for(handshake.client_hello(), std::nullopt)),
               AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, SecondHelloRetryRequestIsUnexpectedMessage) {
  Handshake handshake(test_config());
  ASSERT_TRUE(answer(handshake, hello_retry_request_for(handshake.client_hello(), NamedGroup::secp384r1)));
  expect_alert(answer(handshake, hello_retry_request_for(handshake.client_hello(), std::nullopt, Bytes{1, 2, 3})),
               AlertDescription::unexpected_message);
}

TEST(ClientHandshake, SecondClientHelloDiffersOnlyInKeyShareAndCookie) {
  Handshake handshake(test_config());
  ASSERT_TRUE(answer(handshake, hello_retry_request_for(handshake.client_hello(), NamedGroup::secp384r1, Bytes{7, 7})));
  // RFC 8446 §D.4: the change_cipher_spec goes right before the second ClientHello.
  ASSERT_GE(handshake.io.calls.size(), 2u);
  EXPECT_EQ(handshake.io.calls.end()[-2], "change_cipher_spec");
  EXPECT_EQ(handshake.io.calls.back(), "write client_hello");
  ASSERT_EQ(handshake.io.written.size(), 2u);
  const auto first = handshake.client_hello(0);
  const auto second = handshake.client_hello(1);
  EXPECT_EQ(second.random, first.random);
  EXPECT_EQ(second.legacy_session_id, first.legacy_session_id);
  EXPECT_EQ(second.cipher_suites, first.cipher_suites);
  ASSERT_EQ(second.extensions.size(), first.extensions.size() + 1);
  for (std::size_t i = 0; i < first.extensions.size(); ++i) {
    if (first.extensions[i].type == ExtensionType::key_share) continue;
    EXPECT_EQ(second.extensions[i], first.extensions[i]) << to_string(first.extensions[i].type);
  }
  const auto shares = parse_key_share_client_hello(find_extension(second.extensions, ExtensionType::key_share)->data);
  ASSERT_EQ(shares->size(), 1u);
  EXPECT_EQ((*shares)[0].group, NamedGroup::secp384r1);
  EXPECT_EQ(parse_cookie(second.extensions.back().data, ExtensionContext::client_hello).value(), (Bytes{7, 7}));
  EXPECT_TRUE(handshake.io.summary_.hello_retry_request);
}

TEST(ClientHandshake, HelloRetryRequestTranscriptStartsWithMessageHash) {
  Handshake handshake(test_config());
  const auto retry =
      frame(HandshakeType::server_hello,
            encode_server_hello(hello_retry_request_for(handshake.client_hello(), NamedGroup::secp384r1)));
  ASSERT_TRUE(handshake.client.handle(retry, handshake.io));
  // RFC 8446 §4.4.1: Transcript-Hash(ClientHello1, HelloRetryRequest, ...) =
  // Hash(message_hash || 00 00 Hash.length || Hash(ClientHello1) || HelloRetryRequest || ...).
  crypto::Hash transcript(crypto::HashAlgorithm::sha256);
  const auto first_hash = crypto::hash(crypto::HashAlgorithm::sha256, handshake.io.written[0].encoded);
  Bytes synthetic = {254, 0, 0, 32};
  synthetic.insert(synthetic.end(), first_hash.bytes().begin(), first_hash.bytes().end());
  transcript.update(synthetic);
  transcript.update(retry.encoded);
  transcript.update(handshake.io.written[1].encoded);
  handshake.server.set_transcript(transcript);

  ServerScript script;
  script.group = NamedGroup::secp384r1;
  ASSERT_TRUE(handshake.client.handle(handshake.server.server_hello(handshake.io.written[1], script), handshake.io));
  const auto before = handshake.io.written.size();
  ASSERT_TRUE(handshake.feed(handshake.server.flight(script)));
  auto checked = handshake.server.check_client_flight(
      {handshake.io.written.begin() + static_cast<std::ptrdiff_t>(before), handshake.io.written.end()});
  ASSERT_TRUE(checked) << to_string(checked.error());
  EXPECT_EQ(handshake.io.summary_.group, NamedGroup::secp384r1);
  EXPECT_EQ(handshake.io.count("change_cipher_spec"), 1u);  // before the second ClientHello only
}

TEST(ClientHandshake, ServerHelloChangingTheRetrySuiteIsIllegalParameter) {
  Handshake handshake(test_config());
  auto retry = hello_retry_request_for(handshake.client_hello(), NamedGroup::secp384r1);
  ASSERT_TRUE(answer(handshake, retry));
  auto hello = server_hello_for(handshake.client_hello(1));
  hello.cipher_suite = CipherSuite::tls_aes_256_gcm_sha384;
  hello.extensions[1] = make_key_share_server_hello({NamedGroup::secp384r1, Bytes(97, 0x04)});
  expect_alert(answer(handshake, hello), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, NegotiatedAlpnIsInTheSummary) {
  auto config = test_config();
  config->alpn_protocols = {"h2", "http/1.1"};
  Handshake handshake(config);
  const std::string selected[] = {"http/1.1"};
  ASSERT_TRUE(handshake.run(with_encrypted_extensions({make_alpn(selected)})));
  EXPECT_EQ(handshake.io.summary_.alpn_protocol, "http/1.1");
}

TEST(ClientHandshake, UnofferedAlpnProtocolIsIllegalParameter) {
  auto config = test_config();
  config->alpn_protocols = {"h2"};
  Handshake handshake(config);
  const std::string selected[] = {"spdy/3"};
  expect_alert(handshake.run(with_encrypted_extensions({make_alpn(selected)})), AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, UnofferedEncryptedExtensionIsUnsupportedExtension) {
  Handshake handshake(test_config());
  const std::string selected[] = {"h2"};
  expect_alert(handshake.run(with_encrypted_extensions({make_alpn(selected)})), AlertDescription::unsupported_extension);
}

TEST(ClientHandshake, RecordSizeLimitsOfBothSidesAreApplied) {
  auto config = test_config();
  config->record_size_limit = 1024;
  Handshake handshake(config);
  ASSERT_TRUE(handshake.run(with_encrypted_extensions({make_record_size_limit(512)})));
  ASSERT_TRUE(handshake.io.limits);
  EXPECT_EQ(handshake.io.limits->first, std::optional<std::uint16_t>(1024));
  EXPECT_EQ(handshake.io.limits->second, std::optional<std::uint16_t>(512));
  EXPECT_EQ(handshake.io.summary_.peer_record_size_limit, std::optional<std::uint16_t>(512));
}

TEST(ClientHandshake, CertificateRequestIsAnsweredWithTheClientCertificate) {
  auto config = test_config();
  auto key = generate_key(crypto::KeyType::ecdsa_p256);
  config->client_certificate = CertifiedKey{{certificate_for(key)}, key, {}};
  Handshake handshake(config);
  ASSERT_TRUE(handshake.run(with_certificate_request({SignatureScheme::ed25519,
                                                                SignatureScheme::ecdsa_secp256r1_sha256})));
  EXPECT_EQ(handshake.server.client_certificates, std::optional<std::size_t>(1));
  ASSERT_TRUE(handshake.server.client_signature);
  EXPECT_EQ(handshake.server.client_signature->algorithm, SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_TRUE(key.public_key().verify(SignatureScheme::ecdsa_secp256r1_sha256, handshake.server.client_signed_content,
                                      handshake.server.client_signature->signature));
  EXPECT_EQ(handshake.io.summary_.client_signature_scheme,
            std::optional<SignatureScheme>(SignatureScheme::ecdsa_secp256r1_sha256));
}

TEST(ClientHandshake, CertificateRequestWithoutClientCertificateGetsAnEmptyCertificate) {
  Handshake handshake(test_config());
  ASSERT_TRUE(handshake.run(with_certificate_request({SignatureScheme::ed25519})));
  EXPECT_EQ(handshake.server.client_certificates, std::optional<std::size_t>(0));
  EXPECT_FALSE(handshake.server.client_signature);
  EXPECT_FALSE(handshake.io.summary_.client_signature_scheme);
}

TEST(ClientHandshake, ClientCertificateVerifyNeverUsesPkcs1) {
  auto config = test_config();
  auto key = generate_key(crypto::KeyType::rsa);
  config->client_certificate = CertifiedKey{{certificate_for(key)}, key, {}};
  {
    Handshake handshake(config);
    ASSERT_TRUE(handshake.run(
        with_certificate_request({SignatureScheme::rsa_pkcs1_sha256, SignatureScheme::rsa_pss_rsae_sha256})));
    ASSERT_TRUE(handshake.server.client_signature);
    EXPECT_EQ(handshake.server.client_signature->algorithm, SignatureScheme::rsa_pss_rsae_sha256);
  }
  {
    // The server lists only RSASSA-PKCS1-v1_5: no scheme fits, so no certificate is sent.
    Handshake handshake(config);
    ASSERT_TRUE(handshake.run(with_certificate_request({SignatureScheme::rsa_pkcs1_sha256})));
    EXPECT_EQ(handshake.server.client_certificates, std::optional<std::size_t>(0));
    EXPECT_FALSE(handshake.server.client_signature);
  }
}

TEST(ClientHandshake, CertificateRequestWithContextDuringHandshakeIsIllegalParameter) {
  Handshake handshake(test_config());
  ServerScript script;
  ASSERT_TRUE(handshake.client.handle(handshake.server.server_hello(handshake.io.written.at(0), script), handshake.io));
  const auto flight = handshake.server.flight(script);
  const SignatureScheme schemes[] = {SignatureScheme::ed25519};
  const CertificateRequest request{{0x01}, {make_signature_algorithms(ExtensionType::signature_algorithms, schemes)}};
  expect_alert(handshake.feed({flight[0], frame(HandshakeType::certificate_request, encode_certificate_request(request))}),
               AlertDescription::illegal_parameter);
}

TEST(ClientHandshake, MessageAfterCompletionIsUnexpectedMessage) {
  Handshake handshake(test_config());
  ASSERT_TRUE(handshake.run({}));
  expect_alert(handshake.client.handle(frame(HandshakeType::key_update, Bytes{0}), handshake.io),
               AlertDescription::unexpected_message);
}

TEST(ClientConfig, DefaultSignatureSchemesInPreferenceOrder) {
  EXPECT_EQ(default_signature_schemes(),
            (std::vector{SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384,
                         SignatureScheme::ed25519, SignatureScheme::rsa_pss_rsae_sha256,
                         SignatureScheme::rsa_pss_rsae_sha384, SignatureScheme::rsa_pss_rsae_sha512,
                         SignatureScheme::rsa_pkcs1_sha256, SignatureScheme::rsa_pkcs1_sha384,
                         SignatureScheme::rsa_pkcs1_sha512}));
}

}  // namespace
}  // namespace duplex::tls
