// The server's and post-handshake messages: EncryptedExtensions (§4.3.1), CertificateRequest
// (§4.3.2), Certificate (§4.4.2), CertificateVerify (§4.4.3), Finished (§4.4.4),
// NewSessionTicket (§4.6.1), KeyUpdate (§4.6.3).
#include <gtest/gtest.h>

#include "duplex/tls/handshake_messages.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;

template <typename T>
AlertDescription alert_of(const Result<T>& result) {
  EXPECT_FALSE(result) << "parsed";
  return result ? AlertDescription::close_notify : result.error().alert;
}

TEST(EncryptedExtensions, RoundTrips) {
  const std::string protocol[] = {"h2"};
  const EncryptedExtensions message{{make_server_name_acknowledgement(), make_alpn(protocol),
                                     make_record_size_limit(1024)}};
  auto parsed = parse_encrypted_extensions(encode_encrypted_extensions(message));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, message);
  EXPECT_TRUE(parse_encrypted_extensions(hex("0000")));
}

TEST(EncryptedExtensions, RejectsAKeyShareWithIllegalParameter) {
  const EncryptedExtensions message{{make_key_share_hello_retry_request(NamedGroup::x25519)}};
  EXPECT_EQ(alert_of(parse_encrypted_extensions(encode_encrypted_extensions(message))),
            AlertDescription::illegal_parameter);
}

TEST(EncryptedExtensions, RejectsANonEmptyServerName) {
  EXPECT_EQ(alert_of(parse_encrypted_extensions(hex("0005 0000 0001 00"))), AlertDescription::decode_error);
}

TEST(EncryptedExtensions, RejectsTrailingBytes) {
  EXPECT_EQ(alert_of(parse_encrypted_extensions(hex("0000 00"))), AlertDescription::decode_error);
}

TEST(CertificateRequest, RoundTrips) {
  const SignatureScheme schemes[] = {SignatureScheme::ecdsa_secp256r1_sha256};
  const CertificateRequest message{hex("0102"),
                                   {make_signature_algorithms(ExtensionType::signature_algorithms, schemes),
                                    Extension{ExtensionType::oid_filters, hex("0000")}}};
  auto parsed = parse_certificate_request(encode_certificate_request(message));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, message);
}

TEST(CertificateRequest, RequiresSignatureAlgorithms) {
  const CertificateRequest message{{}, {Extension{ExtensionType::oid_filters, hex("0000")}}};
  EXPECT_EQ(alert_of(parse_certificate_request(encode_certificate_request(message))),
            AlertDescription::missing_extension);
}

TEST(CertificateRequest, RejectsAnEmptyExtensionsBlock) {
  EXPECT_EQ(alert_of(parse_certificate_request(hex("00 0000"))), AlertDescription::decode_error);
}

TEST(Certificate, RoundTripsWithPerEntryExtensions) {
  const Certificate message{{},
                            {CertificateEntry{hex("3003020101"), {Extension{ExtensionType::status_request, hex("01")}}},
                             CertificateEntry{hex("300102"), {}}}};
  auto parsed = parse_certificate(encode_certificate(message));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, message);
}

TEST(Certificate, AcceptsAnEmptyList) {
  auto parsed = parse_certificate(hex("00 000000"));
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->certificate_list.empty());
}

TEST(Certificate, RejectsEmptyCertData) {
  EXPECT_EQ(alert_of(parse_certificate(hex("00 000005 000000 0000"))), AlertDescription::decode_error);
}

TEST(Certificate, RejectsAnEntryExtensionTheTableDoesNotAllow) {
  const SignatureScheme schemes[] = {SignatureScheme::ed25519};
  const Certificate message{
      {}, {CertificateEntry{hex("30"), {make_signature_algorithms(ExtensionType::signature_algorithms, schemes)}}}};
  EXPECT_EQ(alert_of(parse_certificate(encode_certificate(message))), AlertDescription::illegal_parameter);
}

TEST(Certificate, RejectsAListLongerThanTheMessage) {
  EXPECT_EQ(alert_of(parse_certificate(hex("00 000009 000001 30 0000"))), AlertDescription::decode_error);
}

TEST(CertificateVerify, RoundTripsAndRejectsTrailingBytes) {
  const CertificateVerify message{SignatureScheme::rsa_pss_rsae_sha256, hex("abcdef")};
  auto body = encode_certificate_verify(message);
  auto parsed = parse_certificate_verify(body);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, message);
  body.push_back(0);
  EXPECT_EQ(alert_of(parse_certificate_verify(body)), AlertDescription::decode_error);
}

TEST(Finished, TakesExactlyTheHashLength) {
  const std::vector<std::uint8_t> verify_data(48, 0x42);
  auto parsed = parse_finished(verify_data, 48);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(encode_finished(*parsed), verify_data);
  EXPECT_EQ(alert_of(parse_finished(verify_data, 32)), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_finished(std::span(verify_data).first(31), 32)), AlertDescription::decode_error);
}

TEST(NewSessionTicket, RoundTrips) {
  const NewSessionTicket message{604800, 0x01020304, hex("00"), hex("aabbcc"),
                                 {Extension{ExtensionType::early_data, hex("00004000")}}};
  auto parsed = parse_new_session_ticket(encode_new_session_ticket(message));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, message);
}

TEST(NewSessionTicket, RejectsAnEmptyTicket) {
  EXPECT_EQ(alert_of(parse_new_session_ticket(hex("00000001 00000002 00 0000 0000"))),
            AlertDescription::decode_error);
}

TEST(NewSessionTicket, RejectsAKeyShareWithIllegalParameter) {
  const NewSessionTicket message{1, 2, {}, hex("01"), {make_key_share_hello_retry_request(NamedGroup::x25519)}};
  EXPECT_EQ(alert_of(parse_new_session_ticket(encode_new_session_ticket(message))),
            AlertDescription::illegal_parameter);
}

TEST(KeyUpdate, ParsesBothValues) {
  auto requested = parse_key_update(hex("01"));
  ASSERT_TRUE(requested);
  EXPECT_EQ(requested->request_update, KeyUpdateRequest::update_requested);
  EXPECT_EQ(encode_key_update(*requested), hex("01"));
  auto not_requested = parse_key_update(hex("00"));
  ASSERT_TRUE(not_requested);
  EXPECT_EQ(not_requested->request_update, KeyUpdateRequest::update_not_requested);
}

TEST(KeyUpdate, RejectsOtherValuesWithIllegalParameter) {
  auto result = parse_key_update(hex("02"));
  EXPECT_EQ(alert_of(result), AlertDescription::illegal_parameter);
  EXPECT_EQ(result.error().message,
            "the KeyUpdate's request_update is 0x02, neither update_not_requested nor update_requested "
            "(RFC 8446 §4.6.3)");
}

TEST(KeyUpdate, RejectsWrongLengthsWithDecodeError) {
  EXPECT_EQ(alert_of(parse_key_update({})), AlertDescription::decode_error);
  EXPECT_EQ(alert_of(parse_key_update(hex("0000"))), AlertDescription::decode_error);
}

TEST(TlsError, PrintsTheAlertAndTheSentence) {
  auto result = parse_key_update({});
  ASSERT_FALSE(result);
  EXPECT_EQ(to_string(result.error()), "decode_error: the KeyUpdate's request_update is truncated (RFC 8446 §4.6.3)");
}

}  // namespace
}  // namespace duplex::tls
