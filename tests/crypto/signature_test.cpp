#include "duplex/crypto/signature.hpp"

#include <gtest/gtest.h>

#include <map>

#include "crypto_test_support.hpp"
#include "duplex/crypto/error.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;

// One key of each type per test program: RSA generation takes a while.
const PrivateKey& key_of(KeyType type) {
  static const std::map<KeyType, PrivateKey> keys = [] {
    std::map<KeyType, PrivateKey> map;
    for (KeyType t : {KeyType::rsa, KeyType::ecdsa_p256, KeyType::ecdsa_p384, KeyType::ed25519}) {
      auto key = PrivateKey::generate(t);
      if (!key.ok()) throw std::runtime_error(key.error().message);
      map.emplace(t, std::move(key).value());
    }
    return map;
  }();
  return keys.at(type);
}

KeyType key_type_for(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::ecdsa_secp256r1_sha256:
      return KeyType::ecdsa_p256;
    case SignatureScheme::ecdsa_secp384r1_sha384:
      return KeyType::ecdsa_p384;
    case SignatureScheme::ed25519:
      return KeyType::ed25519;
    default:
      return KeyType::rsa;
  }
}

const auto kMessage = as_bytes("TLS 1.3, server CertificateVerify");

class SignatureRoundTrip : public ::testing::TestWithParam<SignatureScheme> {
 protected:
  const PrivateKey& key() const { return key_of(key_type_for(GetParam())); }
};

TEST_P(SignatureRoundTrip, SignedMessageVerifies) {
  auto signature = key().sign(GetParam(), kMessage);
  ASSERT_TRUE(signature.ok()) << signature.error().message;
  auto verified = key().public_key().verify(GetParam(), kMessage, *signature);
  EXPECT_TRUE(verified.ok()) << verified.error().message;
}

TEST_P(SignatureRoundTrip, VerifiesThroughSpkiDer) {
  auto signature = key().sign(GetParam(), kMessage);
  ASSERT_TRUE(signature.ok());
  auto public_key = PublicKey::from_spki_der(key().public_key().spki_der());
  ASSERT_TRUE(public_key.ok()) << public_key.error().message;
  EXPECT_EQ(public_key->type(), key_type_for(GetParam()));
  EXPECT_TRUE(public_key->verify(GetParam(), kMessage, *signature).ok());
}

TEST_P(SignatureRoundTrip, TamperedMessageFails) {
  auto signature = key().sign(GetParam(), kMessage);
  ASSERT_TRUE(signature.ok());
  auto changed = std::vector<std::uint8_t>(kMessage.begin(), kMessage.end());
  changed[3] ^= 0x20;
  auto verified = key().public_key().verify(GetParam(), changed, *signature);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(crypto_error_of(verified.error()), CryptoError::bad_signature);
}

TEST_P(SignatureRoundTrip, TamperedSignatureFails) {
  auto signature = key().sign(GetParam(), kMessage);
  ASSERT_TRUE(signature.ok());
  (*signature)[signature->size() / 2] ^= 0x01;
  auto verified = key().public_key().verify(GetParam(), kMessage, *signature);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(crypto_error_of(verified.error()), CryptoError::bad_signature);
  auto truncated = key().public_key().verify(GetParam(), kMessage, std::span(*signature).first(10));
  EXPECT_FALSE(truncated.ok());
  EXPECT_FALSE(key().public_key().verify(GetParam(), kMessage, {}).ok());
}

INSTANTIATE_TEST_SUITE_P(
    AllSchemes, SignatureRoundTrip,
    ::testing::Values(SignatureScheme::rsa_pss_rsae_sha256, SignatureScheme::rsa_pss_rsae_sha384,
                      SignatureScheme::rsa_pss_rsae_sha512, SignatureScheme::rsa_pkcs1_sha256,
                      SignatureScheme::rsa_pkcs1_sha384, SignatureScheme::rsa_pkcs1_sha512,
                      SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384,
                      SignatureScheme::ed25519),
    [](const auto& info) { return to_string(info.param); });

