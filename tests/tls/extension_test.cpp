// RFC 8446 §4.2: the extension table, duplicates, and the unsupported_extension rule.
#include "duplex/tls/extension.hpp"

#include <gtest/gtest.h>

#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/extension_table.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;

Result<std::vector<Extension>> read_block(std::vector<std::uint8_t> bytes, ExtensionContext context) {
  ByteReader in(bytes);
  return read_extensions(in, context, {0, 0xffff});
}

std::vector<std::uint8_t> block(std::span<const Extension> extensions) {
  std::vector<std::uint8_t> out;
  write_extensions(out, extensions, {0, 0xffff});
  return out;
}

TEST(ExtensionTable, FollowsRfc8446Section4_2) {
  using namespace table;
  EXPECT_EQ(allowed_contexts(ExtensionType::key_share), CH | SH | HRR);
  EXPECT_EQ(allowed_contexts(ExtensionType::cookie), CH | HRR);
  EXPECT_EQ(allowed_contexts(ExtensionType::status_request), CH | CR | CT);
  EXPECT_EQ(allowed_contexts(ExtensionType::early_data), CH | EE | NST);
  EXPECT_EQ(allowed_contexts(ExtensionType::oid_filters), CR);
  EXPECT_EQ(allowed_contexts(ExtensionType::record_size_limit), CH | EE);
  EXPECT_FALSE(allowed_contexts(ExtensionType{0x1a1a}));
}

TEST(ExtensionTable, ListsEachExtensionOnce) {
  for (std::size_t i = 0; i < extension_table.size(); ++i)
    for (std::size_t j = i + 1; j < extension_table.size(); ++j)
      EXPECT_NE(extension_table[i].type, extension_table[j].type) << to_string(extension_table[i].type);
}

TEST(Extensions, RoundTripInOrder) {
  const std::vector<Extension> extensions = {make_record_size_limit(16385), Extension{ExtensionType{0xabcd}, hex("0102")},
                                             make_server_name_acknowledgement()};
  auto parsed = read_block(block(extensions), ExtensionContext::encrypted_extensions);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, extensions);
}

TEST(Extensions, RejectsARecognisedExtensionInTheWrongMessage) {
  const NamedGroup groups[] = {NamedGroup::x25519};
  const std::vector<Extension> extensions = {make_supported_groups(groups)};
  auto parsed = read_block(block(extensions), ExtensionContext::certificate_request);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().alert, AlertDescription::illegal_parameter);
  EXPECT_EQ(parsed.error().message,
            "the CertificateRequest carries a supported_groups extension, which RFC 8446 §4.2 does not "
            "allow there");
}

TEST(Extensions, KeepsUnknownExtensionsAnywhere) {
  const std::vector<Extension> extensions = {Extension{ExtensionType{0x4444}, hex("ff")}};
  EXPECT_TRUE(read_block(block(extensions), ExtensionContext::new_session_ticket));
}

TEST(Extensions, RejectsAnExtensionLongerThanItsBlock) {
  auto parsed = read_block(hex("0006 0000 0005 6162"), ExtensionContext::client_hello);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().alert, AlertDescription::decode_error);
}

TEST(Extensions, RejectsAResponseTheClientDidNotOffer) {
  const std::vector<Extension> offered = {make_server_name("example.com")};
  const std::string protocols[] = {"h2"};
  const std::vector<Extension> response = {make_server_name_acknowledgement(), make_alpn(protocols)};
  auto status = check_extensions_offered(response, ExtensionContext::encrypted_extensions, offered);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().alert, AlertDescription::unsupported_extension);
  EXPECT_NE(status.error().message.find("application_layer_protocol_negotiation"), std::string::npos);
  const std::vector<Extension> unknown = {Extension{ExtensionType{0x4444}, {}}};
  EXPECT_EQ(check_extensions_offered(unknown, ExtensionContext::encrypted_extensions, offered).error().alert,
            AlertDescription::unsupported_extension);
}

TEST(Extensions, AllowsAnUnaskedCookieOnlyInHelloRetryRequest) {
  const std::uint8_t cookie_value[] = {1, 2, 3};
  const std::vector<Extension> response = {make_cookie(cookie_value)};
  EXPECT_TRUE(check_extensions_offered(response, ExtensionContext::hello_retry_request, {}));
  EXPECT_FALSE(check_extensions_offered(response, ExtensionContext::server_hello, {}));
}

}  // namespace
}  // namespace duplex::tls
