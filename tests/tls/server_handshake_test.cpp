// The TLS 1.3 server state machine (src/tls/server_handshake.cpp) up to its flight, driven
// through a fake HandshakeIo: the test plays the client with ClientHellos built by
// encode_client_hello, reads the server's messages in the clear, and checks every choice and
// every alert. The client's flight is in server_client_flight_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "duplex/tls/certificate.hpp"
#include "duplex/tls/certificate_verify.hpp"
#include "server_handshake_test_support.hpp"

namespace duplex::tls {
namespace {

using namespace server_test;

// ---- A whole handshake ----

TEST(ServerHandshake, CompletesHandshakeWithoutClientAuthentication) {
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  const auto hello = client.message();
  ASSERT_TRUE(server.expecting_first_client_hello());
  ASSERT_TRUE(server.handle(hello, io).ok());
  EXPECT_FALSE(server.expecting_first_client_hello());

  std::vector<HandshakeType> types;
  for (const auto& message : io.written) types.push_back(message.msg_type);
  EXPECT_EQ(types, (std::vector<HandshakeType>{HandshakeType::server_hello, HandshakeType::encrypted_extensions,
                                               HandshakeType::certificate, HandshakeType::certificate_verify,
                                               HandshakeType::finished}));
  ClientKeys keys = client_keys(io, {hello}, client);
  // The server derived the same client handshake traffic secret the client did.
  EXPECT_TRUE(crypto::constant_time_equal(io.secrets.at(std::string(keylog::kClientHandshakeTrafficSecret)).bytes(),
                                          keys.client_handshake_traffic_secret.bytes()));
  EXPECT_FALSE(server.done());
  ASSERT_TRUE(server.handle(client_finished(keys), io).ok());
  EXPECT_TRUE(server.done());
  ASSERT_TRUE(io.outcome.has_value());
  EXPECT_EQ(std::get<detail::Tls13Outcome>(*io.outcome).suite.suite(), CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_TRUE(crypto::constant_time_equal(std::get<detail::Tls13Outcome>(*io.outcome).client_application_traffic_secret.bytes(),
                                          io.secrets.at(std::string(keylog::kClientTrafficSecret0)).bytes()));
  EXPECT_EQ(io.summary_.cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_EQ(io.summary_.group, NamedGroup::x25519);
  EXPECT_FALSE(io.summary_.hello_retry_request);
  EXPECT_EQ(io.summary_.server_signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_TRUE(io.summary_.peer_certificates.empty());
}

TEST(ServerHandshake, SignsCertificateVerifyOverTranscriptWithServerContext) {
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  const auto hello = client.message();
  ASSERT_TRUE(server.handle(hello, io).ok());
  crypto::Hash transcript(crypto::HashAlgorithm::sha256);
  transcript.update(hello.encoded);
  for (std::size_t i = 0; i < 3; ++i) transcript.update(io.written[i].encoded);  // SH, EE, Certificate
  const auto verify = std::move(parse_certificate_verify(io.written[3].body())).value();
  EXPECT_EQ(verify.algorithm, SignatureScheme::ecdsa_secp256r1_sha256);
  std::string content(64, ' ');
  content += "TLS 1.3, server CertificateVerify";
  content.push_back('\0');
  Bytes signed_content(content.begin(), content.end());
  const auto hash = transcript.current();
  signed_content.insert(signed_content.end(), hash.bytes().begin(), hash.bytes().end());
  const auto certificate = std::move(parse_certificate(io.written[2].body())).value();
  ASSERT_EQ(certificate.certificate_list.size(), 1u);
  EXPECT_EQ(certificate.certificate_list[0].cert_data, p256_certificate().certificate_chain[0]);
  EXPECT_TRUE(p256_certificate().private_key.public_key().verify(verify.algorithm, signed_content, verify.signature).ok());
}

TEST(ServerHandshake, SetsProtectionsAndLogsSecretsInRfcOrder) {
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  const auto hello = client.message();
  ASSERT_TRUE(server.handle(hello, io).ok());
  ASSERT_TRUE(server.handle(client_finished(client_keys(io, {hello}, client)), io).ok());
  EXPECT_EQ(io.actions, (std::vector<std::string>{
                            "write server_hello", "change_cipher_spec", "client random",
                            "log CLIENT_HANDSHAKE_TRAFFIC_SECRET", "log SERVER_HANDSHAKE_TRAFFIC_SECRET",
                            "write protection", "write encrypted_extensions", "write certificate",
                            "write certificate_verify", "write finished", "read protection",
                            "log CLIENT_TRAFFIC_SECRET_0", "log SERVER_TRAFFIC_SECRET_0", "log EXPORTER_SECRET",
                            "write protection", "read protection", "handshake complete"}));
  EXPECT_EQ(io.client_random, Bytes(client.hello.random.begin(), client.hello.random.end()));
}

TEST(ServerHandshake, SendsNoChangeCipherSpecWithoutCompatibilityMode) {
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  client.hello.legacy_session_id.clear();
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  EXPECT_EQ(io.count("change_cipher_spec"), 0);
  EXPECT_TRUE(parsed_server_hello(io).legacy_session_id_echo.empty());
}

TEST(ServerHandshake, EchoesLegacySessionId) {
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  const auto server_hello = parsed_server_hello(io);
  EXPECT_EQ(server_hello.legacy_session_id_echo, client.hello.legacy_session_id);
  EXPECT_EQ(std::move(parse_supported_versions_server_hello(
                          find_extension(server_hello.extensions, ExtensionType::supported_versions)->data,
                          ExtensionContext::server_hello))
                .value(),
            ProtocolVersion::tls1_3);
}

// ---- Selection rules ----

TEST(ServerHandshake, ChoosesCipherSuiteByOurPreference) {
  auto config = default_config();
  config->cipher_suites = {CipherSuite::tls_chacha20_poly1305_sha256, CipherSuite::tls_aes_256_gcm_sha384};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client;
  client.hello.cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256, CipherSuite::tls_aes_256_gcm_sha384,
                                CipherSuite::tls_chacha20_poly1305_sha256};
  const auto hello = client.message();
  ASSERT_TRUE(server.handle(hello, io).ok());
  EXPECT_EQ(parsed_server_hello(io).cipher_suite, CipherSuite::tls_chacha20_poly1305_sha256);
  EXPECT_TRUE(server.handle(client_finished(client_keys(io, {hello}, client)), io).ok());
}

TEST(ServerHandshake, CompletesHandshakeWithSha384Suite) {
  auto config = default_config();
  config->cipher_suites = {CipherSuite::tls_aes_256_gcm_sha384};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client;
  const auto hello = client.message();
  ASSERT_TRUE(server.handle(hello, io).ok());
  EXPECT_EQ(io.summary_.cipher_suite, CipherSuite::tls_aes_256_gcm_sha384);
  EXPECT_TRUE(server.handle(client_finished(client_keys(io, {hello}, client)), io).ok());
  EXPECT_TRUE(server.done());
}

TEST(ServerHandshake, ChoosesGroupByOurPreferenceAmongClientShares) {
  auto config = default_config();
  config->supported_groups = {NamedGroup::secp256r1, NamedGroup::x25519};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client({NamedGroup::x25519, NamedGroup::secp256r1});
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  EXPECT_EQ(io.summary_.group, NamedGroup::secp256r1);
  EXPECT_FALSE(io.summary_.hello_retry_request);
}

TEST(ServerHandshake, PrefersGroupWithClientShareToHelloRetryRequest) {
  auto config = default_config();
  config->supported_groups = {NamedGroup::secp384r1, NamedGroup::x25519};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client({NamedGroup::x25519});
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  EXPECT_EQ(io.summary_.group, NamedGroup::x25519);
  EXPECT_FALSE(io.summary_.hello_retry_request);
}

TEST(ServerHandshake, SendsHelloRetryRequestWhenClientSentNoUsableShare) {
  auto config = default_config();
  config->supported_groups = {NamedGroup::secp384r1, NamedGroup::secp256r1};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client({NamedGroup::x25519});
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  ASSERT_EQ(io.written.size(), 1u);
  const auto retry = parsed_server_hello(io);
  EXPECT_TRUE(is_hello_retry_request(retry));
  EXPECT_EQ(retry.legacy_session_id_echo, client.hello.legacy_session_id);
  EXPECT_EQ(retry.cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
  const auto* key_share = find_extension(retry.extensions, ExtensionType::key_share);
  ASSERT_NE(key_share, nullptr);
  EXPECT_EQ(std::move(parse_key_share_hello_retry_request(key_share->data)).value(), NamedGroup::secp384r1);
  EXPECT_NE(find_extension(retry.extensions, ExtensionType::supported_versions), nullptr);
  EXPECT_EQ(io.actions, (std::vector<std::string>{"write server_hello", "change_cipher_spec"}));
  EXPECT_TRUE(io.summary_.hello_retry_request);
  EXPECT_FALSE(server.expecting_first_client_hello());
}

TEST(ServerHandshake, CompletesHandshakeAfterHelloRetryRequest) {
  auto config = default_config();
  config->supported_groups = {NamedGroup::secp256r1};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client({NamedGroup::x25519});
  const auto first = client.message();
  ASSERT_TRUE(server.handle(first, io).ok());
  client.set_shares({NamedGroup::secp256r1});
  const auto second = client.message();
  ASSERT_TRUE(server.handle(second, io).ok());
  // RFC 8446 §D.4: one change_cipher_spec only, after the HelloRetryRequest.
  EXPECT_EQ(io.count("change_cipher_spec"), 1);
  EXPECT_EQ(io.summary_.group, NamedGroup::secp256r1);
  // The client's Finished verifies only with the message_hash transcript (RFC 8446 §4.4.1).
  ASSERT_TRUE(server.handle(client_finished(client_keys(io, {first, second}, client)), io).ok());
  EXPECT_TRUE(server.done());
}

TEST(ServerHandshake, ChoosesSignatureSchemeByOurPreference) {
  static const CertifiedKey rsa = test::self_signed(crypto::KeyType::rsa, {"example.com"});
  auto config = config_with({rsa});
  config->signature_schemes = {SignatureScheme::rsa_pkcs1_sha256, SignatureScheme::rsa_pss_rsae_sha384,
                               SignatureScheme::rsa_pss_rsae_sha256};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client;
  const SignatureScheme schemes[] = {SignatureScheme::rsa_pkcs1_sha256, SignatureScheme::rsa_pss_rsae_sha256,
                                     SignatureScheme::rsa_pss_rsae_sha384};
  client.set_schemes(schemes);
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  // rsa_pkcs1_sha256 comes first in both lists but never signs a CertificateVerify (§4.2.3).
  EXPECT_EQ(io.summary_.server_signature_scheme, SignatureScheme::rsa_pss_rsae_sha384);
  const auto verify = std::move(parse_certificate_verify(io.of_type(HandshakeType::certificate_verify)[0].body())).value();
  EXPECT_EQ(verify.algorithm, SignatureScheme::rsa_pss_rsae_sha384);
}

TEST(ServerHandshake, ChoosesCertificateMatchingServerName) {
  const auto other = test::self_signed(crypto::KeyType::ed25519, {"other.test"});
  const auto wildcard = test::self_signed(crypto::KeyType::ed25519, {"*.example.net"});
  ServerHandshake server(config_with({other, wildcard}));
  FakeIo io;
  TestClient client;
  set_extension(client.hello, make_server_name("WWW.Example.net"));
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  const auto certificate = std::move(parse_certificate(io.of_type(HandshakeType::certificate)[0].body())).value();
  EXPECT_EQ(certificate.certificate_list.at(0).cert_data, wildcard.certificate_chain[0]);
  EXPECT_EQ(io.summary_.server_name, "WWW.Example.net");
  // RFC 6066 §3: the server acknowledges the name with an empty server_name extension.
  const auto extensions = parsed_encrypted_extensions(io).extensions;
  const auto* ack = find_extension(extensions, ExtensionType::server_name);
  ASSERT_NE(ack, nullptr);
  EXPECT_TRUE(ack->data.empty());
}

TEST(ServerHandshake, FallsBackToFirstCertificateWhoseKeyCanSign) {
  const auto p384_for_name = test::self_signed(crypto::KeyType::ecdsa_p384, {"example.org"});
  const auto first_usable = test::self_signed(crypto::KeyType::ed25519, {"other.test"});
  const auto second_usable = test::self_signed(crypto::KeyType::ed25519, {"third.test"});
  ServerHandshake server(config_with({p384_for_name, first_usable, second_usable}));
  FakeIo io;
  TestClient client;
  const SignatureScheme schemes[] = {SignatureScheme::ed25519};  // the P-384 key cannot sign with it
  client.set_schemes(schemes);
  set_extension(client.hello, make_server_name("example.org"));
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  const auto certificate = std::move(parse_certificate(io.of_type(HandshakeType::certificate)[0].body())).value();
  EXPECT_EQ(certificate.certificate_list.at(0).cert_data, first_usable.certificate_chain[0]);
  EXPECT_EQ(io.summary_.server_signature_scheme, SignatureScheme::ed25519);
}

TEST(ServerHandshake, ChoosesAlpnByOurPreference) {
  auto config = default_config();
  config->alpn_protocols = {"h2", "http/1.1"};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client;
  const std::string offered[] = {"http/1.1", "h2"};
  set_extension(client.hello, make_alpn(offered));
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  EXPECT_EQ(io.summary_.alpn_protocol, "h2");
  const auto extensions = parsed_encrypted_extensions(io).extensions;
  const auto* alpn = find_extension(extensions, ExtensionType::application_layer_protocol_negotiation);
  ASSERT_NE(alpn, nullptr);
  EXPECT_EQ(std::move(parse_alpn(alpn->data, ExtensionContext::encrypted_extensions)).value(),
            std::vector<std::string>{"h2"});
}

TEST(ServerHandshake, SendsNoAlpnWhenClientOffersNone) {
  auto config = default_config();
  config->alpn_protocols = {"h2"};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client;
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  EXPECT_EQ(io.summary_.alpn_protocol, "");
  EXPECT_TRUE(parsed_encrypted_extensions(io).extensions.empty());
}

TEST(ServerHandshake, EchoesRecordSizeLimitWhenBothSidesUseIt) {
  auto config = default_config();
  config->record_size_limit = 4096;
  ServerHandshake server(config);
  FakeIo io;
  TestClient client;
  set_extension(client.hello, make_record_size_limit(1024));
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  ASSERT_TRUE(io.limits.has_value());
  EXPECT_EQ(io.limits->first, std::optional<std::uint16_t>(4096));
  EXPECT_EQ(io.limits->second, std::optional<std::uint16_t>(1024));
  EXPECT_EQ(io.summary_.peer_record_size_limit, std::optional<std::uint16_t>(1024));
  const auto extensions = parsed_encrypted_extensions(io).extensions;
  const auto* limit = find_extension(extensions, ExtensionType::record_size_limit);
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(std::move(parse_record_size_limit(limit->data, ExtensionContext::encrypted_extensions)).value(), 4096);
  // RFC 8449 §4: the limits are in place before the first protected record.
  const auto limits_at = std::find(io.actions.begin(), io.actions.end(), "record size limits");
  const auto protection_at = std::find(io.actions.begin(), io.actions.end(), "write protection");
  EXPECT_LT(limits_at, protection_at);
}

TEST(ServerHandshake, SendsNoRecordSizeLimitTheClientDidNotAskFor) {
  auto config = default_config();
  config->record_size_limit = 4096;
  ServerHandshake server(config);
  FakeIo io;
  TestClient client;
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  EXPECT_FALSE(io.limits.has_value());
  EXPECT_EQ(find_extension(parsed_encrypted_extensions(io).extensions, ExtensionType::record_size_limit), nullptr);
}

TEST(ServerHandshake, ReadsPeerRecordSizeLimitAboveTls13MaximumAsTheMaximum) {
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  set_extension(client.hello, make_record_size_limit(65535));
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  ASSERT_TRUE(io.limits.has_value());
  EXPECT_EQ(io.limits->first, std::nullopt);
  EXPECT_EQ(io.limits->second, std::optional<std::uint16_t>(16385));
  // We have no limit of our own: nothing to answer with (RFC 8446 §4.2: responses only to requests).
  EXPECT_EQ(find_extension(parsed_encrypted_extensions(io).extensions, ExtensionType::record_size_limit), nullptr);
}

// ---- Malformed ClientHellos: the exact alert ----

TEST(ServerHandshake, Tls13OnlyRejectsClientHelloWithoutSupportedVersions) {
  TestClient client;
  remove_extension(client.hello, ExtensionType::supported_versions);
  EXPECT_EQ(first_client_hello_error(tls13_only_config(), client.hello).alert, AlertDescription::protocol_version);
}

TEST(ServerHandshake, Tls13OnlyRejectsSupportedVersionsWithoutTls13) {
  TestClient client;
  const ProtocolVersion versions[] = {ProtocolVersion::tls1_2};
  set_extension(client.hello, make_supported_versions_client_hello(versions));
  EXPECT_EQ(first_client_hello_error(tls13_only_config(), client.hello).alert, AlertDescription::protocol_version);
}

TEST(ServerHandshake, RejectsTls10And11ClientHellosWithProtocolVersion) {
  // RFC 8996: TLS 1.0 and 1.1 are never negotiated; RFC 8446 §D.2: protocol_version.
  for (const auto version : {ProtocolVersion::tls1_0, ProtocolVersion::tls1_1}) {
    TestClient client;
    remove_extension(client.hello, ExtensionType::supported_versions);
    client.hello.legacy_version = version;
    EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::protocol_version)
        << to_string(version);
  }
  TestClient client;
  const ProtocolVersion versions[] = {ProtocolVersion::tls1_1, ProtocolVersion::tls1_0};
  set_extension(client.hello, make_supported_versions_client_hello(versions));
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::protocol_version);
}

TEST(ServerHandshake, IgnoresLegacyVersionWhenSupportedVersionsOffersTls13) {
  // RFC 8446 §4.2.1: "If this extension is present in the ClientHello, servers MUST NOT use the
  // ClientHello.legacy_version value for version negotiation and MUST use only the
  // "supported_versions" extension to determine client preferences."
  for (const auto version : {ProtocolVersion::tls1_0, ProtocolVersion::tls1_1, ProtocolVersion::tls1_3,
                             static_cast<ProtocolVersion>(0x7f1c)}) {
    ServerHandshake server(default_config());
    FakeIo io;
    TestClient client;
    client.hello.legacy_version = version;
    auto handled = server.handle(client.message(), io);
    EXPECT_TRUE(handled.ok()) << to_string(version) << ": " << (handled ? "" : to_string(handled.error()));
  }
}

TEST(ServerHandshake, RejectsLegacyVersionSsl30EvenWithSupportedVersions) {
  // RFC 8446 §D.5: "Any endpoint receiving a Hello message with ClientHello.legacy_version or
  // ServerHello.legacy_version set to 0x0300 MUST abort the handshake with a "protocol_version"
  // alert." Lower values are older still.
  for (const auto version : {ProtocolVersion::ssl3_0, static_cast<ProtocolVersion>(0x0200)}) {
    TestClient client;
    client.hello.legacy_version = version;
    EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::protocol_version)
        << to_string(version);
  }
}

TEST(ServerHandshake, RejectsClientHelloWithoutExtensionsWithProtocolVersion) {
  // An SSL 3.0 / TLS 1.0-style ClientHello may end after its compression methods (RFC 5246
  // §7.4.1.2); without supported_versions it offers TLS 1.2 or older: RFC 8446 §D.2's
  // protocol_version, not a decode_error.
  ServerHandshake server(tls13_only_config());
  FakeIo io;
  auto body = encode_client_hello(test::minimal_client_hello());
  body.resize(41);  // legacy_version, random, empty session id, one suite, null compression
  auto handled = server.handle(frame(HandshakeType::client_hello, body), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::protocol_version);
}

TEST(ServerHandshake, ClientHelloWithoutExtensionsIsTls12WithoutRenegotiationInfo) {
  // The same ClientHello to a server that speaks TLS 1.2 too: legacy_version 0x0303 offers TLS 1.2,
  // and with neither renegotiation_info nor its SCSV RFC 5746 §3.6's handshake_failure follows.
  ServerHandshake server(default_config());
  FakeIo io;
  auto body = encode_client_hello(test::minimal_client_hello());
  body.resize(41);
  auto handled = server.handle(frame(HandshakeType::client_hello, body), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::handshake_failure) << to_string(handled.error());
}

TEST(ServerHandshake, RejectsCompressionMethodsOtherThanNull) {
  TestClient client;
  client.hello.legacy_compression_methods = {1, 0};
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, RejectsClientHelloWithoutCommonCipherSuite) {
  TestClient client;
  client.hello.cipher_suites = {static_cast<CipherSuite>(0xc02f)};  // a TLS 1.2 suite
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::handshake_failure);
}

TEST(ServerHandshake, RejectsClientHelloWithoutCommonGroup) {
  auto config = default_config();
  config->supported_groups = {NamedGroup::secp384r1};
  TestClient client({NamedGroup::x25519}, {NamedGroup::x25519, NamedGroup::secp256r1});
  EXPECT_EQ(first_client_hello_error(config, client.hello).alert, AlertDescription::handshake_failure);
}

TEST(ServerHandshake, RejectsClientHelloWithoutSignatureAlgorithms) {
  TestClient client;
  remove_extension(client.hello, ExtensionType::signature_algorithms);
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::missing_extension);
}

