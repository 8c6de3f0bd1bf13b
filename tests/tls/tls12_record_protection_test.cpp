// TLS 1.2 AEAD record protection: known answers computed here with libcrypto's EVP directly (the
// RFC 5246 §6.2.3.3 additional data, the RFC 5288 / RFC 7905 nonces), the exact wire layout, round
// trips, and every rejection with its exact alert.
#include "duplex/tls/tls12_record_protection.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;
using Bytes = std::vector<std::uint8_t>;
using crypto::AeadAlgorithm;

Bytes bytes_of(std::span<const std::uint8_t> span) { return Bytes(span.begin(), span.end()); }

const Bytes kKey128 = hex("00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff");
const Bytes kKey256 =
    hex("f0 e1 d2 c3 b4 a5 96 87 78 69 5a 4b 3c 2d 1e 0f 0f 1e 2d 3c 4b 5a 69 78 87 96 a5 b4 c3 d2 e1 f0");
const Bytes kSalt = hex("de ad be ef");
const Bytes kChachaIv = hex("a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab");

const Bytes& key_for(AeadAlgorithm aead) { return aead == AeadAlgorithm::aes_128_gcm ? kKey128 : kKey256; }
const Bytes& iv_for(AeadAlgorithm aead) { return aead == AeadAlgorithm::chacha20_poly1305 ? kChachaIv : kSalt; }
std::size_t explicit_size(AeadAlgorithm aead) { return aead == AeadAlgorithm::chacha20_poly1305 ? 0 : 8; }

Tls12RecordProtection protection(AeadAlgorithm aead) {
  auto created = Tls12RecordProtection::create(aead, key_for(aead), iv_for(aead));
  EXPECT_TRUE(created) << to_string(created.error());
  return std::move(created).value();
}

Bytes be64(std::uint64_t value) {
  Bytes out(8);
  for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * (7 - i)));
  return out;
}

// The record, computed with EVP alone from the RFCs' formulas.
Bytes expected_record(AeadAlgorithm aead, std::uint64_t seq, ContentType type, const Bytes& plaintext) {
  Bytes nonce;
  if (aead == AeadAlgorithm::chacha20_poly1305) {
    nonce = kChachaIv;  // RFC 7905 §2: iv XOR (0^32 || seq_num)
    const Bytes seq_bytes = be64(seq);
    for (std::size_t i = 0; i < 8; ++i) nonce[4 + i] ^= seq_bytes[i];
  } else {
    nonce = kSalt;  // RFC 5288 §3: salt || nonce_explicit, the explicit part = seq_num
    const Bytes seq_bytes = be64(seq);
    nonce.insert(nonce.end(), seq_bytes.begin(), seq_bytes.end());
  }
  Bytes aad = be64(seq);  // RFC 5246 §6.2.3.3: seq_num || type || version || length
  aad.push_back(static_cast<std::uint8_t>(type));
  aad.push_back(0x03);
  aad.push_back(0x03);
  aad.push_back(static_cast<std::uint8_t>(plaintext.size() >> 8));
  aad.push_back(static_cast<std::uint8_t>(plaintext.size()));

  const EVP_CIPHER* cipher = aead == AeadAlgorithm::aes_128_gcm   ? EVP_aes_128_gcm()
                             : aead == AeadAlgorithm::aes_256_gcm ? EVP_aes_256_gcm()
                                                                  : EVP_chacha20_poly1305();
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes ciphertext(plaintext.size());
  Bytes tag(16);
  int length = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx, cipher, nullptr, key_for(aead).data(), nonce.data()), 1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx, nullptr, &length, aad.data(), static_cast<int>(aad.size())), 1);
  if (!plaintext.empty()) {
    EXPECT_EQ(EVP_EncryptUpdate(ctx, ciphertext.data(), &length, plaintext.data(), static_cast<int>(plaintext.size())),
              1);
  }
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx, tag.data(), &length), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag.data()), 1);
  EVP_CIPHER_CTX_free(ctx);

  const std::size_t fragment = explicit_size(aead) + plaintext.size() + 16;
  Bytes record = {static_cast<std::uint8_t>(type), 0x03, 0x03, static_cast<std::uint8_t>(fragment >> 8),
                  static_cast<std::uint8_t>(fragment)};
  if (aead != AeadAlgorithm::chacha20_poly1305) {
    const Bytes seq_bytes = be64(seq);
    record.insert(record.end(), seq_bytes.begin(), seq_bytes.end());
  }
  record.insert(record.end(), ciphertext.begin(), ciphertext.end());
  record.insert(record.end(), tag.begin(), tag.end());
  return record;
}

