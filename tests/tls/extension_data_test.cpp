// The typed extensions: bounds and rules, each with its exact alert.
#include "duplex/tls/extension_data.hpp"

#include <gtest/gtest.h>

#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;
constexpr auto CH = ExtensionContext::client_hello;
constexpr auto EE = ExtensionContext::encrypted_extensions;

template <typename T>
AlertDescription alert_of(const Result<T>& result) {
  EXPECT_FALSE(result) << "parsed";
  return result ? AlertDescription::close_notify : result.error().alert;
}

TEST(SupportedVersions, ParsesBothForms) {
  auto list = parse_supported_versions_client_hello(hex("04 0304 0303"));
  ASSERT_TRUE(list);
  EXPECT_EQ(*list, (std::vector{ProtocolVersion::tls1_3, ProtocolVersion::tls1_2}));
  auto selected = parse_supported_versions_server_hello(hex("0304"), ExtensionContext::server_hello);
  ASSERT_TRUE(selected);
  EXPECT_EQ(*selected, ProtocolVersion::tls1_3);
}

TEST(SupportedVersions, RejectsBadLengthsWithDecodeError) {
  EXPECT_EQ(alert_of(parse_supported_versions_client_hello(hex("00"))), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_supported_versions_client_hello(hex("03 0304 03"))), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_supported_versions_client_hello(hex("02 0304 00"))), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_supported_versions_server_hello(hex("030400"), ExtensionContext::server_hello)),
            AlertDescription::decode_error);
}

TEST(SupportedGroups, RejectsAnEmptyList) {
  EXPECT_EQ(alert_of(parse_supported_groups(hex("0000"), CH)), AlertDescription::decode_error);
}

TEST(SignatureAlgorithms, RoundTripsAndRejectsAnEmptyList) {
  const SignatureScheme schemes[] = {SignatureScheme::ed25519, SignatureScheme::rsa_pss_rsae_sha256};
  auto extension = make_signature_algorithms(ExtensionType::signature_algorithms_cert, schemes);
  EXPECT_EQ(extension.type, ExtensionType::signature_algorithms_cert);
  auto parsed = parse_signature_algorithms(extension.data, extension.type, CH);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, (std::vector<SignatureScheme>(std::begin(schemes), std::end(schemes))));
  EXPECT_EQ(alert_of(parse_signature_algorithms(hex("0000"), ExtensionType::signature_algorithms, CH)),
            AlertDescription::decode_error);
}

TEST(KeyShare, ParsesAllThreeForms) {
  const KeyShareEntry shares[] = {{NamedGroup::x25519, hex("0102")}, {NamedGroup::secp256r1, hex("04")}};
  auto client = parse_key_share_client_hello(make_key_share_client_hello(shares).data);
  ASSERT_TRUE(client);
  EXPECT_EQ(*client, (std::vector<KeyShareEntry>(std::begin(shares), std::end(shares))));
  auto server = parse_key_share_server_hello(make_key_share_server_hello(shares[0]).data);
  ASSERT_TRUE(server);
  EXPECT_EQ(*server, shares[0]);
  auto retry = parse_key_share_hello_retry_request(make_key_share_hello_retry_request(NamedGroup::secp384r1).data);
  ASSERT_TRUE(retry);
  EXPECT_EQ(*retry, NamedGroup::secp384r1);
}

TEST(KeyShare, AcceptsAnEmptyClientList) {
  // RFC 8446 §4.2.8: "This vector MAY be empty if the client is requesting a HelloRetryRequest".
  auto client = parse_key_share_client_hello(hex("0000"));
  ASSERT_TRUE(client);
  EXPECT_TRUE(client->empty());
}

TEST(KeyShare, RejectsDuplicateGroupsWithIllegalParameter) {
  EXPECT_EQ(alert_of(parse_key_share_client_hello(hex("000a 001d 0001 aa 001d 0001 bb"))),
            AlertDescription::illegal_parameter);
}

TEST(KeyShare, RejectsAnEmptyKeyExchangeAndTrailingBytes) {
  EXPECT_EQ(alert_of(parse_key_share_client_hello(hex("0004 001d 0000"))), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_key_share_server_hello(hex("001d 0001 aa 00"))), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_key_share_hello_retry_request(hex("001d00"))), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_key_share_client_hello(hex("0005 001d 0001 aa 00"))), AlertDescription::decode_error);
}

TEST(ServerName, ParsesOneHostName) {
  auto name = parse_server_name_client_hello(make_server_name("example.com").data);
  ASSERT_TRUE(name);
  EXPECT_EQ(name->value_or(""), "example.com");
}

TEST(ServerName, IgnoresUnknownNameTypes) {
  auto name = parse_server_name_client_hello(hex("0006 07 0003 616263"));
  ASSERT_TRUE(name);
  EXPECT_FALSE(name->has_value());
}