TEST(Signature, SchemeForAnotherCurveIsRejected) {
  const PrivateKey& p384 = key_of(KeyType::ecdsa_p384);
  auto signature = p384.sign(SignatureScheme::ecdsa_secp384r1_sha384, kMessage);
  ASSERT_TRUE(signature.ok());
  auto verified = p384.public_key().verify(SignatureScheme::ecdsa_secp256r1_sha256, kMessage, *signature);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(crypto_error_of(verified.error()), CryptoError::scheme_key_mismatch);
  auto signed_wrong = p384.sign(SignatureScheme::ecdsa_secp256r1_sha256, kMessage);
  ASSERT_FALSE(signed_wrong.ok());
  EXPECT_EQ(crypto_error_of(signed_wrong.error()), CryptoError::scheme_key_mismatch);
}

TEST(Signature, Tls12CurveRuleLetsAnEcdsaSchemeNameOnlyItsHash) {
  // RFC 5246 §7.4.1.4.1: in TLS 1.2 0x0403 is (SHA-256, ECDSA), so a P-384 key signs with it.
  const PrivateKey& p384 = key_of(KeyType::ecdsa_p384);
  auto signature = p384.sign(SignatureScheme::ecdsa_secp256r1_sha256, kMessage, CurveRule::any_curve);
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(
      p384.public_key().verify(SignatureScheme::ecdsa_secp256r1_sha256, kMessage, *signature, CurveRule::any_curve).ok());
  EXPECT_TRUE(scheme_fits_key(SignatureScheme::ecdsa_secp256r1_sha256, KeyType::ecdsa_p384, CurveRule::any_curve));
  // It is the hash: the same signature does not verify as SHA-384's.
  EXPECT_FALSE(
      p384.public_key().verify(SignatureScheme::ecdsa_secp384r1_sha384, kMessage, *signature, CurveRule::any_curve).ok());
  // Nothing but ECDSA keys is loosened.
  EXPECT_FALSE(scheme_fits_key(SignatureScheme::ecdsa_secp256r1_sha256, KeyType::ed25519, CurveRule::any_curve));
  EXPECT_FALSE(scheme_fits_key(SignatureScheme::ecdsa_secp256r1_sha256, KeyType::rsa, CurveRule::any_curve));
  EXPECT_FALSE(scheme_fits_key(SignatureScheme::rsa_pss_rsae_sha256, KeyType::ecdsa_p256, CurveRule::any_curve));
}

TEST(Signature, SchemeForAnotherKeyTypeIsRejected) {
  for (auto [scheme, type] : {std::pair{SignatureScheme::rsa_pss_rsae_sha256, KeyType::ecdsa_p256},
                              std::pair{SignatureScheme::ed25519, KeyType::rsa},
                              std::pair{SignatureScheme::ecdsa_secp256r1_sha256, KeyType::ed25519},
                              std::pair{SignatureScheme::rsa_pkcs1_sha256, KeyType::ed25519}}) {
    auto verified = key_of(type).public_key().verify(scheme, kMessage, from_hex("00"));
    ASSERT_FALSE(verified.ok());
    EXPECT_EQ(crypto_error_of(verified.error()), CryptoError::scheme_key_mismatch) << to_string(scheme);
    EXPECT_FALSE(scheme_fits_key(scheme, type));
  }
}

TEST(Signature, PssAndPkcs1AreNotInterchangeable) {
  const PrivateKey& rsa = key_of(KeyType::rsa);
  auto signature = rsa.sign(SignatureScheme::rsa_pkcs1_sha256, kMessage);
  ASSERT_TRUE(signature.ok());
  auto verified = rsa.public_key().verify(SignatureScheme::rsa_pss_rsae_sha256, kMessage, *signature);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(crypto_error_of(verified.error()), CryptoError::bad_signature);
}