// Seals `content` with seal_from into a fresh buffer with spare room that must stay untouched.
Bytes seal(Tls12RecordProtection& sealer, ContentType type, const Bytes& content) {
  Bytes buffer(sealer.sealed_record_size(content.size()) + 7, 0xee);
  auto size = sealer.seal_from(type, content, buffer);
  EXPECT_TRUE(size) << to_string(size.error());
  if (!size) return {};
  EXPECT_EQ(*size, sealer.sealed_record_size(content.size()));
  for (std::size_t i = *size; i < buffer.size(); ++i) EXPECT_EQ(buffer[i], 0xee);
  buffer.resize(*size);
  return buffer;
}

AlertDescription open_alert(Tls12RecordProtection& opener, Bytes record) {
  auto opened = opener.open(record);
  EXPECT_FALSE(opened);
  return opened ? AlertDescription::close_notify : opened.error().alert;
}

// A header + fragment of `fragment_size` zero bytes (no valid tag: for checks made before decrypting).
Bytes bogus_record(ContentType type, std::size_t fragment_size) {
  Bytes record(kRecordHeaderSize + fragment_size, 0);
  record[0] = static_cast<std::uint8_t>(type);
  record[1] = 0x03;
  record[2] = 0x03;
  record[3] = static_cast<std::uint8_t>(fragment_size >> 8);
  record[4] = static_cast<std::uint8_t>(fragment_size);
  return record;
}

class Tls12RecordAllAeads : public ::testing::TestWithParam<AeadAlgorithm> {};

// --- known answers and wire layout ---

TEST_P(Tls12RecordAllAeads, SealMatchesEvpKnownAnswer) {
  const Bytes content = hex("68 65 6c 6c 6f 2c 20 54 4c 53 20 31 2e 32 0a");  // "hello, TLS 1.2\n"
  for (std::uint64_t seq : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0x0102030405060708}}) {
    for (ContentType type : {ContentType::application_data, ContentType::handshake, ContentType::alert}) {
      auto sealer = protection(GetParam());
      sealer.set_sequence_number_for_testing(seq);
      EXPECT_EQ(seal(sealer, type, content), expected_record(GetParam(), seq, type, content))
          << "seq " << seq << " type " << to_string(type);
    }
  }
}

TEST_P(Tls12RecordAllAeads, OpensEvpKnownAnswer) {
  const Bytes content(300, 0x42);
  auto opener = protection(GetParam());
  opener.set_sequence_number_for_testing(77);
  auto record = expected_record(GetParam(), 77, ContentType::handshake, content);
  auto opened = opener.open(record);
  ASSERT_TRUE(opened) << to_string(opened.error());
  EXPECT_EQ(opened->type, ContentType::handshake);
  EXPECT_EQ(bytes_of(opened->content), content);
  EXPECT_EQ(opened->content.data(), record.data() + kRecordHeaderSize + explicit_size(GetParam()));
  EXPECT_EQ(opener.sequence_number(), 78u);
}

