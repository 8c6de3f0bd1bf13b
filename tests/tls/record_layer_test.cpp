// The TLS 1.3 record layer: RFC 8448 §3's protected records opened and re-sealed byte for byte,
// round trips, and every rejection with its exact alert.
#include "duplex/tls/record_layer.hpp"
#include "duplex/tls/tls13_record_protection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "rfc8448_trace.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;
using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(std::span<const std::uint8_t> span) { return Bytes(span.begin(), span.end()); }

Tls13RecordProtection aes128(const char* key, const char* iv) {
  auto protection = Tls13RecordProtection::from_key_and_iv(crypto::AeadAlgorithm::aes_128_gcm, hex(key), hex(iv));
  EXPECT_TRUE(protection);
  return std::move(protection).value();
}

// RFC 8448 §3's traffic keys.
Tls13RecordProtection server_handshake() {
  return aes128("3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc", "5d 31 3e b2 67 12 76 ee 13 00 0b 30");
}
Tls13RecordProtection client_handshake() {
  return aes128("db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01", "5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f");
}
Tls13RecordProtection client_application() {
  return aes128("17 42 2d da 59 6e d5 d9 ac d8 90 e3 c6 3f 50 51", "5b 78 92 3d ee 08 57 90 33 e5 23 d9");
}
Tls13RecordProtection server_application() {
  return aes128("9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56", "cf 78 2b 88 dd 83 54 9a ad f1 e9 84");
}

// Seals `content` into a fresh buffer and returns the record.
Bytes seal(Tls13RecordProtection& protection, ContentType type, const Bytes& content, std::size_t padding = 0) {
  Bytes buffer(tls13_sealed_record_size(content.size(), padding) + 7, 0xee);  // spare room must stay untouched
  std::copy(content.begin(), content.end(), buffer.begin() + kRecordHeaderSize);
  auto size = protection.seal(type, buffer, content.size(), padding);
  EXPECT_TRUE(size) << to_string(size.error());
  if (!size) return {};
  EXPECT_EQ(*size, tls13_sealed_record_size(content.size(), padding));
  for (std::size_t i = *size; i < buffer.size(); ++i) EXPECT_EQ(buffer[i], 0xee);
  buffer.resize(*size);
  return buffer;
}

AlertDescription open_alert(Tls13RecordProtection& protection, Bytes record) {
  auto opened = protection.open(record);
  EXPECT_FALSE(opened);
  return opened ? AlertDescription::close_notify : opened.error().alert;
}

AlertDescription header_alert(const Bytes& input) {
  auto header = read_record_header(input);
  EXPECT_FALSE(header);
  return header ? AlertDescription::close_notify : header.error().alert;
}

// --- RFC 8448 §3 known answers ---

TEST(RecordRfc8448, OpensServerHandshakeFlight) {
  auto record = test::rfc8448::server_handshake_record();
  ASSERT_EQ(record.size(), 679u);
  auto protection = server_handshake();
  auto opened = protection.open(record);
  ASSERT_TRUE(opened) << to_string(opened.error());
  EXPECT_EQ(opened->type, ContentType::handshake);
  ASSERT_EQ(opened->content.size(), 657u);
  // EncryptedExtensions (40 octets) first, as the trace shows it; Finished (36 octets) last.
  EXPECT_EQ(bytes_of(opened->content.first(40)),
            hex("08 00 00 24 00 22 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04"
                "00 1c 00 02 40 01 00 00 00 00"));
  EXPECT_EQ(bytes_of(opened->content.last(36).first(4)), hex("14 00 00 20"));
  // The content is a view into the record buffer, just after the header.
  EXPECT_EQ(opened->content.data(), record.data() + kRecordHeaderSize);
  EXPECT_EQ(protection.sequence_number(), 1u);
}

TEST(RecordRfc8448, SealsServerHandshakeFlightByteForByte) {
  const auto record = test::rfc8448::server_handshake_record();
  auto copy = record;
  auto opened = server_handshake().open(copy);
  ASSERT_TRUE(opened) << to_string(opened.error());
  auto sealer = server_handshake();
  EXPECT_EQ(seal(sealer, ContentType::handshake, bytes_of(opened->content)), record);
}