TEST(ServerHandshake, RejectsSupportedGroupsWithoutKeyShare) {
  TestClient client;
  remove_extension(client.hello, ExtensionType::key_share);
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::missing_extension);
}

TEST(ServerHandshake, RejectsClientHelloWithoutSupportedGroupsAndKeyShare) {
  TestClient client;
  remove_extension(client.hello, ExtensionType::key_share);
  remove_extension(client.hello, ExtensionType::supported_groups);
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::missing_extension);
}

TEST(ServerHandshake, RejectsSignatureAlgorithmsNoCertificateCanUse) {
  TestClient client;
  const SignatureScheme schemes[] = {SignatureScheme::rsa_pss_rsae_sha256};
  client.set_schemes(schemes);
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::handshake_failure);
}

TEST(ServerHandshake, NeverSignsCertificateVerifyWithRsaPkcs1) {
  static const CertifiedKey rsa = test::self_signed(crypto::KeyType::rsa, {"example.com"});
  TestClient client;
  const SignatureScheme schemes[] = {SignatureScheme::rsa_pkcs1_sha256};
  client.set_schemes(schemes);
  EXPECT_EQ(first_client_hello_error(config_with({rsa}), client.hello).alert, AlertDescription::handshake_failure);
}

TEST(ServerHandshake, RejectsAlpnWithoutCommonProtocol) {
  auto config = default_config();
  config->alpn_protocols = {"h2"};
  TestClient client;
  const std::string offered[] = {"http/1.1"};
  set_extension(client.hello, make_alpn(offered));
  EXPECT_EQ(first_client_hello_error(config, client.hello).alert, AlertDescription::no_application_protocol);
}