TEST(Tls12RecordLayout, GcmCarriesTheSequenceNumberAsExplicitNonce) {
  auto sealer = protection(AeadAlgorithm::aes_128_gcm);
  EXPECT_EQ(sealer.content_offset(), 13u);
  EXPECT_EQ(sealer.sealed_record_size(10), 5u + 8 + 10 + 16);
  for (std::uint64_t seq = 0; seq < 3; ++seq) {
    auto record = seal(sealer, ContentType::application_data, Bytes(10, 1));
    ASSERT_EQ(record.size(), 39u);
    EXPECT_EQ(bytes_of(std::span(record).first(5)), hex("17 03 03 00 22"));  // 8 + 10 + 16 = 34
    EXPECT_EQ(bytes_of(std::span(record).subspan(5, 8)), be64(seq));
  }
  sealer.set_sequence_number_for_testing(0x1122334455667788);
  auto record = seal(sealer, ContentType::handshake, Bytes(1, 1));
  EXPECT_EQ(bytes_of(std::span(record).first(13)), hex("16 03 03 00 19 11 22 33 44 55 66 77 88"));
}

TEST(Tls12RecordLayout, ChachaHasNoExplicitNonce) {
  auto sealer = protection(AeadAlgorithm::chacha20_poly1305);
  EXPECT_EQ(sealer.content_offset(), 5u);
  EXPECT_EQ(sealer.sealed_record_size(10), 5u + 10 + 16);
  auto record = seal(sealer, ContentType::alert, hex("01 00"));
  ASSERT_EQ(record.size(), 5u + 2 + 16);
  EXPECT_EQ(bytes_of(std::span(record).first(5)), hex("15 03 03 00 12"));
}

// --- round trips ---

TEST_P(Tls12RecordAllAeads, RoundTripsEverySizeAndType) {
  auto sealer = protection(GetParam());
  auto opener = protection(GetParam());
  const std::size_t sizes[] = {0, 1, 15, 16, 17, 1000, kMaxPlaintextSize};
  const ContentType types[] = {ContentType::application_data, ContentType::handshake, ContentType::alert};
  std::uint64_t count = 0;
  for (std::size_t size : sizes) {
    for (ContentType type : types) {
      const Bytes content(size, static_cast<std::uint8_t>(size + 3));
      auto record = seal(sealer, type, content);
      // record_layer.hpp's reader frames it (it bounds only application_data as a TLSCiphertext:
      // a protected handshake or alert record over 2^14 bytes is left to the engine's 1.2 reader).
      if (type == ContentType::application_data || record.size() - kRecordHeaderSize <= kMaxPlaintextSize) {
        auto header = read_record_header(record);
        ASSERT_TRUE(header) << to_string(header.error());
        ASSERT_TRUE(header->has_value());
        EXPECT_EQ((*header)->record_size(), record.size());
      }
      auto opened = opener.open(record);
      ASSERT_TRUE(opened) << to_string(opened.error());
      EXPECT_EQ(opened->type, type);
      EXPECT_EQ(bytes_of(opened->content), content);
      ++count;
    }
  }
  EXPECT_EQ(sealer.sequence_number(), count);
  EXPECT_EQ(opener.sequence_number(), count);
}

TEST_P(Tls12RecordAllAeads, SealInPlaceMatchesSealFrom) {
  auto a = protection(GetParam());
  auto b = protection(GetParam());
  const Bytes content = hex("01 02 03 04 05 06 07 08 09");
  Bytes buffer(a.sealed_record_size(content.size()), 0);
  std::copy(content.begin(), content.end(), buffer.begin() + static_cast<std::ptrdiff_t>(a.content_offset()));
  auto size = a.seal(ContentType::handshake, buffer, content.size());
  ASSERT_TRUE(size) << to_string(size.error());
  EXPECT_EQ(*size, buffer.size());
  EXPECT_EQ(buffer, seal(b, ContentType::handshake, content));
}

