// Known answers: the ClientHello and ServerHello of RFC 8448 §3 ("Simple 1-RTT Handshake"),
// parsed field by field and re-encoded byte for byte.
#include <gtest/gtest.h>

#include "duplex/tls/handshake_messages.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;

// RFC 8448 §3, "{client}  send handshake record: ... payload (196 octets)".
const auto rfc8448_client_hello = hex(
    "01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12"
    "ec 18 a2 ef 62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00 00 91 00 00 00 0b"
    "00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 17 00"
    "18 00 19 01 00 01 01 01 02 01 03 01 04 00 23 00 00 00 33 00 26 00 24 00 1d 00 20"
    "99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69"
    "1e 52 9a af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03 08"
    "04 08 05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d 00 02 01 01"
    "00 1c 00 02 40 01");

// RFC 8448 §3, "{server}  send handshake record: ... payload (90 octets)".
const auto rfc8448_server_hello = hex(
    "02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14"
    "34 da c1 55 77 2e d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00 1d 00 20 c9 82 88"
    "76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75"
    "1f 0f 00 2b 00 02 03 04");

// RFC 8448 §3, the server's EncryptedExtensions (40 octets) from "{server}  derive write traffic
// keys for handshake data" onwards: supported_groups, record_size_limit, server_name.
const auto rfc8448_encrypted_extensions = hex(
    "08 00 00 24 00 22 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04"
    "00 1c 00 02 40 01 00 00 00 00");

HandshakeMessage reassemble(const std::vector<std::uint8_t>& bytes) {
  HandshakeReassembler reassembler;
  EXPECT_TRUE(reassembler.receive(bytes));
  auto message = reassembler.next();
  EXPECT_TRUE(message);
  EXPECT_FALSE(reassembler.has_partial_message());
  return message.value_or(HandshakeMessage{});
}

