#include "duplex/crypto/hkdf.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "crypto_test_support.hpp"
#include "duplex/crypto/error.hpp"

namespace duplex::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;

std::vector<std::uint8_t> counting(std::uint8_t first, std::size_t count) {
  std::vector<std::uint8_t> bytes(count);
  std::iota(bytes.begin(), bytes.end(), first);
  return bytes;
}

struct Rfc5869Case {
  std::vector<std::uint8_t> ikm, salt, info;
  std::size_t length;
  const char* prk;
  const char* okm;
};

void check(const Rfc5869Case& c) {
  const Secret prk = hkdf_extract(HashAlgorithm::sha256, c.salt, c.ikm);
  EXPECT_EQ(to_hex(prk.bytes()), c.prk);
  auto okm = hkdf_expand(HashAlgorithm::sha256, prk.bytes(), c.info, c.length);
  ASSERT_TRUE(okm.ok()) << okm.error().message;
  EXPECT_EQ(to_hex(okm->bytes()), c.okm);
}

// RFC 5869 appendix A.1.
TEST(Hkdf, MatchesRfc5869Case1) {
  check({std::vector<std::uint8_t>(22, 0x0b), counting(0x00, 13), counting(0xf0, 10), 42,
         "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
         "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"});
}

// RFC 5869 appendix A.2: longer inputs and an output of several blocks.
TEST(Hkdf, MatchesRfc5869Case2) {
  check({counting(0x00, 80), counting(0x60, 80), counting(0xb0, 80), 82,
         "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
         "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
         "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
         "cc30c58179ec3e87c14c01d5c1f3434f1d87"});
}

// RFC 5869 appendix A.3: empty salt and info.
TEST(Hkdf, MatchesRfc5869Case3) {
  check({std::vector<std::uint8_t>(22, 0x0b),
         {},
         {},
         42,
         "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
         "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"});
}

TEST(Hkdf, ExpandRejectsMoreThan255Blocks) {
  const Secret prk = hkdf_extract(HashAlgorithm::sha256, {}, from_hex("00"));
  EXPECT_TRUE(hkdf_expand(HashAlgorithm::sha256, prk.bytes(), {}, 255 * 32).ok());
  auto too_long = hkdf_expand(HashAlgorithm::sha256, prk.bytes(), {}, 255 * 32 + 1);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(crypto_error_of(too_long.error()), CryptoError::invalid_length);
}

TEST(Hkdf, ExpandRejectsShortPrk) {
  auto out = hkdf_expand(HashAlgorithm::sha384, from_hex("0011"), {}, 16);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(crypto_error_of(out.error()), CryptoError::invalid_length);
}

TEST(Hkdf, Sha384GivesHashLenPrk) { EXPECT_EQ(hkdf_extract(HashAlgorithm::sha384, {}, {}).size(), 48u); }

}  // namespace
}  // namespace duplex::crypto