TEST(RecordRfc8448, ClientFinishedRecordBothWays) {
  auto record = test::rfc8448::client_finished_record();
  auto copy = record;
  auto opened = client_handshake().open(copy);
  ASSERT_TRUE(opened) << to_string(opened.error());
  EXPECT_EQ(opened->type, ContentType::handshake);
  EXPECT_EQ(bytes_of(opened->content),
            hex("14 00 00 20 a8 ec 43 6d 67 76 34 ae 52 5a c1 fc eb e1 1a 03 9e c1 76 94 fa c6 e9 85 27 b6 42 f2"
                "ed d5 ce 61"));
  auto sealer = client_handshake();
  EXPECT_EQ(seal(sealer, ContentType::handshake, bytes_of(opened->content)), record);
}

TEST(RecordRfc8448, ClientApplicationDataBothWays) {
  auto record = test::rfc8448::client_application_data_record();
  auto copy = record;
  auto opened = client_application().open(copy);
  ASSERT_TRUE(opened) << to_string(opened.error());
  EXPECT_EQ(opened->type, ContentType::application_data);
  EXPECT_EQ(bytes_of(opened->content), test::rfc8448::application_data());
  auto sealer = client_application();
  EXPECT_EQ(seal(sealer, ContentType::application_data, test::rfc8448::application_data()), record);
}

TEST(RecordRfc8448, SealingFromTheApplicationsBufferMatchesTheTrace) {
  // seal_from encrypts the content where the application keeps it, straight into the record.
  const auto content = test::rfc8448::application_data();
  Bytes record(tls13_sealed_record_size(content.size()));
  auto sealer = client_application();
  auto size = sealer.seal_from(ContentType::application_data, content, record);
  ASSERT_TRUE(size);
  EXPECT_EQ(*size, record.size());
  EXPECT_EQ(record, test::rfc8448::client_application_data_record());
}

TEST(RecordRfc8448, ServerApplicationDataAtSequenceOne) {
  auto record = test::rfc8448::server_application_data_record();
  auto opener = server_application();
  opener.set_sequence_number_for_testing(1);
  auto copy = record;
  auto opened = opener.open(copy);
  ASSERT_TRUE(opened) << to_string(opened.error());
  EXPECT_EQ(opened->type, ContentType::application_data);
  EXPECT_EQ(bytes_of(opened->content), test::rfc8448::application_data());
  EXPECT_EQ(opener.sequence_number(), 2u);

  auto sealer = server_application();
  sealer.set_sequence_number_for_testing(1);
  EXPECT_EQ(seal(sealer, ContentType::application_data, test::rfc8448::application_data()), record);
}

TEST(RecordRfc8448, RecordAtTheWrongSequenceNumberIsBadRecordMac) {
  auto opener = client_application();
  opener.set_sequence_number_for_testing(1);
  auto record = test::rfc8448::client_application_data_record();
  EXPECT_EQ(open_alert(opener, record), AlertDescription::bad_record_mac);
}

TEST(RecordRfc8448, FromTrafficSecretDerivesTheTraceKeys) {
  // "{server}  derive write traffic keys for application data" from server_application_traffic_secret_0.
  const auto suite = *Tls13Suite::from(CipherSuite::tls_aes_128_gcm_sha256);
  const crypto::Secret secret(
      hex("a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32 82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb 63 16 43"));
  auto opener = Tls13RecordProtection::from_traffic_secret(suite, secret);
  opener.set_sequence_number_for_testing(1);
  auto record = test::rfc8448::server_application_data_record();
  auto opened = opener.open(record);
  ASSERT_TRUE(opened) << to_string(opened.error());
  EXPECT_EQ(bytes_of(opened->content), test::rfc8448::application_data());
}

// --- round trips ---

class RecordRoundTrip : public ::testing::TestWithParam<CipherSuite> {};