TEST(ServerHandshake, RejectsInvalidKeyShare) {
  TestClient client;
  const KeyShareEntry shares[] = {{NamedGroup::x25519, Bytes(32, 0)}};  // a low-order point
  set_extension(client.hello, make_key_share_client_hello(shares));
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, RejectsX25519KeyShareOfTheWrongLength) {
  // RFC 8446 §4.2.8.2: an X25519 share is the 32-byte public value; another size cannot be one.
  for (const std::size_t size : {31u, 33u}) {
    TestClient client;
    const KeyShareEntry shares[] = {{NamedGroup::x25519, Bytes(size, 0x09)}};
    set_extension(client.hello, make_key_share_client_hello(shares));
    EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::illegal_parameter)
        << size;
  }
}

TEST(ServerHandshake, RejectsP256KeyShareOffTheCurve) {
  // RFC 8446 §4.2.8.2: "Peers MUST validate each other's public key Y by ensuring that the point
  // is a valid point on the elliptic curve."
  TestClient client({NamedGroup::secp256r1});
  Bytes point(65, 0x01);
  point[0] = 0x04;
  const KeyShareEntry shares[] = {{NamedGroup::secp256r1, point}};
  set_extension(client.hello, make_key_share_client_hello(shares));
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, RejectsCompressedP256KeyShare) {
  // RFC 8446 §4.2.8.2: only the uncompressed form (legacy_form 4) is allowed.
  TestClient client({NamedGroup::secp256r1});
  const auto& real = client.share_for(NamedGroup::secp256r1).public_share();
  Bytes compressed(real.begin(), real.begin() + 33);
  compressed[0] = static_cast<std::uint8_t>(0x02 | (real.back() & 1));
  const KeyShareEntry shares[] = {{NamedGroup::secp256r1, compressed}};
  set_extension(client.hello, make_key_share_client_hello(shares));
  EXPECT_EQ(first_client_hello_error(default_config(), client.hello).alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, IgnoresGreaseInEveryList) {
  // RFC 8701 §3: a server "MUST NOT negotiate any GREASE value" and treats them as unknown:
  // cipher suites, supported_versions, supported_groups, key_share, signature_algorithms and
  // extension types.
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  auto& hello = client.hello;
  hello.cipher_suites.insert(hello.cipher_suites.begin(), static_cast<CipherSuite>(0x0a0a));
  const ProtocolVersion versions[] = {static_cast<ProtocolVersion>(0x1a1a), ProtocolVersion::tls1_3};
  set_extension(hello, make_supported_versions_client_hello(versions));
  const NamedGroup groups[] = {static_cast<NamedGroup>(0x2a2a), NamedGroup::x25519};
  set_extension(hello, make_supported_groups(groups));
  const auto& real = client.share_for(NamedGroup::x25519).public_share();
  const KeyShareEntry shares[] = {{static_cast<NamedGroup>(0x2a2a), Bytes{0}},
                                  {NamedGroup::x25519, Bytes(real.begin(), real.end())}};
  set_extension(hello, make_key_share_client_hello(shares));
  const SignatureScheme schemes[] = {static_cast<SignatureScheme>(0x3a3a), SignatureScheme::ecdsa_secp256r1_sha256};
  client.set_schemes(schemes);
  hello.extensions.insert(hello.extensions.begin(), Extension{static_cast<ExtensionType>(0x4a4a), {}});
  hello.extensions.push_back(Extension{static_cast<ExtensionType>(0x5a5a), {0}});
  auto handled = server.handle(client.message(), io);
  ASSERT_TRUE(handled.ok()) << to_string(handled.error());
  const auto server_hello = parsed_server_hello(io);
  EXPECT_EQ(server_hello.cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_EQ(io.summary_.group, NamedGroup::x25519);
}

TEST(ServerHandshake, IgnoresThePaddingExtension) {
  // RFC 7685 §4: the server ignores the padding's content and never echoes it.
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  client.hello.extensions.push_back(Extension{ExtensionType::padding, Bytes(200, 0)});
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  EXPECT_EQ(find_extension(parsed_encrypted_extensions(io).extensions, ExtensionType::padding), nullptr);
}

TEST(ServerHandshake, RefusesAlpnMismatchBeforeAnyHelloRetryRequest) {
  auto config = default_config();
  config->supported_groups = {NamedGroup::secp256r1};
  config->alpn_protocols = {"h2"};
  TestClient client({NamedGroup::x25519});
  const std::string offered[] = {"http/1.1"};
  set_extension(client.hello, make_alpn(offered));
  EXPECT_EQ(first_client_hello_error(config, client.hello).alert, AlertDescription::no_application_protocol);
}

TEST(ServerHandshake, RejectsFirstMessageOtherThanClientHello) {
  ServerHandshake server(default_config());
  FakeIo io;
  auto handled = server.handle(frame(HandshakeType::finished, Bytes(32, 0)), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::unexpected_message);
}

// ---- The second ClientHello (RFC 8446 §4.1.2, §4.1.4) ----

struct RetriedServer {
  ServerHandshake server;
  FakeIo io;
  TestClient client;
};

std::unique_ptr<RetriedServer> after_hello_retry_request() {
  auto config = default_config();
  config->supported_groups = {NamedGroup::secp256r1};
  auto retried = std::unique_ptr<RetriedServer>(new RetriedServer{ServerHandshake(config), FakeIo{}, TestClient({NamedGroup::x25519})});
  EXPECT_TRUE(retried->server.handle(retried->client.message(), retried->io).ok());
  return retried;
}

TEST(ServerHandshake, RejectsSecondClientHelloWithShareForAnotherGroup) {
  auto retried = after_hello_retry_request();
  retried->client.set_shares({NamedGroup::secp384r1});
  auto handled = retried->server.handle(retried->client.message(), retried->io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, RejectsSecondClientHelloWithSameShareAgain) {
  auto retried = after_hello_retry_request();
  auto handled = retried->server.handle(retried->client.message(), retried->io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, RejectsSecondClientHelloWithoutTheRetriedCipherSuite) {
  auto retried = after_hello_retry_request();
  retried->client.set_shares({NamedGroup::secp256r1});
  retried->client.hello.cipher_suites = {CipherSuite::tls_aes_256_gcm_sha384};
  auto handled = retried->server.handle(retried->client.message(), retried->io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, RejectsSecondClientHelloWithAnotherSessionId) {
  auto retried = after_hello_retry_request();
  retried->client.set_shares({NamedGroup::secp256r1});
  retried->client.hello.legacy_session_id.assign(32, 0x6b);
  auto handled = retried->server.handle(retried->client.message(), retried->io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, RejectsOtherMessageWhereSecondClientHelloBelongs) {
  auto retried = after_hello_retry_request();
  auto handled = retried->server.handle(frame(HandshakeType::finished, Bytes(32, 0)), retried->io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::unexpected_message);
}

}  // namespace
}  // namespace duplex::tls
