// RFC 8446 §4.1.3 ServerHello and §4.1.4 HelloRetryRequest.
#include "duplex/tls/server_hello.hpp"

#include <gtest/gtest.h>

#include "duplex/tls/extension_data.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;

ServerHello tls13_server_hello() {
  ServerHello hello;
  hello.random.fill(0x5a);
  hello.legacy_session_id_echo = std::vector<std::uint8_t>(32, 0x33);
  hello.cipher_suite = CipherSuite::tls_aes_256_gcm_sha384;
  hello.extensions = {make_supported_versions_server_hello(ProtocolVersion::tls1_3),
                      make_key_share_server_hello({NamedGroup::x25519, std::vector<std::uint8_t>(32, 9)})};
  return hello;
}

ServerHello hello_retry_request() {
  ServerHello hello;
  hello.random = hello_retry_request_random;
  hello.cipher_suite = CipherSuite::tls_aes_128_gcm_sha256;
  const std::uint8_t cookie[] = {1, 2, 3, 4};
  hello.extensions = {make_supported_versions_server_hello(ProtocolVersion::tls1_3),
                      make_key_share_hello_retry_request(NamedGroup::secp256r1), make_cookie(cookie)};
  return hello;
}

TEST(ServerHello, RoundTrips) {
  const auto hello = tls13_server_hello();
  auto parsed = parse_server_hello(encode_server_hello(hello));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, hello);
  EXPECT_FALSE(is_hello_retry_request(*parsed));
}

TEST(HelloRetryRequest, IsRecognisedByItsRandomAndRoundTrips) {
  const auto hello = hello_retry_request();
  auto parsed = parse_server_hello(encode_server_hello(hello));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(is_hello_retry_request(*parsed));
  EXPECT_EQ(*parsed, hello);
  auto group = parse_key_share_hello_retry_request(find_extension(parsed->extensions, ExtensionType::key_share)->data);
  ASSERT_TRUE(group);
  EXPECT_EQ(*group, NamedGroup::secp256r1);
}

TEST(HelloRetryRequest, RejectsAServerHelloFormOfKeyShare) {
  auto hello = hello_retry_request();
  hello.extensions[1] = make_key_share_server_hello({NamedGroup::x25519, std::vector<std::uint8_t>(32, 9)});
  auto parsed = parse_server_hello(encode_server_hello(hello));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().alert, AlertDescription::decode_error);
  EXPECT_NE(parsed.error().message.find("HelloRetryRequest"), std::string::npos);
}

TEST(ServerHello, RejectsACookieOutsideHelloRetryRequest) {
  auto hello = tls13_server_hello();
  const std::uint8_t cookie[] = {1};
  hello.extensions.push_back(make_cookie(cookie));
  auto parsed = parse_server_hello(encode_server_hello(hello));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().alert, AlertDescription::illegal_parameter);
}

TEST(ServerHello, RejectsAnEncryptedExtensionsExtension) {
  auto hello = tls13_server_hello();
  hello.extensions.push_back(make_server_name_acknowledgement());
  auto parsed = parse_server_hello(encode_server_hello(hello));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().alert, AlertDescription::illegal_parameter);
}

TEST(ServerHello, RejectsADuplicatedExtension) {
  auto hello = tls13_server_hello();
  hello.extensions.push_back(hello.extensions[0]);
  auto parsed = parse_server_hello(encode_server_hello(hello));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().alert, AlertDescription::illegal_parameter);
}

TEST(ServerHello, LeavesATls12ServerHellosExtensionsToTheEngine) {
  ServerHello hello;
  hello.cipher_suite = CipherSuite{0xc02f};
  hello.extensions = {Extension{ExtensionType::renegotiation_info, hex("00")},
                      Extension{ExtensionType::ec_point_formats, hex("0100")}};
  auto parsed = parse_server_hello(encode_server_hello(hello));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, hello);
}

TEST(ServerHello, RejectsTruncationAndTrailingBytesWithDecodeError) {
  auto body = encode_server_hello(tls13_server_hello());
  for (std::size_t size = 0; size < body.size(); ++size) {
    auto parsed = parse_server_hello(std::span(body).first(size));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().alert, AlertDescription::decode_error);
  }
  body.push_back(0);
  auto parsed = parse_server_hello(body);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().alert, AlertDescription::decode_error);
}

}  // namespace
}  // namespace duplex::tls
