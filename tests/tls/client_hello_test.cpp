// RFC 8446 §4.1.2 ClientHello: round trip, bounds and the rules that need the whole message.
#include "duplex/tls/client_hello.hpp"

#include <gtest/gtest.h>

#include "duplex/tls/extension_data.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;
using test::minimal_client_hello;
using test::reparse;

void expect_alert(const Result<ClientHello>& result, AlertDescription alert) {
  ASSERT_FALSE(result) << "parsed";
  EXPECT_EQ(result.error().alert, alert) << result.error().message;
}

TEST(ClientHello, RoundTrips) {
  auto hello = minimal_client_hello();
  hello.legacy_session_id = std::vector<std::uint8_t>(32, 0x33);
  const std::string protocols[] = {"h2", "http/1.1"};
  hello.extensions.push_back(make_server_name("example.com"));
  hello.extensions.push_back(make_alpn(protocols));
  hello.extensions.push_back(Extension{ExtensionType{0x1a1a}, {}});  // GREASE: kept
  auto parsed = reparse(hello);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, hello);
}

TEST(ClientHello, RejectsTrailingBytesWithDecodeError) {
  auto body = encode_client_hello(minimal_client_hello());
  body.push_back(0);
  expect_alert(parse_client_hello(body), AlertDescription::decode_error);
}

TEST(ClientHello, RejectsEveryTruncationWithDecodeError) {
  const auto body = encode_client_hello(minimal_client_hello());
  for (std::size_t size = 0; size < body.size(); ++size) {
    if (size == 41) continue;  // a whole ClientHello without extensions (RFC 5246 §7.4.1.2)
    expect_alert(parse_client_hello(std::span(body).first(size)), AlertDescription::decode_error);
  }
}

TEST(ClientHello, RejectsASessionIdLongerThan32Bytes) {
  auto body = encode_client_hello(minimal_client_hello());
  body[34] = 33;  // legacy_session_id<0..32> length, after version and random
  auto result = parse_client_hello(body);
  expect_alert(result, AlertDescription::decode_error);
  EXPECT_NE(result.error().message.find("legacy_session_id"), std::string::npos);
}

TEST(ClientHello, RejectsAnOddCipherSuitesLength) {
  // version, random, empty session id, cipher_suites of 3 bytes, compression, no extensions
  std::vector<std::uint8_t> body = hex("0303");
  body.resize(34, 0x11);
  const auto rest = hex("00 0003 130113 0100 0000");
  body.insert(body.end(), rest.begin(), rest.end());
  auto result = parse_client_hello(body);
  expect_alert(result, AlertDescription::decode_error);
  EXPECT_NE(result.error().message.find("cipher_suites"), std::string::npos);
}

TEST(ClientHello, RejectsEmptyCipherSuites) {
  auto hello = minimal_client_hello();
  auto body = encode_client_hello(hello);
  // Replace "0002 1301" by "0000": cipher_suites<2..2^16-2>.
  body.erase(body.begin() + 35, body.begin() + 39);
  body.insert(body.begin() + 35, {0, 0});
  expect_alert(parse_client_hello(body), AlertDescription::decode_error);
}

TEST(ClientHello, RejectsEmptyCompressionMethods) {
  auto body = encode_client_hello(minimal_client_hello());
  body.erase(body.begin() + 39, body.begin() + 41);  // "01 00"
  body.insert(body.begin() + 39, 0);
  expect_alert(parse_client_hello(body), AlertDescription::decode_error);
}

TEST(ClientHello, ReadsAClientHelloWithoutExtensionsBlock) {
  // RFC 5246 §7.4.1.2: a TLS 1.2-or-older ClientHello may end after its compression methods; the
  // server then answers protocol_version for want of supported_versions (RFC 8446 §D.2), which it
  // can only do if the message parses.
  auto body = encode_client_hello(minimal_client_hello());
  body.resize(41);
  auto hello = parse_client_hello(body);
  ASSERT_TRUE(hello) << to_string(hello.error());
  EXPECT_TRUE(hello->extensions.empty());
}