TEST_P(Tls12RecordAllAeads, KeyBlockKeysWorkEachWayAndDiffer) {
  const auto cipher_suite = GetParam() == AeadAlgorithm::aes_128_gcm ? tls12_suites::ecdhe_rsa_with_aes_128_gcm_sha256
                            : GetParam() == AeadAlgorithm::aes_256_gcm
                                ? tls12_suites::ecdhe_rsa_with_aes_256_gcm_sha384
                                : tls12_suites::ecdhe_rsa_with_chacha20_poly1305_sha256;
  const auto suite = *Tls12Suite::from(cipher_suite);
  auto master = Tls12PreMasterSecret(suite, crypto::Secret(Bytes(32, 7))).derive_master_secret(Tls12Randoms{});
  const auto block = master.derive_key_block();
  auto client_writer = Tls12RecordProtection::from_write_keys(suite, block.client);
  auto client_reader = Tls12RecordProtection::from_write_keys(suite, block.client);
  auto server_reader = Tls12RecordProtection::from_write_keys(suite, block.server);
  auto record = seal(client_writer, ContentType::handshake, hex("14 00 00 0c 01 02 03 04 05 06 07 08 09 0a 0b 0c"));
  EXPECT_EQ(open_alert(server_reader, record), AlertDescription::bad_record_mac);
  EXPECT_TRUE(client_reader.open(record));
}

// --- tampering: each part of the record ---

TEST_P(Tls12RecordAllAeads, TamperedHeaderIsBadRecordMac) {
  auto sealer = protection(GetParam());
  const auto record = seal(sealer, ContentType::application_data, Bytes(40, 9));
  // The type and version are additional data: changing either breaks the tag.
  for (auto [at, value] : {std::pair<std::size_t, std::uint8_t>{0, 22}, {0, 21}, {2, 0x01}, {1, 0x02}}) {
    auto opener = protection(GetParam());
    auto tampered = record;
    tampered[at] = value;
    EXPECT_EQ(open_alert(opener, tampered), AlertDescription::bad_record_mac) << at << " " << int(value);
  }
}

TEST_P(Tls12RecordAllAeads, TamperedLengthFieldIsDecodeError) {
  // The length must match the record the caller framed; a shorter frame with its length adjusted
  // loses the tag's last byte and fails authentication.
  auto sealer = protection(GetParam());
  const auto record = seal(sealer, ContentType::application_data, Bytes(40, 9));
  auto opener = protection(GetParam());
  auto longer_field = record;
  longer_field[4] += 1;
  EXPECT_EQ(open_alert(opener, longer_field), AlertDescription::decode_error);
  auto truncated = Bytes(record.begin(), record.end() - 1);
  truncated[4] -= 1;
  EXPECT_EQ(open_alert(opener, truncated), AlertDescription::bad_record_mac);
}

TEST_P(Tls12RecordAllAeads, TamperedCiphertextOrTagIsBadRecordMacAndZeroed) {
  auto sealer = protection(GetParam());
  const auto record = seal(sealer, ContentType::application_data, Bytes(40, 9));
  const std::size_t content_at = kRecordHeaderSize + explicit_size(GetParam());
  for (std::size_t at : {content_at, content_at + 39, record.size() - 16, record.size() - 1}) {
    auto opener = protection(GetParam());
    auto tampered = record;
    tampered[at] ^= 0x01;
    auto opened = opener.open(tampered);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().alert, AlertDescription::bad_record_mac);
    EXPECT_NE(opened.error().message.find("RFC 5246 §6.2.3.3"), std::string::npos);
    for (std::size_t i = content_at; i < tampered.size() - 16; ++i) EXPECT_EQ(tampered[i], 0) << i;
    EXPECT_EQ(opener.sequence_number(), 0u);
  }
}

TEST(Tls12RecordProtection, TamperedExplicitNonceIsBadRecordMac) {
  for (auto aead : {AeadAlgorithm::aes_128_gcm, AeadAlgorithm::aes_256_gcm}) {
    auto sealer = protection(aead);
    const auto record = seal(sealer, ContentType::application_data, Bytes(40, 9));
    for (std::size_t at = kRecordHeaderSize; at < kRecordHeaderSize + 8; ++at) {
      auto opener = protection(aead);
      auto tampered = record;
      tampered[at] ^= 0x80;
      EXPECT_EQ(open_alert(opener, tampered), AlertDescription::bad_record_mac) << at;
    }
  }
}

// --- too short, too long ---