TEST(ServerName, RejectsTwoHostNamesWithIllegalParameter) {
  EXPECT_EQ(alert_of(parse_server_name_client_hello(hex("000a 00 0002 6162 00 0002 6364"))),
            AlertDescription::illegal_parameter);
}

TEST(ServerName, RejectsATrailingDotAndNonAsciiWithIllegalParameter) {
  EXPECT_EQ(alert_of(parse_server_name_client_hello(make_server_name("example.com.").data)),
            AlertDescription::illegal_parameter);
  EXPECT_EQ(alert_of(parse_server_name_client_hello(make_server_name("ex\xc3\xa9.com").data)),
            AlertDescription::illegal_parameter);
  EXPECT_EQ(alert_of(parse_server_name_client_hello(make_server_name("a..b").data)),
            AlertDescription::illegal_parameter);
  EXPECT_EQ(alert_of(parse_server_name_client_hello(make_server_name(std::string("a\0b", 3)).data)),
            AlertDescription::illegal_parameter);
}

TEST(ServerName, RejectsEmptyListsNamesAndTrailingBytesWithDecodeError) {
  EXPECT_EQ(alert_of(parse_server_name_client_hello(hex("0000"))), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_server_name_client_hello(hex("0003 00 0000"))), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_server_name_client_hello(hex("0004 00 0001 61 00"))), AlertDescription::decode_error);
}

TEST(ServerName, RequiresAnEmptyAcknowledgement) {
  EXPECT_TRUE(parse_server_name_encrypted_extensions({}));
  auto status = parse_server_name_encrypted_extensions(hex("00"));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().alert, AlertDescription::decode_error);
}

TEST(Alpn, RoundTrips) {
  const std::string protocols[] = {"h2", "http/1.1"};
  auto names = parse_alpn(make_alpn(protocols).data, CH);
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"h2", "http/1.1"}));
}

TEST(Alpn, RejectsEmptyNamesAndEmptyListsWithDecodeError) {
  EXPECT_EQ(alert_of(parse_alpn(hex("0000"), CH)), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_alpn(hex("0004 02 6832 00"), CH)), AlertDescription::decode_error);  // an empty name
  EXPECT_EQ(alert_of(parse_alpn(hex("0002 00 00"), CH)), AlertDescription::decode_error);
}

TEST(Alpn, RequiresExactlyOneProtocolFromTheServer) {
  const std::string two[] = {"h2", "http/1.1"};
  EXPECT_EQ(alert_of(parse_alpn(make_alpn(two).data, EE)), AlertDescription::illegal_parameter);
  const std::string one[] = {"h2"};
  EXPECT_TRUE(parse_alpn(make_alpn(one).data, EE));
}

TEST(Cookie, RoundTripsAndRejectsAnEmptyCookie) {
  const std::uint8_t value[] = {9, 8, 7};
  auto cookie = parse_cookie(make_cookie(value).data, ExtensionContext::hello_retry_request);
  ASSERT_TRUE(cookie);
  EXPECT_EQ(*cookie, (std::vector<std::uint8_t>{9, 8, 7}));
  EXPECT_EQ(alert_of(parse_cookie(hex("0000"), CH)), AlertDescription::decode_error);
}

TEST(PskKeyExchangeModes, KeepsUnknownModesAndRejectsAnEmptyList) {
  auto modes = parse_psk_key_exchange_modes(hex("02 01 07"));
  ASSERT_TRUE(modes);
  EXPECT_EQ(*modes, (std::vector{PskKeyExchangeMode::psk_dhe_ke, PskKeyExchangeMode{7}}));
  EXPECT_EQ(alert_of(parse_psk_key_exchange_modes(hex("00"))), AlertDescription::decode_error);
}

TEST(EarlyData, IsEmptyInHellosAndCarriesASizeInTickets) {
  EXPECT_TRUE(parse_early_data({}, CH));
  EXPECT_EQ(alert_of(parse_early_data(hex("00"), CH)), AlertDescription::decode_error);
  auto size = parse_early_data(hex("00004000"), ExtensionContext::new_session_ticket);
  ASSERT_TRUE(size);
  EXPECT_EQ(*size, 0x4000u);
}

TEST(RecordSizeLimit, RejectsValuesBelow64WithIllegalParameter) {
  EXPECT_EQ(alert_of(parse_record_size_limit(make_record_size_limit(63).data, CH)),
            AlertDescription::illegal_parameter);
  auto limit = parse_record_size_limit(make_record_size_limit(64).data, EE);
  ASSERT_TRUE(limit);
  EXPECT_EQ(*limit, 64);
  EXPECT_EQ(alert_of(parse_record_size_limit(hex("40"), CH)), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_record_size_limit(hex("400000"), CH)), AlertDescription::decode_error);
}

}  // namespace
}  // namespace duplex::tls
