// describe_handshake_message: the field-by-field text of `duplex tls connect --trace`.
#include "duplex/tls/trace.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "duplex/tls/handshake_messages.hpp"
#include "rfc8448_trace.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;

HandshakeMessage framed(HandshakeType type, const std::vector<std::uint8_t>& body) {
  return HandshakeMessage{type, encode_handshake(type, body)};
}

std::string describe(HandshakeType type, const std::vector<std::uint8_t>& body) {
  return describe_handshake_message(framed(type, body));
}

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" is not in:\n" << text;
}
::testing::AssertionResult Lacks(const std::string& text, const std::string& part) {
  if (text.find(part) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" is in:\n" << text;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30
//   -subj "/C=DE/O=Example Co/CN=www.example.com" (the certificate of tests/x509/certificate_test.cpp)
const std::vector<std::uint8_t> example_certificate = hex(
    "30820215308201bca003020102021463875bb5cbe09cdb49c5e42cb106dc5082019252300a06082a8648ce3d04030230"
    "3c310b300906035504061302444531133011060355040a0c0a4578616d706c6520436f3118301606035504030c0f7777"
    "772e6578616d706c652e636f6d301e170d3236313132343136343630335a170d3236313232343136343630335a303c31"
    "0b300906035504061302444531133011060355040a0c0a4578616d706c6520436f3118301606035504030c0f7777772e"
    "6578616d706c652e636f6d3059301306072a8648ce3d020106082a8648ce3d030107034200044d07d181bc93439cbe44"
    "d94bcee7cb0f4293e3db55031f4fbcf99147cfc0731875a50a1e9e9701a408f23a4063848dffb55c2f28207f800fc4de"
    "78d015ecedbca3819b308198301d0603551d0e041604148156c89a5e5509e42d1219e3178c998acf1da46c301f060355"
    "1d230418301680148156c89a5e5509e42d1219e3178c998acf1da46c300f0603551d130101ff040530030101ff302006"
    "03551d1104193017820f7777772e6578616d706c652e636f6d87047f000001300e0603551d0f0101ff04040302078030"
    "130603551d25040c300a06082b06010505070301300a06082a8648ce3d04030203470030440220556a05e39f7df7a376"
    "7d4f86876af7954d9ad4f6eb20f838499465a2732ee0c60220329179c3fbfbf5d6c32c246090e413a2d4609e5b9f0fe8"
    "1c207a0a0381eb3466");

TEST(Trace, DescribesTheRfc8448ClientHelloFieldByField) {
  const auto text = describe_handshake_message({HandshakeType::client_hello, test::rfc8448::client_hello()});
  EXPECT_EQ(first_line(text), "ClientHello, 196 bytes");  // RFC 8448: "ClientHello (196 octets)"
  EXPECT_TRUE(Contains(text, "\n  legacy_version: 0x0303 (TLS 1.2)\n"));
  EXPECT_TRUE(Contains(text, "\n  random: cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7\n"));
  EXPECT_TRUE(Contains(text, "\n  legacy_session_id: 0 bytes\n"));
  EXPECT_TRUE(Contains(text, 
                        "\n  cipher_suites: TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_256_GCM_SHA384\n"));
  EXPECT_TRUE(Contains(text, "\n  legacy_compression_methods: 00\n"));
  EXPECT_TRUE(Contains(text, "\n  extensions:\n"));
  EXPECT_TRUE(Contains(text, "\n    server_name: server\n"));
  EXPECT_TRUE(Contains(text, "\n    renegotiation_info: (empty renegotiated_connection: an initial handshake)\n"));
  EXPECT_TRUE(Contains(text, "\n    supported_groups: x25519, secp256r1, secp384r1, secp521r1, ffdhe2048, "
                              "ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192\n"));
  EXPECT_TRUE(Contains(text, "\n    session_ticket (empty)\n"));
  EXPECT_TRUE(Contains(text, "\n    key_share: x25519 (32 bytes)\n"));
  EXPECT_TRUE(Contains(text, "\n    supported_versions: TLS 1.3\n"));
  EXPECT_TRUE(Contains(text, "\n    signature_algorithms: ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, "));
  EXPECT_TRUE(Contains(text, "rsa_pss_rsae_sha256"));
  EXPECT_TRUE(Contains(text, "0x0402"));  // dsa_sha256: TLS 1.2's, printed as its code
  EXPECT_TRUE(Contains(text, "\n    psk_key_exchange_modes: psk_dhe_ke\n"));
  EXPECT_TRUE(Contains(text, "\n    record_size_limit: 16385\n"));
  EXPECT_TRUE(Lacks(text, "does not parse"));
  EXPECT_EQ(text.back(), '\n');
}

TEST(Trace, DescribesTheRfc8448ServerHello) {
  const auto text = describe_handshake_message({HandshakeType::server_hello, test::rfc8448::server_hello()});
  EXPECT_EQ(first_line(text), "ServerHello, 90 bytes");
  EXPECT_TRUE(Contains(text, "\n  random: a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928\n"));
  EXPECT_TRUE(Contains(text, "\n  legacy_session_id_echo: 0 bytes\n"));
  EXPECT_TRUE(Contains(text, "\n  cipher_suite: TLS_AES_128_GCM_SHA256\n"));
  EXPECT_TRUE(Contains(text, "\n  legacy_compression_method: 0\n"));
  EXPECT_TRUE(Contains(text, "\n    key_share: x25519 (32 bytes)\n"));
  EXPECT_TRUE(Contains(text, "\n    supported_versions: TLS 1.3 (selected_version)\n"));
  EXPECT_TRUE(Lacks(text, "does not parse"));
  EXPECT_TRUE(Lacks(text, "TLS 1.2 or older"));
}

TEST(Trace, NamesAHelloRetryRequestAndItsSelectedGroup) {
  ServerHello retry;
  retry.random = hello_retry_request_random;
  retry.cipher_suite = CipherSuite::tls_aes_256_gcm_sha384;
  retry.extensions = {make_supported_versions_server_hello(ProtocolVersion::tls1_3),
                      make_key_share_hello_retry_request(NamedGroup::secp256r1),
                      make_cookie(std::vector<std::uint8_t>(40, 0xc0))};
  const auto text = describe(HandshakeType::server_hello, encode_server_hello(retry));
  EXPECT_EQ(first_line(text).substr(0, 19), "HelloRetryRequest, ");
  EXPECT_TRUE(Contains(text, "(the HelloRetryRequest value, RFC 8446 §4.1.3)"));
  EXPECT_TRUE(Contains(text, "\n    key_share: selected_group secp256r1\n"));
  EXPECT_TRUE(Contains(text, "\n    cookie: 40 bytes\n"));
  EXPECT_TRUE(Contains(text, "\n  cipher_suite: TLS_AES_256_GCM_SHA384\n"));
}

TEST(Trace, SaysWhyAMalformedMessageDoesNotParse) {
  // A ClientHello whose cipher_suites list has an odd length.
  auto body = encode_client_hello(test::minimal_client_hello());
  body[2 + 32 + 1 + 1] = 0x03;
  const auto text = describe(HandshakeType::client_hello, body);
  EXPECT_EQ(first_line(text), "ClientHello, " + std::to_string(body.size() + 4) + " bytes");
  const auto expected = parse_client_hello(body);
  ASSERT_FALSE(expected);
  EXPECT_TRUE(Contains(text, "\n  (does not parse: " + to_string(expected.error()) + ")\n"));
  EXPECT_TRUE(Contains(text, "decode_error: "));
  EXPECT_TRUE(Lacks(text, "cipher_suites:"));
}

TEST(Trace, SaysATruncatedBodyIsTruncated) {
  auto message = HandshakeMessage{HandshakeType::client_hello, test::rfc8448::client_hello()};
  message.encoded.resize(100);
  const auto text = describe_handshake_message(message);
  EXPECT_EQ(first_line(text), "ClientHello, 100 bytes");
  EXPECT_TRUE(Contains(text, "\n  (the header's length says 192 bytes; 96 bytes follow)\n"));
  EXPECT_TRUE(Contains(text, "\n  (does not parse: decode_error: the ClientHello's extensions is truncated "
                             "(RFC 8446 §4.2))\n"));
  EXPECT_TRUE(Contains(text, "\n  body: 96 bytes: 0303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024d…\n"));
}

TEST(Trace, DescribesEveryPrefixOfTheRfc8448HellosWithoutCrashing) {
  for (auto whole : {test::rfc8448::client_hello(), test::rfc8448::server_hello()}) {
    const auto type = static_cast<HandshakeType>(whole[0]);
    for (std::size_t size = 0; size < whole.size(); ++size) {
      // The ClientHello cut after its compression methods is a whole one without extensions
      // (RFC 5246 §7.4.1.2): it parses.
      if (type == HandshakeType::client_hello && size == 49) continue;
      const std::vector<std::uint8_t> prefix(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(size));
      const auto text = describe_handshake_message({type, prefix});
      EXPECT_TRUE(Contains(text, "does not parse")) << size;
    }
  }
}

TEST(Trace, ShowsAnUnknownExtensionByCodeLengthAndHexPrefix) {
  auto hello = test::minimal_client_hello();
  hello.extensions.insert(hello.extensions.begin(), Extension{static_cast<ExtensionType>(0x1234),
                                                              std::vector<std::uint8_t>(40, 0xab)});
  hello.extensions.insert(hello.extensions.begin(), Extension{static_cast<ExtensionType>(0x3a3a), {}});
  const auto text = describe(HandshakeType::client_hello, encode_client_hello(hello));
  EXPECT_TRUE(Contains(text, "\n    0x1234 (40 bytes): abababababababababababababababab…\n"));
  EXPECT_TRUE(Contains(text, "\n    0x3a3a (GREASE) (empty)\n"));
}

TEST(Trace, DescribesAPreSharedKeyOffer) {
  auto hello = test::minimal_client_hello();
  // RFC 8446 §4.2.11: one 5-byte identity with obfuscated_ticket_age 7, one 32-byte binder.
  hello.extensions.push_back(Extension{ExtensionType::pre_shared_key,
                                       hex("000b 0005 0102030405 00000007 0021 20" + std::string(64, '0'))});
  const auto text = describe(HandshakeType::client_hello, encode_client_hello(hello));
  EXPECT_TRUE(Contains(
      text, "\n    pre_shared_key: identities [5 bytes, obfuscated_ticket_age 7]; binders 32 bytes\n"));
}

TEST(Trace, DescribesEncryptedExtensionsAndEscapesPeerText) {
  const std::string protocols[] = {"h2\x1b[2J"};
  const EncryptedExtensions message{{make_server_name_acknowledgement(), make_alpn(protocols),
                                     make_record_size_limit(16385)}};
  const auto text = describe(HandshakeType::encrypted_extensions, encode_encrypted_extensions(message));
  EXPECT_EQ(first_line(text),
            "EncryptedExtensions, " + std::to_string(4 + encode_encrypted_extensions(message).size()) + " bytes");
  EXPECT_TRUE(Contains(text, "\n    server_name: (empty: the server acknowledges the name)\n"));
  EXPECT_TRUE(Contains(text, "\n    application_layer_protocol_negotiation: h2\\x1b[2J\n"));
  EXPECT_TRUE(Contains(text, "\n    record_size_limit: 16385\n"));
  EXPECT_TRUE(Lacks(text, "\x1b"));
}

TEST(Trace, DescribesEachCertificateBySubjectIssuerAndValidity) {
  const Certificate message{{}, {CertificateEntry{example_certificate, {}}, CertificateEntry{hex("3003020101"), {}}}};
  const auto text = describe(HandshakeType::certificate, encode_certificate(message));
  EXPECT_TRUE(Contains(text, "\n  certificate_request_context: 0 bytes\n"));
  EXPECT_TRUE(Contains(text, "\n  certificate_list: 2 entries (end-entity first)\n"));
  EXPECT_TRUE(Contains(text, "\n    [0] cert_data: 537 bytes\n"));
  EXPECT_TRUE(Contains(text, "\n      subject: C=DE, O=Example Co, CN=www.example.com\n"));
  EXPECT_TRUE(Contains(text, "\n      issuer: C=DE, O=Example Co, CN=www.example.com\n"));
  EXPECT_TRUE(Contains(text, "\n      validity: 2026-11-24 16:46:03 UTC to 2026-12-24 16:46:03 UTC\n"));
  EXPECT_TRUE(Contains(text, "\n    [1] cert_data: 5 bytes\n      (not a certificate we can parse: "));
  EXPECT_TRUE(Contains(text, "\n      bytes: 3003020101\n"));
}

TEST(Trace, DescribesCertificateVerifyFinishedAndKeyUpdate) {
  const CertificateVerify verify{SignatureScheme::rsa_pss_rsae_sha256, std::vector<std::uint8_t>(256, 1)};
  const auto verify_text = describe(HandshakeType::certificate_verify, encode_certificate_verify(verify));
  EXPECT_EQ(first_line(verify_text), "CertificateVerify, 264 bytes");
  EXPECT_TRUE(Contains(verify_text, "\n  algorithm: rsa_pss_rsae_sha256\n  signature: 256 bytes\n"));

  std::vector<std::uint8_t> verify_data(48);
  for (std::size_t i = 0; i < verify_data.size(); ++i) verify_data[i] = static_cast<std::uint8_t>(i);
  const auto finished_text = describe(HandshakeType::finished, verify_data);
  EXPECT_EQ(first_line(finished_text), "Finished, 52 bytes");
  EXPECT_TRUE(Contains(finished_text,
              "\n  verify_data: 48 bytes: 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f…\n"));

  EXPECT_TRUE(Contains(describe(HandshakeType::key_update, hex("01")), "\n  request_update: update_requested (1)\n"));
  EXPECT_TRUE(Contains(describe(HandshakeType::key_update, hex("02")),
              "\n  (does not parse: illegal_parameter: the KeyUpdate's request_update is 0x02"));
}

TEST(Trace, DescribesANewSessionTicket) {
  const NewSessionTicket message{604800, 0x01020304, hex("00"), std::vector<std::uint8_t>(192, 0x7a),
                                 {Extension{ExtensionType::early_data, hex("00004000")}}};
  const auto text = describe(HandshakeType::new_session_ticket, encode_new_session_ticket(message));
  EXPECT_TRUE(Contains(text, "\n  ticket_lifetime: 604800 seconds\n"));
  EXPECT_TRUE(Contains(text, "\n  ticket_age_add: 16909060\n"));
  EXPECT_TRUE(Contains(text, "\n  ticket_nonce: 1 byte: 00\n"));
  EXPECT_TRUE(Contains(text, "\n  ticket: 192 bytes: 7a7a"));
  EXPECT_TRUE(Contains(text, "\n    early_data: max_early_data_size 16384\n"));
}

TEST(Trace, DescribesACertificateRequest) {
  const SignatureScheme schemes[] = {SignatureScheme::ed25519, SignatureScheme::ecdsa_secp256r1_sha256};
  const CertificateRequest message{{}, {make_signature_algorithms(ExtensionType::signature_algorithms, schemes)}};
  const auto text = describe(HandshakeType::certificate_request, encode_certificate_request(message));
  EXPECT_TRUE(Contains(text, "\n  certificate_request_context: 0 bytes\n"));
  EXPECT_TRUE(Contains(text, "\n    signature_algorithms: ed25519, ecdsa_secp256r1_sha256\n"));
}

TEST(Trace, SurvivesMessagesShorterThanTheirHeaderAndUnknownTypes) {
  EXPECT_EQ(describe_handshake_message({HandshakeType::finished, hex("1400")}),
            "Finished, 2 bytes\n"
            "  (does not parse: the message is shorter than the 4-byte handshake header, RFC 8446 §4)\n");
  EXPECT_EQ(describe(static_cast<HandshakeType>(0x63), hex("0102")),
            "unknown handshake message 0x63, 6 bytes\n  body: 2 bytes: 0102\n");
  EXPECT_TRUE(Contains(describe(HandshakeType::end_of_early_data, hex("00")),
              "(does not parse: decode_error: the EndOfEarlyData message has 1 byte"));
}

TEST(Trace, DescribesAnAlertInOneLine) {
  EXPECT_EQ(describe_alert(AlertLevel::fatal, AlertDescription::handshake_failure),
            "Alert: fatal, handshake_failure (40)");
}

}  // namespace
}  // namespace duplex::tls