TEST(Tls12RecordProtection, GcmFragmentShorterThanExplicitNonceAndTagIsBadRecordMac) {
  auto opener = protection(AeadAlgorithm::aes_128_gcm);
  for (std::size_t fragment : {0u, 1u, 8u, 16u, 23u}) {
    auto record = bogus_record(ContentType::application_data, fragment);
    auto opened = opener.open(record);
    ASSERT_FALSE(opened) << fragment;
    EXPECT_EQ(opened.error().alert, AlertDescription::bad_record_mac) << fragment;
    EXPECT_NE(opened.error().message.find("explicit nonce"), std::string::npos);
  }
  // Exactly 8 + 16: an empty record, which a real tag authenticates.
  auto sealer = protection(AeadAlgorithm::aes_128_gcm);
  auto empty = seal(sealer, ContentType::application_data, {});
  ASSERT_EQ(empty.size(), kRecordHeaderSize + 24);
  auto opened = opener.open(empty);
  ASSERT_TRUE(opened) << to_string(opened.error());
  EXPECT_TRUE(opened->content.empty());
}

TEST(Tls12RecordProtection, ChachaFragmentShorterThanTagIsBadRecordMac) {
  auto opener = protection(AeadAlgorithm::chacha20_poly1305);
  for (std::size_t fragment : {0u, 8u, 15u})
    EXPECT_EQ(open_alert(opener, bogus_record(ContentType::application_data, fragment)),
              AlertDescription::bad_record_mac);
}

TEST(Tls12RecordProtection, RecordShorterThanHeaderIsDecodeError) {
  auto opener = protection(AeadAlgorithm::aes_128_gcm);
  EXPECT_EQ(open_alert(opener, hex("17 03 03 00")), AlertDescription::decode_error);
}

TEST_P(Tls12RecordAllAeads, FragmentOver2To14Plus2048IsRecordOverflow) {
  auto opener = protection(GetParam());
  EXPECT_EQ(open_alert(opener, bogus_record(ContentType::application_data, kTls12MaxCiphertextSize + 1)),
            AlertDescription::record_overflow);
}

TEST_P(Tls12RecordAllAeads, PlaintextOver2To14IsRecordOverflow) {
  // Under 2^14 + 2048 of fragment, but one byte over 2^14 of plaintext: refused before decrypting.
  auto opener = protection(GetParam());
  const std::size_t fragment = explicit_size(GetParam()) + kMaxPlaintextSize + 1 + 16;
  EXPECT_EQ(open_alert(opener, bogus_record(ContentType::application_data, fragment)),
            AlertDescription::record_overflow);
  // A full 2^14 one is fine.
  auto sealer = protection(GetParam());
  auto full = seal(sealer, ContentType::application_data, Bytes(kMaxPlaintextSize, 0x61));
  EXPECT_TRUE(opener.open(full));
}

TEST(Tls12RecordProtection, SealOver2To14IsRefused) {
  auto sealer = protection(AeadAlgorithm::aes_128_gcm);
  EXPECT_EQ(sealer.max_content_size(), kMaxPlaintextSize);
  const Bytes content(kMaxPlaintextSize + 1, 1);
  Bytes buffer(sealer.sealed_record_size(content.size()));
  auto sealed = sealer.seal_from(ContentType::application_data, content, buffer);
  ASSERT_FALSE(sealed);
  EXPECT_EQ(sealed.error().alert, AlertDescription::internal_error);
  EXPECT_EQ(sealer.sequence_number(), 0u);
}

// --- record_size_limit (RFC 8449 §4: the plaintext only in TLS 1.2) ---

TEST_P(Tls12RecordAllAeads, RecordSizeLimitIsEnforcedOnOpen) {
  auto sealer = protection(GetParam());
  auto opener = protection(GetParam());
  ASSERT_TRUE(opener.set_record_size_limit(64));
  auto fits = seal(sealer, ContentType::application_data, Bytes(64, 1));
  EXPECT_TRUE(opener.open(fits));
  auto too_big = seal(sealer, ContentType::application_data, Bytes(65, 1));
  EXPECT_EQ(open_alert(opener, too_big), AlertDescription::record_overflow);
}

