#include "duplex/crypto/secret.hpp"

#include <gtest/gtest.h>

#include <utility>

#include "duplex/crypto/error.hpp"

namespace duplex::crypto {
namespace {

const std::uint8_t kBytes[] = {1, 2, 3, 4, 5};

TEST(Secret, HoldsACopyOfItsBytes) {
  Secret secret{std::span<const std::uint8_t>(kBytes)};
  ASSERT_EQ(secret.size(), 5u);
  EXPECT_TRUE(constant_time_equal(secret.bytes(), kBytes));
}

TEST(Secret, MoveLeavesTheSourceEmpty) {
  Secret a{std::span<const std::uint8_t>(kBytes)};
  Secret b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_EQ(b.size(), 5u);
  Secret c(3);
  c = std::move(b);
  EXPECT_TRUE(constant_time_equal(c.bytes(), kBytes));
}

TEST(Secret, CloneIsIndependent) {
  Secret a{std::span<const std::uint8_t>(kBytes)};
  Secret b = a.clone();
  b.bytes()[0] = 9;
  EXPECT_EQ(a.bytes()[0], 1);
}

TEST(Secret, ClearAndTruncateForgetBytes) {
  Secret a{std::span<const std::uint8_t>(kBytes)};
  a.truncate(2);
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.bytes()[1], 2);
  a.clear();
  EXPECT_TRUE(a.empty());
}

TEST(Secret, SizedConstructorZeroFills) {
  Secret a(4);
  for (auto b : a.bytes()) EXPECT_EQ(b, 0);
}

TEST(SecureWipe, ZeroesTheBytes) {
  std::uint8_t bytes[] = {7, 7, 7};
  secure_wipe(bytes);
  for (auto b : bytes) EXPECT_EQ(b, 0);
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  const std::uint8_t same[] = {1, 2, 3, 4, 5};
  const std::uint8_t other[] = {1, 2, 3, 4, 6};
  EXPECT_TRUE(constant_time_equal(kBytes, same));
  EXPECT_FALSE(constant_time_equal(kBytes, other));
  EXPECT_FALSE(constant_time_equal(kBytes, std::span<const std::uint8_t>(same, 4)));
  EXPECT_TRUE(constant_time_equal({}, {}));
}

TEST(CryptoError, NamesEveryCode) {
  EXPECT_EQ(to_string(CryptoError::authentication_failed), "authentication_failed");
  const Error error = make_error(CryptoError::bad_signature, "x");
  EXPECT_EQ(crypto_error_of(error), CryptoError::bad_signature);
}

}  // namespace
}  // namespace duplex::crypto