TEST_P(RecordRoundTrip, SealThenOpenWithPaddingAndSequence) {
  const auto suite = *Tls13Suite::from(GetParam());
  const crypto::Secret secret(Bytes(suite.hash_size(), 0x5a));
  auto sealer = Tls13RecordProtection::from_traffic_secret(suite, secret);
  auto opener = Tls13RecordProtection::from_traffic_secret(suite, secret);
  for (std::size_t i = 0; i < 5; ++i) {
    const Bytes content(i * 100, static_cast<std::uint8_t>(i + 1));
    auto record = seal(sealer, ContentType::application_data, content, i * 7);
    auto header = read_record_header(record);
    ASSERT_TRUE(header);
    ASSERT_TRUE(header->has_value());
    EXPECT_EQ((*header)->record_size(), record.size());
    auto opened = opener.open(record);
    ASSERT_TRUE(opened) << to_string(opened.error());
    EXPECT_EQ(opened->type, ContentType::application_data);
    EXPECT_EQ(bytes_of(opened->content), content);
  }
  EXPECT_EQ(sealer.sequence_number(), 5u);
  EXPECT_EQ(opener.sequence_number(), 5u);
}

TEST_P(RecordRoundTrip, KeyUpdateChangesTheKeys) {
  const auto suite = *Tls13Suite::from(GetParam());
  const crypto::Secret secret(Bytes(suite.hash_size(), 0x5a));
  auto sealer = Tls13RecordProtection::from_traffic_secret(suite, next_traffic_secret(suite, secret));
  auto old_opener = Tls13RecordProtection::from_traffic_secret(suite, secret);
  auto new_opener = Tls13RecordProtection::from_traffic_secret(suite, next_traffic_secret(suite, secret));
  auto record = seal(sealer, ContentType::alert, hex("01 00"));
  EXPECT_EQ(open_alert(old_opener, record), AlertDescription::bad_record_mac);
  auto opened = new_opener.open(record);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->type, ContentType::alert);
}

INSTANTIATE_TEST_SUITE_P(RecordAllSuites, RecordRoundTrip,
                         ::testing::Values(CipherSuite::tls_aes_128_gcm_sha256, CipherSuite::tls_aes_256_gcm_sha384,
                                           CipherSuite::tls_chacha20_poly1305_sha256));

TEST(Tls13RecordProtection, EmptyApplicationDataIsAllowed) {
  auto sealer = client_application();
  auto opener = client_application();
  auto record = seal(sealer, ContentType::application_data, {});
  auto opened = opener.open(record);
  ASSERT_TRUE(opened);
  EXPECT_TRUE(opened->content.empty());
}

TEST(Tls13RecordProtection, FullSizeRecordRoundTrips) {
  auto sealer = client_application();
  auto opener = client_application();
  const Bytes content(kMaxPlaintextSize, 0x61);
  auto record = seal(sealer, ContentType::application_data, content);
  ASSERT_EQ(record.size(), kRecordHeaderSize + kMaxPlaintextSize + 1 + kRecordTagSize);
  auto opened = opener.open(record);
  ASSERT_TRUE(opened) << to_string(opened.error());
  EXPECT_EQ(opened->content.size(), kMaxPlaintextSize);
}

// --- open() failures, each with its alert ---

TEST(Tls13RecordProtection, TamperedRecordIsBadRecordMacAndZeroed) {
  auto opener = client_application();
  auto record = test::rfc8448::client_application_data_record();
  record[20] ^= 0x01;
  auto opened = opener.open(record);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().alert, AlertDescription::bad_record_mac);
  for (std::size_t i = kRecordHeaderSize; i < record.size() - kRecordTagSize; ++i) EXPECT_EQ(record[i], 0) << i;
  EXPECT_EQ(opener.sequence_number(), 0u);
}

TEST(Tls13RecordProtection, TamperedHeaderIsBadRecordMac) {
  // The header is the AAD: 0x0303 → 0x0301 breaks the tag.
  auto opener = client_application();
  auto record = test::rfc8448::client_application_data_record();
  record[2] = 0x01;
  EXPECT_EQ(open_alert(opener, record), AlertDescription::bad_record_mac);
}

TEST(Tls13RecordProtection, TooShortForTagIsBadRecordMac) {
  auto opener = client_application();
  EXPECT_EQ(open_alert(opener, hex("17 03 03 00 10"
                                   "00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff")),
            AlertDescription::bad_record_mac);
  EXPECT_EQ(open_alert(opener, hex("17 03 03 00 00")), AlertDescription::bad_record_mac);
}

TEST(Tls13RecordProtection, CiphertextOver2To14Plus256IsRecordOverflow) {
  auto opener = client_application();
  Bytes record(kRecordHeaderSize + kMaxCiphertextSize + 1, 0);
  record[0] = 23;
  record[1] = 3;
  record[2] = 3;
  record[3] = static_cast<std::uint8_t>((kMaxCiphertextSize + 1) >> 8);
  record[4] = static_cast<std::uint8_t>(kMaxCiphertextSize + 1);
  EXPECT_EQ(open_alert(opener, record), AlertDescription::record_overflow);
}