TEST_P(Tls12RecordAllAeads, RecordSizeLimitIsEnforcedOnSeal) {
  auto sealer = protection(GetParam());
  ASSERT_TRUE(sealer.set_record_size_limit(64));
  EXPECT_EQ(sealer.record_size_limit(), 64u);
  EXPECT_EQ(sealer.max_content_size(), 64u);  // no content type byte counted in TLS 1.2
  Bytes buffer(sealer.sealed_record_size(65), 0);
  auto too_big = sealer.seal_from(ContentType::application_data, Bytes(65, 1), buffer);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().alert, AlertDescription::internal_error);
  EXPECT_EQ(sealer.sequence_number(), 0u);
  EXPECT_TRUE(sealer.seal_from(ContentType::application_data, Bytes(64, 1), buffer));
}

TEST(Tls12RecordProtection, RecordSizeLimitOutOfRangeIsRefused) {
  auto protection_ = protection(AeadAlgorithm::aes_128_gcm);
  EXPECT_FALSE(protection_.set_record_size_limit(63));
  EXPECT_FALSE(protection_.set_record_size_limit(kMaxPlaintextSize + 1));  // 2^14 + 1 is TLS 1.3's maximum
  EXPECT_TRUE(protection_.set_record_size_limit(64));
  EXPECT_TRUE(protection_.set_record_size_limit(kMaxPlaintextSize));
}

// --- sequence numbers: increment, replay, reorder, type binding ---

TEST_P(Tls12RecordAllAeads, ReplayedRecordFails) {
  auto sealer = protection(GetParam());
  auto opener = protection(GetParam());
  const auto record = seal(sealer, ContentType::application_data, Bytes(20, 5));
  auto first = record;
  ASSERT_TRUE(opener.open(first));
  EXPECT_EQ(opener.sequence_number(), 1u);
  // The same bytes again: the additional data now says seq 1 (for GCM the explicit nonce still says
  // 0, but the sequence number is implicit in the additional data).
  EXPECT_EQ(open_alert(opener, record), AlertDescription::bad_record_mac);
}

TEST_P(Tls12RecordAllAeads, ReorderedRecordsFail) {
  auto sealer = protection(GetParam());
  const auto r0 = seal(sealer, ContentType::application_data, Bytes(20, 0));
  const auto r1 = seal(sealer, ContentType::application_data, Bytes(20, 1));
  auto opener = protection(GetParam());
  EXPECT_EQ(open_alert(opener, r1), AlertDescription::bad_record_mac);
  auto in_order = protection(GetParam());
  auto a = r0;
  auto b = r1;
  EXPECT_TRUE(in_order.open(a));
  EXPECT_TRUE(in_order.open(b));
}

TEST_P(Tls12RecordAllAeads, RecordSealedAtAnotherSequenceNumberFails) {
  auto sealer = protection(GetParam());
  sealer.set_sequence_number_for_testing(5);
  const auto record = seal(sealer, ContentType::handshake, Bytes(20, 0));
  auto early = protection(GetParam());
  early.set_sequence_number_for_testing(4);
  EXPECT_EQ(open_alert(early, record), AlertDescription::bad_record_mac);
  auto right = protection(GetParam());
  right.set_sequence_number_for_testing(5);
  auto copy = record;
  EXPECT_TRUE(right.open(copy));
}

TEST_P(Tls12RecordAllAeads, ContentTypeIsBound) {
  // The same plaintext sealed as handshake and relabelled application_data fails.
  auto sealer = protection(GetParam());
  auto record = seal(sealer, ContentType::handshake, Bytes(20, 0));
  record[0] = static_cast<std::uint8_t>(ContentType::application_data);
  auto opener = protection(GetParam());
  EXPECT_EQ(open_alert(opener, record), AlertDescription::bad_record_mac);
}

