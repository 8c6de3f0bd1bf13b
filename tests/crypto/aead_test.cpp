#include "duplex/crypto/aead.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "crypto_test_support.hpp"
#include "duplex/crypto/error.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;

struct Vector {
  AeadAlgorithm algorithm;
  const char* key;
  const char* nonce;
  const char* aad;
  std::vector<std::uint8_t> plaintext;
  const char* ciphertext;
  const char* tag;
};

std::array<std::uint8_t, kAeadNonceSize> nonce_of(const char* hex) {
  std::array<std::uint8_t, kAeadNonceSize> nonce{};
  const auto bytes = from_hex(hex);
  std::copy(bytes.begin(), bytes.end(), nonce.begin());
  return nonce;
}

void check_seal_and_open(const Vector& v) {
  auto key = AeadKey::create(v.algorithm, from_hex(v.key));
  ASSERT_TRUE(key.ok()) << key.error().message;
  const auto nonce = nonce_of(v.nonce);
  const auto aad = from_hex(v.aad);
  std::vector<std::uint8_t> buffer = v.plaintext;
  std::array<std::uint8_t, kAeadTagSize> tag{};
  ASSERT_TRUE(key->seal(nonce, aad, buffer, tag).ok());
  EXPECT_EQ(to_hex(buffer), v.ciphertext);
  EXPECT_EQ(to_hex(tag), v.tag);
  // The same key object opens (a fresh nonce per call re-initialises the same context).
  ASSERT_TRUE(key->open(nonce, aad, buffer, tag).ok());
  EXPECT_EQ(buffer, v.plaintext);
}

const char* kGcmKey = "feffe9928665731c6d6a8f9467308308";
const char* kGcmKey256 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
const char* kGcmNonce = "cafebabefacedbaddecaf888";
const char* kGcmAad = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
const char* kGcmPlaintext =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";

std::vector<std::uint8_t> gcm_plaintext(std::size_t size) {
  auto bytes = from_hex(kGcmPlaintext);
  bytes.resize(size);
  return bytes;
}

// McGrew & Viega, "The Galois/Counter Mode of Operation", appendix B, test case 3.
TEST(Aead, Aes128GcmMatchesGcmSpecCase3) {
  check_seal_and_open({AeadAlgorithm::aes_128_gcm, kGcmKey, kGcmNonce, "", gcm_plaintext(64),
                       "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                       "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
                       "4d5c2af327cd64a62cf35abd2ba6fab4"});
}

// Test case 4: with additional data and a partial last block.
TEST(Aead, Aes128GcmMatchesGcmSpecCase4) {
  check_seal_and_open({AeadAlgorithm::aes_128_gcm, kGcmKey, kGcmNonce, kGcmAad, gcm_plaintext(60),
                       "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                       "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
                       "5bc94fbc3221a5db94fae95ae7121a47"});
}

// Test case 15.
TEST(Aead, Aes256GcmMatchesGcmSpecCase15) {
  check_seal_and_open({AeadAlgorithm::aes_256_gcm, kGcmKey256, kGcmNonce, "", gcm_plaintext(64),
                       "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                       "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
                       "b094dac5d93471bdec1a502270e3cc6c"});
}

// Test case 16.
TEST(Aead, Aes256GcmMatchesGcmSpecCase16) {
  check_seal_and_open({AeadAlgorithm::aes_256_gcm, kGcmKey256, kGcmNonce, kGcmAad, gcm_plaintext(60),
                       "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                       "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
                       "76fc6ece0f4e1768cddf8853bb2d551b"});
}

// RFC 8439 §2.8.2.
TEST(Aead, ChaCha20Poly1305MatchesRfc8439) {
  const auto text = as_bytes(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      "sunscreen would be it.");
  check_seal_and_open({AeadAlgorithm::chacha20_poly1305,
                       "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
                       "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
                       std::vector<std::uint8_t>(text.begin(), text.end()),
                       "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                       "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                       "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                       "3ff4def08e4b7a9de576d26586cec64b6116",
                       "1ae10b594f09e26a7e902ecbd0600691"});
}

TEST(Aead, CreateRejectsWrongKeyLength) {
  auto key = AeadKey::create(AeadAlgorithm::aes_256_gcm, from_hex(kGcmKey));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(crypto_error_of(key.error()), CryptoError::invalid_length);
}