TEST(Rfc8448SimpleHandshake, ClientHelloFields) {
  ASSERT_EQ(rfc8448_client_hello.size(), 196u);
  const auto message = reassemble(rfc8448_client_hello);
  ASSERT_EQ(message.msg_type, HandshakeType::client_hello);
  auto hello = parse_client_hello(message.body());
  ASSERT_TRUE(hello) << to_string(hello.error());

  EXPECT_EQ(hello->legacy_version, ProtocolVersion::tls1_2);
  EXPECT_EQ(hello->random[0], 0xcb);
  EXPECT_EQ(hello->random[31], 0xe7);
  EXPECT_TRUE(hello->legacy_session_id.empty());
  EXPECT_EQ(hello->cipher_suites,
            (std::vector{CipherSuite::tls_aes_128_gcm_sha256, CipherSuite::tls_chacha20_poly1305_sha256,
                         CipherSuite::tls_aes_256_gcm_sha384}));
  EXPECT_EQ(hello->legacy_compression_methods, std::vector<std::uint8_t>{0});

  std::vector<ExtensionType> types;
  for (const auto& extension : hello->extensions) types.push_back(extension.type);
  EXPECT_EQ(types, (std::vector{ExtensionType::server_name, ExtensionType::renegotiation_info,
                                ExtensionType::supported_groups, ExtensionType::session_ticket,
                                ExtensionType::key_share, ExtensionType::supported_versions,
                                ExtensionType::signature_algorithms, ExtensionType::psk_key_exchange_modes,
                                ExtensionType::record_size_limit}));

  auto name = parse_server_name_client_hello(find_extension(hello->extensions, ExtensionType::server_name)->data);
  ASSERT_TRUE(name);
  EXPECT_EQ(name->value_or(""), "server");

  auto groups = parse_supported_groups(find_extension(hello->extensions, ExtensionType::supported_groups)->data,
                                       ExtensionContext::client_hello);
  ASSERT_TRUE(groups);
  EXPECT_EQ(*groups, (std::vector{NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1,
                                  NamedGroup::secp521r1, NamedGroup::ffdhe2048, NamedGroup::ffdhe3072,
                                  NamedGroup::ffdhe4096, NamedGroup::ffdhe6144, NamedGroup::ffdhe8192}));

  auto shares = parse_key_share_client_hello(find_extension(hello->extensions, ExtensionType::key_share)->data);
  ASSERT_TRUE(shares);
  ASSERT_EQ(shares->size(), 1u);
  EXPECT_EQ((*shares)[0].group, NamedGroup::x25519);
  // RFC 8448 §3: the client's ephemeral x25519 public key.
  EXPECT_EQ((*shares)[0].key_exchange,
            hex("99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c"));

  auto versions = parse_supported_versions_client_hello(
      find_extension(hello->extensions, ExtensionType::supported_versions)->data);
  ASSERT_TRUE(versions);
  EXPECT_EQ(*versions, std::vector{ProtocolVersion::tls1_3});

  auto schemes = parse_signature_algorithms(
      find_extension(hello->extensions, ExtensionType::signature_algorithms)->data,
      ExtensionType::signature_algorithms, ExtensionContext::client_hello);
  ASSERT_TRUE(schemes);
  ASSERT_EQ(schemes->size(), 15u);
  EXPECT_EQ(schemes->front(), SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_EQ((*schemes)[4], SignatureScheme::rsa_pss_rsae_sha256);
  EXPECT_EQ(schemes->back(), SignatureScheme{0x0202});  // dsa_sha1: unknown to us, kept

  auto modes = parse_psk_key_exchange_modes(
      find_extension(hello->extensions, ExtensionType::psk_key_exchange_modes)->data);
  ASSERT_TRUE(modes);
  EXPECT_EQ(*modes, std::vector{PskKeyExchangeMode::psk_dhe_ke});

  auto limit = parse_record_size_limit(find_extension(hello->extensions, ExtensionType::record_size_limit)->data,
                                       ExtensionContext::client_hello);
  ASSERT_TRUE(limit);
  EXPECT_EQ(*limit, 0x4001);
}

TEST(Rfc8448SimpleHandshake, ClientHelloReencodesByteForByte) {
  const auto message = reassemble(rfc8448_client_hello);
  auto hello = parse_client_hello(message.body());
  ASSERT_TRUE(hello);
  EXPECT_EQ(encode_handshake(HandshakeType::client_hello, encode_client_hello(*hello)), rfc8448_client_hello);
}

TEST(Rfc8448SimpleHandshake, ServerHelloFields) {
  ASSERT_EQ(rfc8448_server_hello.size(), 90u);
  const auto message = reassemble(rfc8448_server_hello);
  ASSERT_EQ(message.msg_type, HandshakeType::server_hello);
  auto hello = parse_server_hello(message.body());
  ASSERT_TRUE(hello) << to_string(hello.error());
  EXPECT_FALSE(is_hello_retry_request(*hello));
  EXPECT_EQ(hello->legacy_version, ProtocolVersion::tls1_2);
  EXPECT_EQ(hello->random[0], 0xa6);
  EXPECT_TRUE(hello->legacy_session_id_echo.empty());
  EXPECT_EQ(hello->cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_EQ(hello->legacy_compression_method, 0);
  ASSERT_EQ(hello->extensions.size(), 2u);

  auto share = parse_key_share_server_hello(find_extension(hello->extensions, ExtensionType::key_share)->data);
  ASSERT_TRUE(share);
  EXPECT_EQ(share->group, NamedGroup::x25519);
  EXPECT_EQ(share->key_exchange,
            hex("c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f"));
  auto version = parse_supported_versions_server_hello(
      find_extension(hello->extensions, ExtensionType::supported_versions)->data, ExtensionContext::server_hello);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, ProtocolVersion::tls1_3);
}

TEST(Rfc8448SimpleHandshake, ServerHelloReencodesByteForByte) {
  const auto message = reassemble(rfc8448_server_hello);
  auto hello = parse_server_hello(message.body());
  ASSERT_TRUE(hello);
  EXPECT_EQ(encode_handshake(HandshakeType::server_hello, encode_server_hello(*hello)), rfc8448_server_hello);
}

TEST(Rfc8448SimpleHandshake, ServerHelloAnswersOnlyWhatTheClientOffered) {
  auto client = parse_client_hello(reassemble(rfc8448_client_hello).body());
  auto server = parse_server_hello(reassemble(rfc8448_server_hello).body());
  ASSERT_TRUE(client);
  ASSERT_TRUE(server);
  EXPECT_TRUE(check_extensions_offered(server->extensions, ExtensionContext::server_hello, client->extensions));
}

TEST(Rfc8448SimpleHandshake, EncryptedExtensionsFieldsAndReencoding) {
  const auto message = reassemble(rfc8448_encrypted_extensions);
  ASSERT_EQ(message.msg_type, HandshakeType::encrypted_extensions);
  auto parsed = parse_encrypted_extensions(message.body());
  ASSERT_TRUE(parsed) << to_string(parsed.error());
  ASSERT_EQ(parsed->extensions.size(), 3u);
  EXPECT_EQ(parsed->extensions[0].type, ExtensionType::supported_groups);
  auto limit = parse_record_size_limit(parsed->extensions[1].data, ExtensionContext::encrypted_extensions);
  ASSERT_TRUE(limit);
  EXPECT_EQ(*limit, 0x4001);
  EXPECT_EQ(parsed->extensions[2], make_server_name_acknowledgement());
  EXPECT_EQ(encode_handshake(HandshakeType::encrypted_extensions, encode_encrypted_extensions(*parsed)),
            rfc8448_encrypted_extensions);
  auto client = parse_client_hello(reassemble(rfc8448_client_hello).body());
  ASSERT_TRUE(client);
  EXPECT_TRUE(check_extensions_offered(parsed->extensions, ExtensionContext::encrypted_extensions, client->extensions));
}

TEST(Rfc8448SimpleHandshake, BothHellosArriveInOneRecordAndInPieces) {
  auto flight = rfc8448_client_hello;
  flight.insert(flight.end(), rfc8448_server_hello.begin(), rfc8448_server_hello.end());
  HandshakeReassembler reassembler;
  ASSERT_TRUE(reassembler.receive(std::span(flight).first(100)));
  ASSERT_TRUE(reassembler.receive(std::span(flight).subspan(100)));
  auto first = reassembler.next();
  auto second = reassembler.next();
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->encoded, rfc8448_client_hello);
  EXPECT_EQ(second->encoded, rfc8448_server_hello);
}

}  // namespace
}  // namespace duplex::tls