TEST(Tls13RecordProtection, InnerPlaintextOver2To14Plus1IsRecordOverflow) {
  // RFC 8446 §5.4: a peer that pads past 2^14 + 1 bytes of TLSInnerPlaintext, though its
  // ciphertext stays under 2^14 + 256. Checked before decrypting, so the bytes need no valid tag.
  auto opener = client_application();
  const std::size_t encrypted = kMaxInnerPlaintextSize + 1 + kRecordTagSize;
  Bytes record(kRecordHeaderSize + encrypted, 0);
  record[0] = 23;
  record[1] = 3;
  record[2] = 3;
  record[3] = static_cast<std::uint8_t>(encrypted >> 8);
  record[4] = static_cast<std::uint8_t>(encrypted);
  EXPECT_EQ(open_alert(opener, record), AlertDescription::record_overflow);
}

TEST(Tls13RecordProtection, RecordSizeLimitIsEnforcedOnOpen) {
  // RFC 8449: with a limit of 64, a 64-byte TLSInnerPlaintext passes and a 65-byte one overflows.
  auto sealer = client_application();
  auto opener = client_application();
  ASSERT_TRUE(opener.set_record_size_limit(64));
  auto fits = seal(sealer, ContentType::application_data, Bytes(63, 1));
  EXPECT_TRUE(opener.open(fits));
  auto too_big = seal(sealer, ContentType::application_data, Bytes(64, 1));
  EXPECT_EQ(open_alert(opener, too_big), AlertDescription::record_overflow);
}

TEST(Tls13RecordProtection, RecordSizeLimitIsEnforcedOnSeal) {
  auto sealer = client_application();
  ASSERT_TRUE(sealer.set_record_size_limit(64));
  EXPECT_EQ(sealer.max_content_size(), 63u);
  EXPECT_EQ(sealer.max_content_size(10), 53u);
  Bytes buffer(tls13_sealed_record_size(64), 0);
  auto sealed = sealer.seal(ContentType::application_data, buffer, 64);
  ASSERT_FALSE(sealed);
  EXPECT_EQ(sealed.error().alert, AlertDescription::internal_error);
  auto padded = sealer.seal(ContentType::application_data, buffer, 60, 4);
  ASSERT_FALSE(padded);
  EXPECT_EQ(sealer.sequence_number(), 0u);
}

TEST(Tls13RecordProtection, RecordSizeLimitOutOfRangeIsRefused) {
  auto protection = client_application();
  EXPECT_FALSE(protection.set_record_size_limit(63));
  EXPECT_FALSE(protection.set_record_size_limit(kMaxInnerPlaintextSize + 1));
  EXPECT_TRUE(protection.set_record_size_limit(kMaxInnerPlaintextSize));
}

TEST(Tls13RecordProtection, SealIntoTooSmallBufferIsRefused) {
  auto sealer = client_application();
  Bytes buffer(tls13_sealed_record_size(10) - 1, 0);
  auto sealed = sealer.seal(ContentType::application_data, buffer, 10);
  ASSERT_FALSE(sealed);
  EXPECT_EQ(sealed.error().alert, AlertDescription::internal_error);
}

TEST(Tls13RecordProtection, AllZeroInnerPlaintextIsUnexpectedMessage) {
  // Seal content 00 00 00 with "type" 0: the receiver finds no non-zero byte.
  auto sealer = client_application();
  auto opener = client_application();
  auto record = seal(sealer, ContentType::invalid, Bytes(3, 0), 5);
  EXPECT_EQ(open_alert(opener, record), AlertDescription::unexpected_message);
}

TEST(Tls13RecordProtection, PaddingIsStrippedFromTheEnd) {
  // Content ending in zeros keeps them: only the bytes after the type byte are padding.
  auto sealer = client_application();
  auto opener = client_application();
  const Bytes content = hex("01 00 00");
  auto record = seal(sealer, ContentType::handshake, content, 100);
  auto opened = opener.open(record);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->type, ContentType::handshake);
  EXPECT_EQ(bytes_of(opened->content), content);
}

