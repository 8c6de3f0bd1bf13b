#include "duplex/crypto/key_exchange.hpp"

#include <gtest/gtest.h>

#include "crypto_test_support.hpp"
#include "duplex/crypto/error.hpp"

namespace duplex::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;

// RFC 7748 §6.1.
TEST(KeyShare, X25519MatchesRfc7748) {
  auto alice = KeyShare::from_private_key(
      NamedGroup::x25519, from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  auto bob = KeyShare::from_private_key(
      NamedGroup::x25519, from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  ASSERT_TRUE(alice.ok() && bob.ok());
  EXPECT_EQ(to_hex(alice->public_share()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(to_hex(bob->public_share()), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  auto a = alice->shared_secret(bob->public_share());
  auto b = bob->shared_secret(alice->public_share());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(to_hex(a->bytes()), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  EXPECT_EQ(to_hex(b->bytes()), to_hex(a->bytes()));
}

class KeyAgreement : public ::testing::TestWithParam<NamedGroup> {};

TEST_P(KeyAgreement, BothSidesAgree) {
  auto ours = KeyShare::generate(GetParam());
  auto theirs = KeyShare::generate(GetParam());
  ASSERT_TRUE(ours.ok() && theirs.ok());
  auto a = ours->shared_secret(theirs->public_share());
  auto b = theirs->shared_secret(ours->public_share());
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(to_hex(a->bytes()), to_hex(b->bytes()));
  const std::size_t secret_size = GetParam() == NamedGroup::secp384r1 ? 48 : 32;
  EXPECT_EQ(a->size(), secret_size);
}

TEST_P(KeyAgreement, PublicShareHasTlsWireForm) {
  auto share = KeyShare::generate(GetParam());
  ASSERT_TRUE(share.ok());
  EXPECT_EQ(share->group(), GetParam());
  switch (GetParam()) {
    case NamedGroup::x25519:
      EXPECT_EQ(share->public_share().size(), 32u);
      break;
    case NamedGroup::secp256r1:
      ASSERT_EQ(share->public_share().size(), 65u);
      EXPECT_EQ(share->public_share()[0], 0x04);
      break;
    default:
      ASSERT_EQ(share->public_share().size(), 97u);
      EXPECT_EQ(share->public_share()[0], 0x04);
  }
}

TEST_P(KeyAgreement, RejectsShareOfWrongLength) {
  auto ours = KeyShare::generate(GetParam());
  auto theirs = KeyShare::generate(GetParam());
  ASSERT_TRUE(ours.ok() && theirs.ok());
  auto share = std::vector<std::uint8_t>(theirs->public_share().begin(), theirs->public_share().end());
  share.pop_back();
  auto secret = ours->shared_secret(share);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(crypto_error_of(secret.error()), CryptoError::invalid_key_share);
  EXPECT_FALSE(ours->shared_secret({}).ok());
}

INSTANTIATE_TEST_SUITE_P(AllGroups, KeyAgreement,
                         ::testing::Values(NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1));

class NistCurve : public ::testing::TestWithParam<NamedGroup> {};

TEST_P(NistCurve, RejectsPointOffTheCurve) {
  auto ours = KeyShare::generate(GetParam());
  auto theirs = KeyShare::generate(GetParam());
  ASSERT_TRUE(ours.ok() && theirs.ok());
  auto share = std::vector<std::uint8_t>(theirs->public_share().begin(), theirs->public_share().end());
  share.back() ^= 0x01;  // Y no longer satisfies the curve equation for X
  auto secret = ours->shared_secret(share);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(crypto_error_of(secret.error()), CryptoError::invalid_key_share);
}

TEST_P(NistCurve, RejectsCompressedOrOtherForms) {
  auto ours = KeyShare::generate(GetParam());
  auto theirs = KeyShare::generate(GetParam());
  ASSERT_TRUE(ours.ok() && theirs.ok());
  auto share = std::vector<std::uint8_t>(theirs->public_share().begin(), theirs->public_share().end());
  share[0] = 0x02;
  auto secret = ours->shared_secret(share);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(crypto_error_of(secret.error()), CryptoError::invalid_key_share);
}

TEST_P(NistCurve, RejectsThePointAtInfinityEncodedAsZeros) {
  auto ours = KeyShare::generate(GetParam());
  ASSERT_TRUE(ours.ok());
  std::vector<std::uint8_t> share(ours->public_share().size(), 0);
  share[0] = 0x04;
  auto secret = ours->shared_secret(share);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(crypto_error_of(secret.error()), CryptoError::invalid_key_share);
}

INSTANTIATE_TEST_SUITE_P(Nist, NistCurve, ::testing::Values(NamedGroup::secp256r1, NamedGroup::secp384r1));

// RFC 7748 §6.1 / RFC 8446 §7.4.2: low-order points give the all-zero secret, which is refused.
TEST(KeyShare, X25519RejectsLowOrderPoints) {
  auto ours = KeyShare::generate(NamedGroup::x25519);
  ASSERT_TRUE(ours.ok());
  for (const char* point : {"0000000000000000000000000000000000000000000000000000000000000000",
                            "0100000000000000000000000000000000000000000000000000000000000000",
                            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"}) {
    auto secret = ours->shared_secret(from_hex(point));
    ASSERT_FALSE(secret.ok()) << point;
    EXPECT_EQ(crypto_error_of(secret.error()), CryptoError::invalid_key_share) << point;
  }
}

TEST(KeyShare, RejectsUnsupportedGroups) {
  auto share = KeyShare::generate(NamedGroup::x448);
  ASSERT_FALSE(share.ok());
  EXPECT_EQ(crypto_error_of(share.error()), CryptoError::unsupported_algorithm);
  EXPECT_FALSE(KeyShare::generate(static_cast<NamedGroup>(0x1234)).ok());
}

TEST(NamedGroup, PrintsNamesAndUnknownValues) {
  EXPECT_EQ(to_string(NamedGroup::x25519), "x25519");
  EXPECT_EQ(to_string(static_cast<NamedGroup>(0x11ec)), "0x11ec");
  EXPECT_TRUE(is_supported(NamedGroup::secp384r1));
  EXPECT_FALSE(is_supported(NamedGroup::secp521r1));
}

}  // namespace
}  // namespace duplex::crypto