TEST(Signature, UnsupportedSchemesAreRejected) {
  for (auto scheme : {SignatureScheme::ed448, SignatureScheme::rsa_pss_pss_sha256,
                      SignatureScheme::rsa_pkcs1_sha1, static_cast<SignatureScheme>(0xfefe)}) {
    auto signature = key_of(KeyType::rsa).sign(scheme, kMessage);
    ASSERT_FALSE(signature.ok());
    EXPECT_EQ(crypto_error_of(signature.error()), CryptoError::unsupported_algorithm);
    EXPECT_FALSE(is_supported(scheme));
  }
  EXPECT_EQ(to_string(static_cast<SignatureScheme>(0xfefe)), "0xfefe");
  EXPECT_EQ(to_string(SignatureScheme::rsa_pss_rsae_sha256), "rsa_pss_rsae_sha256");
}

// RFC 8032 §7.1, TEST 1: Ed25519 is deterministic, so this is a known answer.
TEST(Signature, Ed25519MatchesRfc8032Test1) {
  auto key = PrivateKey::from_pkcs8_der(
      from_hex("302e020100300506032b657004220420"
               "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->type(), KeyType::ed25519);
  EXPECT_EQ(to_hex(key->public_key().spki_der()),
            "302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto signature = key->sign(SignatureScheme::ed25519, {});
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(to_hex(*signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
            "d25bf5f0595bbe24655141438e7a100b");
}

TEST(Signature, ReadsTraditionalEcPrivateKeyDer) {
  auto key =
      PrivateKey::from_der(from_hex("30770201010420848531bd4d08138486b62ac5a07b6d3590e182b9ee76f7f71ae30df493"
                                    "64d4dda00a06082a8648ce3d030107a1440342"
                                    "0004709ba114e08050f45f3615ca4c9bbb5978923ece54cf119426e26c04fa55da2cfac2"
                                    "a2525f3db9cb68867edbd746e1c9c46318efe5"
                                    "4505ef976e3a69107cb4f7"));
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->type(), KeyType::ecdsa_p256);
  EXPECT_EQ(key->public_key().bits(), 256);
}

TEST(Signature, Pkcs8RoundTrip) {
  for (KeyType type : {KeyType::rsa, KeyType::ecdsa_p256, KeyType::ecdsa_p384, KeyType::ed25519}) {
    auto der = key_of(type).pkcs8_der();
    ASSERT_TRUE(der.ok()) << der.error().message;
    auto back = PrivateKey::from_pkcs8_der(der->bytes());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->type(), type);
    EXPECT_EQ(back->public_key().spki_der(), key_of(type).public_key().spki_der());
  }
  EXPECT_EQ(key_of(KeyType::rsa).public_key().bits(), 2048);
}

TEST(Signature, RejectsMalformedKeys) {
  auto spki = key_of(KeyType::ecdsa_p256).public_key().spki_der();
  spki.push_back(0);
  auto trailing = PublicKey::from_spki_der(spki);
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(crypto_error_of(trailing.error()), CryptoError::invalid_key);
  spki.resize(20);
  EXPECT_FALSE(PublicKey::from_spki_der(spki).ok());
  EXPECT_FALSE(PublicKey::from_spki_der({}).ok());
  auto garbage = PrivateKey::from_der(from_hex("3003020100"));
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(crypto_error_of(garbage.error()), CryptoError::invalid_key);
}

TEST(Signature, KeysAreSharedByCopy) {
  PrivateKey copy = key_of(KeyType::ecdsa_p256);
  PublicKey public_key = copy.public_key();
  PublicKey public_copy = public_key;
  auto signature = copy.sign(SignatureScheme::ecdsa_secp256r1_sha256, kMessage);
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(public_copy.verify(SignatureScheme::ecdsa_secp256r1_sha256, kMessage, *signature).ok());
}

}  // namespace
}  // namespace duplex::crypto