TEST(ClientHello, ReadsAnExtensionsBlockShorterThan8Bytes) {
  // RFC 8446 §4.1.2's extensions<8..2^16-1> describes a TLS 1.3 ClientHello, which always has
  // supported_versions; an older one may carry a single short extension. Whether it offers TLS 1.3
  // is decided by supported_versions, with protocol_version when it does not.
  auto body = encode_client_hello(minimal_client_hello());
  body.resize(41);  // up to the extensions block
  const auto short_block = hex("0004 1a1a 0000");  // one empty GREASE extension: 4 bytes < 8
  body.insert(body.end(), short_block.begin(), short_block.end());
  auto hello = parse_client_hello(body);
  ASSERT_TRUE(hello) << to_string(hello.error());
  EXPECT_EQ(hello->extensions.size(), 1u);
}

TEST(ClientHello, RejectsADuplicatedExtensionWithIllegalParameter) {
  auto hello = minimal_client_hello();
  hello.extensions.push_back(hello.extensions[1]);
  auto result = reparse(hello);
  expect_alert(result, AlertDescription::illegal_parameter);
  EXPECT_EQ(result.error().message,
            "the ClientHello carries the supported_groups extension twice (RFC 8446 §4.2)");
}

TEST(ClientHello, RejectsADuplicatedUnknownExtension) {
  auto hello = minimal_client_hello();
  hello.extensions.push_back(Extension{ExtensionType{0x7777}, {1}});
  hello.extensions.push_back(Extension{ExtensionType{0x7777}, {2}});
  expect_alert(reparse(hello), AlertDescription::illegal_parameter);
}

TEST(ClientHello, RejectsAnExtensionTheTableDoesNotAllow) {
  auto hello = minimal_client_hello();
  hello.extensions.push_back(Extension{ExtensionType::oid_filters, hex("0000")});
  auto result = reparse(hello);
  expect_alert(result, AlertDescription::illegal_parameter);
  EXPECT_NE(result.error().message.find("oid_filters"), std::string::npos);
}

TEST(ClientHello, RequiresPreSharedKeyToBeLast) {
  auto hello = minimal_client_hello();
  hello.extensions.insert(hello.extensions.begin(), Extension{ExtensionType::pre_shared_key, hex("00")});
  auto result = reparse(hello);
  expect_alert(result, AlertDescription::illegal_parameter);
  EXPECT_NE(result.error().message.find("§4.2.11"), std::string::npos);

  hello.extensions.erase(hello.extensions.begin());
  hello.extensions.push_back(Extension{ExtensionType::pre_shared_key, hex("00")});
  EXPECT_TRUE(reparse(hello));
}

TEST(ClientHello, RejectsAKeyShareForAGroupNotInSupportedGroups) {
  auto hello = minimal_client_hello();
  const KeyShareEntry shares[] = {{NamedGroup::secp256r1, std::vector<std::uint8_t>(65, 4)}};
  hello.extensions[3] = make_key_share_client_hello(shares);
  expect_alert(reparse(hello), AlertDescription::illegal_parameter);
}

TEST(ClientHello, RejectsADuplicatedKeyShareGroup) {
  auto hello = minimal_client_hello();
  const KeyShareEntry shares[] = {{NamedGroup::x25519, std::vector<std::uint8_t>(32, 1)},
                                  {NamedGroup::x25519, std::vector<std::uint8_t>(32, 2)}};
  hello.extensions[3] = make_key_share_client_hello(shares);
  auto result = reparse(hello);
  expect_alert(result, AlertDescription::illegal_parameter);
  EXPECT_EQ(result.error().message,
            "the ClientHello's key_share extension lists the group x25519 twice (RFC 8446 §4.2.8)");
}

TEST(ClientHello, RejectsAMalformedKnownExtensionWithItsOwnAlert) {
  auto hello = minimal_client_hello();
  hello.extensions.push_back(make_record_size_limit(63));
  expect_alert(reparse(hello), AlertDescription::illegal_parameter);
  hello.extensions.back() = Extension{ExtensionType::supported_versions, hex("03 0304 03")};
  hello.extensions.erase(hello.extensions.begin());
  expect_alert(reparse(hello), AlertDescription::decode_error);
}

TEST(ClientHello, KeepsUnknownCipherSuitesAndVersions) {
  auto hello = minimal_client_hello();
  hello.cipher_suites.push_back(CipherSuite{0xc02f});
  hello.legacy_compression_methods = {1, 0};  // the engine refuses this in TLS 1.3, not the codec
  auto parsed = reparse(hello);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->cipher_suites.back(), CipherSuite{0xc02f});
}

}  // namespace
}  // namespace duplex::tls