TEST(Tls13RecordProtection, ProtectedChangeCipherSpecIsUnexpectedMessage) {
  auto sealer = client_application();
  auto opener = client_application();
  auto record = seal(sealer, ContentType::change_cipher_spec, hex("01"));
  EXPECT_EQ(open_alert(opener, record), AlertDescription::unexpected_message);
}

TEST(Tls13RecordProtection, UnknownInnerContentTypeIsUnexpectedMessage) {
  auto sealer = client_application();
  auto opener = client_application();
  auto record = seal(sealer, static_cast<ContentType>(0x42), hex("01"));
  EXPECT_EQ(open_alert(opener, record), AlertDescription::unexpected_message);
}

TEST(Tls13RecordProtection, OuterTypeOtherThanApplicationDataIsUnexpectedMessage) {
  auto opener = client_application();
  auto record = test::rfc8448::client_application_data_record();
  record[0] = 22;
  EXPECT_EQ(open_alert(opener, record), AlertDescription::unexpected_message);
}

TEST(Tls13RecordProtection, LengthFieldNotMatchingTheRecordIsDecodeError) {
  auto opener = client_application();
  auto record = test::rfc8448::client_application_data_record();
  record.push_back(0);
  EXPECT_EQ(open_alert(opener, record), AlertDescription::decode_error);
}

TEST(Tls13RecordProtection, SequenceNumberNeverWraps) {
  auto sealer = client_application();
  sealer.set_sequence_number_for_testing(std::numeric_limits<std::uint64_t>::max() - 1);
  Bytes buffer(tls13_sealed_record_size(1), 0);
  ASSERT_TRUE(sealer.seal(ContentType::application_data, buffer, 1));
  auto wrapped = sealer.seal(ContentType::application_data, buffer, 1);
  ASSERT_FALSE(wrapped);
  EXPECT_EQ(wrapped.error().alert, AlertDescription::internal_error);

  auto opener = client_application();
  opener.set_sequence_number_for_testing(std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(open_alert(opener, test::rfc8448::client_application_data_record()), AlertDescription::unexpected_message);
}

TEST(Tls13RecordProtection, AesGcmAsksForKeyUpdateAfter2To24Point5Records) {
  auto aes = client_application();
  EXPECT_FALSE(aes.key_update_due());
  aes.set_sequence_number_for_testing(23726566);
  EXPECT_TRUE(aes.key_update_due());
  const auto chacha_suite = *Tls13Suite::from(CipherSuite::tls_chacha20_poly1305_sha256);
  auto chacha = Tls13RecordProtection::from_traffic_secret(chacha_suite, crypto::Secret(Bytes(32, 1)));
  chacha.set_sequence_number_for_testing(23726566);
  EXPECT_FALSE(chacha.key_update_due());
}

TEST(Tls13RecordProtection, BadKeyOrIvLengthIsRefused) {
  auto bad_iv = Tls13RecordProtection::from_key_and_iv(crypto::AeadAlgorithm::aes_128_gcm, Bytes(16, 0), Bytes(11, 0));
  ASSERT_FALSE(bad_iv);
  EXPECT_EQ(bad_iv.error().alert, AlertDescription::internal_error);
  auto bad_key = Tls13RecordProtection::from_key_and_iv(crypto::AeadAlgorithm::aes_128_gcm, Bytes(15, 0), Bytes(12, 0));
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error().alert, AlertDescription::internal_error);
}

// --- the record header reader ---

TEST(RecordHeader, NeedsFiveBytes) {
  for (std::size_t size = 0; size < kRecordHeaderSize; ++size) {
    auto header = read_record_header(Bytes(size, 0x16));
    ASSERT_TRUE(header);
    EXPECT_FALSE(header->has_value());
  }
}

TEST(RecordHeader, ReadsRfc8448ServerFlightHeader) {
  auto record = test::rfc8448::server_handshake_record();
  auto header = read_record_header(std::span(record).first(5));
  ASSERT_TRUE(header);
  ASSERT_TRUE(header->has_value());
  EXPECT_EQ(**header, (RecordHeader{ContentType::application_data, 0x0303, 674}));
  EXPECT_EQ((*header)->record_size(), record.size());
  EXPECT_EQ(encode_record_header(**header), (std::array<std::uint8_t, 5>{0x17, 0x03, 0x03, 0x02, 0xa2}));
}