class AeadTamper : public ::testing::TestWithParam<AeadAlgorithm> {
 protected:
  void SetUp() override {
    std::vector<std::uint8_t> key_bytes(key_size(GetParam()), 0x42);
    auto key = AeadKey::create(GetParam(), key_bytes);
    ASSERT_TRUE(key.ok());
    key_.emplace(std::move(key).value());
    ciphertext_ = plaintext_;
    ASSERT_TRUE(key_->seal(nonce_, aad_, ciphertext_, tag_).ok());
  }

  // Opens a changed record: it must fail with authentication_failed and leave nothing readable.
  void expect_rejected(std::array<std::uint8_t, kAeadNonceSize> nonce, std::vector<std::uint8_t> aad,
                       std::vector<std::uint8_t> buffer, std::array<std::uint8_t, kAeadTagSize> tag) {
    auto opened = key_->open(nonce, aad, buffer, tag);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(crypto_error_of(opened.error()), CryptoError::authentication_failed);
    EXPECT_TRUE(std::all_of(buffer.begin(), buffer.end(), [](std::uint8_t b) { return b == 0; }))
        << "unauthenticated plaintext was left in the buffer";
    // The key still works for the genuine record afterwards.
    std::vector<std::uint8_t> good = ciphertext_;
    ASSERT_TRUE(key_->open(nonce_, aad_, good, tag_).ok());
    EXPECT_EQ(good, plaintext_);
  }

  std::optional<AeadKey> key_;
  std::array<std::uint8_t, kAeadNonceSize> nonce_ = nonce_of("000102030405060708090a0b");
  std::vector<std::uint8_t> aad_ = from_hex("1703030020");
  std::vector<std::uint8_t> plaintext_ = std::vector<std::uint8_t>(100, 0x61);
  std::vector<std::uint8_t> ciphertext_;
  std::array<std::uint8_t, kAeadTagSize> tag_{};
};

TEST_P(AeadTamper, SealingInTwoPartsFromAnotherBufferMatchesSealingInPlace) {
  // The first 61 bytes from a separate buffer into `out`, the last 39 where they lie: the same
  // ciphertext and tag as one in-place seal of all 100 (the parts meet inside an AES block).
  std::vector<std::uint8_t> out(plaintext_.size());
  std::copy(plaintext_.begin() + 61, plaintext_.end(), out.begin() + 61);
  std::array<std::uint8_t, kAeadTagSize> tag{};
  ASSERT_TRUE(key_->seal(nonce_, aad_, std::span(plaintext_).first(61), std::span(out).first(61),
                         std::span(out).subspan(61), tag)
                  .ok());
  EXPECT_EQ(out, ciphertext_);
  EXPECT_EQ(tag, tag_);
}

TEST_P(AeadTamper, RejectsChangedCiphertext) {
  auto changed = ciphertext_;
  changed[37] ^= 0x01;
  expect_rejected(nonce_, aad_, changed, tag_);
}

TEST_P(AeadTamper, RejectsChangedTag) {
  auto tag = tag_;
  tag[15] ^= 0x80;
  expect_rejected(nonce_, aad_, ciphertext_, tag);
}

TEST_P(AeadTamper, RejectsChangedAad) {
  auto aad = aad_;
  aad[4] ^= 0x01;
  expect_rejected(nonce_, aad, ciphertext_, tag_);
}

TEST_P(AeadTamper, RejectsWrongNonce) {
  auto nonce = nonce_;
  nonce[11] ^= 0x01;
  expect_rejected(nonce, aad_, ciphertext_, tag_);
}

TEST_P(AeadTamper, SealsAndOpensEmptyPlaintext) {
  std::vector<std::uint8_t> empty;
  std::array<std::uint8_t, kAeadTagSize> tag{};
  ASSERT_TRUE(key_->seal(nonce_, aad_, empty, tag).ok());
  EXPECT_TRUE(key_->open(nonce_, aad_, empty, tag).ok());
  tag[0] ^= 1;
  EXPECT_FALSE(key_->open(nonce_, aad_, empty, tag).ok());
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, AeadTamper,
                         ::testing::Values(AeadAlgorithm::aes_128_gcm, AeadAlgorithm::aes_256_gcm,
                                           AeadAlgorithm::chacha20_poly1305));

}  // namespace
}  // namespace duplex::crypto