TEST_P(Tls12RecordAllAeads, SequenceNumberNeverWraps) {
  auto sealer = protection(GetParam());
  sealer.set_sequence_number_for_testing(std::numeric_limits<std::uint64_t>::max() - 1);
  Bytes buffer(sealer.sealed_record_size(1), 0);
  ASSERT_TRUE(sealer.seal_from(ContentType::application_data, Bytes(1, 1), buffer));
  auto wrapped = sealer.seal_from(ContentType::application_data, Bytes(1, 1), buffer);
  ASSERT_FALSE(wrapped);
  EXPECT_EQ(wrapped.error().alert, AlertDescription::internal_error);

  auto opener = protection(GetParam());
  opener.set_sequence_number_for_testing(std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(open_alert(opener, expected_record(GetParam(), std::numeric_limits<std::uint64_t>::max(),
                                               ContentType::application_data, Bytes(4, 4))),
            AlertDescription::unexpected_message);
}

// --- types, buffers, keys ---

TEST_P(Tls12RecordAllAeads, ChangeCipherSpecOrUnknownTypeIsUnexpectedMessage) {
  // RFC 5246 §6: with no renegotiation, no change_cipher_spec is ever protected.
  for (auto type : {ContentType::change_cipher_spec, static_cast<ContentType>(0x42), ContentType::invalid}) {
    auto opener = protection(GetParam());
    EXPECT_EQ(open_alert(opener, expected_record(GetParam(), 0, type, hex("01"))),
              AlertDescription::unexpected_message);
    auto sealer = protection(GetParam());
    Bytes buffer(sealer.sealed_record_size(1), 0);
    auto sealed = sealer.seal_from(type, hex("01"), buffer);
    ASSERT_FALSE(sealed);
    EXPECT_EQ(sealed.error().alert, AlertDescription::internal_error);
  }
}

TEST_P(Tls12RecordAllAeads, SealIntoTooSmallBufferIsRefused) {
  auto sealer = protection(GetParam());
  Bytes buffer(sealer.sealed_record_size(10) - 1, 0);
  auto sealed = sealer.seal_from(ContentType::application_data, Bytes(10, 1), buffer);
  ASSERT_FALSE(sealed);
  EXPECT_EQ(sealed.error().alert, AlertDescription::internal_error);
  auto in_place = sealer.seal(ContentType::application_data, buffer, 10);
  ASSERT_FALSE(in_place);
  EXPECT_EQ(sealer.sequence_number(), 0u);
}

TEST(Tls12RecordProtection, BadKeyOrIvLengthIsRefused) {
  // GCM wants the 4-byte salt (not TLS 1.3's 12-byte iv), ChaCha20 the 12-byte IV.
  for (auto [aead, key, iv] : {std::tuple{AeadAlgorithm::aes_128_gcm, 16, 12},
                               {AeadAlgorithm::aes_128_gcm, 16, 8},
                               {AeadAlgorithm::aes_256_gcm, 32, 0},
                               {AeadAlgorithm::chacha20_poly1305, 32, 4},
                               {AeadAlgorithm::aes_128_gcm, 15, 4},
                               {AeadAlgorithm::chacha20_poly1305, 16, 12}}) {
    auto created = Tls12RecordProtection::create(aead, Bytes(static_cast<std::size_t>(key), 0),
                                                 Bytes(static_cast<std::size_t>(iv), 0));
    ASSERT_FALSE(created) << crypto::to_string(aead) << " " << key << " " << iv;
    EXPECT_EQ(created.error().alert, AlertDescription::internal_error);
  }
}

INSTANTIATE_TEST_SUITE_P(Tls12Record, Tls12RecordAllAeads,
                         ::testing::Values(AeadAlgorithm::aes_128_gcm, AeadAlgorithm::aes_256_gcm,
                                           AeadAlgorithm::chacha20_poly1305),
                         [](const auto& info) {
                           switch (info.param) {
                             case AeadAlgorithm::aes_128_gcm:
                               return std::string("Aes128Gcm");
                             case AeadAlgorithm::aes_256_gcm:
                               return std::string("Aes256Gcm");
                             case AeadAlgorithm::chacha20_poly1305:
                               return std::string("Chacha20Poly1305");
                           }
                           return std::string("Unknown");
                         });

}  // namespace
}  // namespace duplex::tls