TEST(RecordHeader, AnyLegacyRecordVersion0x03xxIsAccepted) {
  // RFC 8446 §5.1: legacy_record_version "MUST be ignored for all purposes" — on every record,
  // in either direction (RFC 8448 §3's ClientHello record says 0x0301; SSL 3.0-era stacks and
  // conformance tools send 0x0300).
  for (const char* bytes : {"16 03 00 00 c4", "16 03 01 00 c4", "16 03 02 00 c4", "16 03 03 00 c4", "16 03 04 00 c4",
                            "17 03 ff 00 c4"}) {
    auto header = read_record_header(hex(bytes));
    ASSERT_TRUE(header) << bytes << ": " << to_string(header.error());
    ASSERT_TRUE(header->has_value());
    EXPECT_EQ((*header)->length, 0xc4);
  }
}

TEST(RecordHeader, MajorVersionOtherThan3IsProtocolVersion) {
  // Not TLS framing at all (SSL 2, a corrupted stream): refused before any body is buffered.
  EXPECT_EQ(header_alert(hex("16 02 00 00 10")), AlertDescription::protocol_version);
  EXPECT_EQ(header_alert(hex("16 04 03 00 10")), AlertDescription::protocol_version);
  EXPECT_EQ(header_alert(hex("17 00 00 00 10")), AlertDescription::protocol_version);
}

TEST(RecordHeader, PlainHttpIsNamedAsNotTls) {
  // "GET /" on a TLS port: an unknown content type (RFC 8446 §5), named for what it is.
  auto header = read_record_header(hex("47 45 54 20 2f"));
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().alert, AlertDescription::unexpected_message);
  EXPECT_NE(header.error().message.find("not TLS"), std::string::npos) << header.error().message;
}

TEST(RecordHeader, UnknownContentTypeIsUnexpectedMessage) {
  EXPECT_EQ(header_alert(hex("18 03 03 00 10")), AlertDescription::unexpected_message);
  EXPECT_EQ(header_alert(hex("00 03 03 00 10")), AlertDescription::unexpected_message);
}

TEST(RecordHeader, PlaintextOver2To14IsRecordOverflow) {
  auto ok = read_record_header(hex("16 03 03 40 00"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(header_alert(hex("16 03 03 40 01")), AlertDescription::record_overflow);
  EXPECT_EQ(header_alert(hex("15 03 03 40 01")), AlertDescription::record_overflow);
}

TEST(RecordHeader, CiphertextOver2To14Plus256IsRecordOverflow) {
  auto ok = read_record_header(hex("17 03 03 41 00"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(header_alert(hex("17 03 03 41 01")), AlertDescription::record_overflow);
}

TEST(RecordHeader, EmptyHandshakeAlertOrCcsRecordIsUnexpectedMessage) {
  // RFC 8446 §5.4: "Implementations MUST NOT send Handshake and Alert records that have a
  // zero-length TLSInnerPlaintext.content; if such a message is received, the receiving
  // implementation MUST terminate the connection with an "unexpected_message" alert." §5: a
  // change_cipher_spec other than the byte 0x01 is unexpected_message too.
  EXPECT_EQ(header_alert(hex("16 03 03 00 00")), AlertDescription::unexpected_message);
  EXPECT_EQ(header_alert(hex("15 03 03 00 00")), AlertDescription::unexpected_message);
  EXPECT_EQ(header_alert(hex("14 03 03 00 00")), AlertDescription::unexpected_message);
}

TEST(RecordHeader, EmptyApplicationDataRecordIsRead) {
  // RFC 8446 §5.1: "Zero-length fragments of Application Data MAY be sent" (the AEAD then
  // decides: a protected record is never shorter than its tag).
  auto header = read_record_header(hex("17 03 03 00 00"));
  ASSERT_TRUE(header);
  ASSERT_TRUE(header->has_value());
}

TEST(RecordHeader, ErrorsCarryASentenceCitingTheRfc) {
  auto header = read_record_header(hex("16 03 03 40 01"));
  ASSERT_FALSE(header);
  EXPECT_NE(header.error().message.find("RFC 8446 §5.1"), std::string::npos) << header.error().message;
}

}  // namespace
}  // namespace duplex::tls
