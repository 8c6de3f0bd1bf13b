#include "duplex/crypto/hmac.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "crypto_test_support.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;

// RFC 4231 §4.3, test case 2.
TEST(Hmac, Sha256MatchesRfc4231Case2) {
  EXPECT_EQ(
      to_hex(hmac(HashAlgorithm::sha256, as_bytes("Jefe"), as_bytes("what do ya want for nothing?")).bytes()),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Hmac, Sha384MatchesRfc4231Case2) {
  EXPECT_EQ(
      to_hex(hmac(HashAlgorithm::sha384, as_bytes("Jefe"), as_bytes("what do ya want for nothing?")).bytes()),
      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
      "8e2240ca5e69e2c78b3239ecfab21649");
}

TEST(Hmac, IncrementalAndForkedEqualOneShot) {
  Hmac mac(HashAlgorithm::sha256, as_bytes("Jefe"));
  mac.update(as_bytes("what do ya want "));
  Hmac fork = mac;
  mac.update(as_bytes("for nothing?"));
  fork.update(as_bytes("for nothing?"));
  const Digest expected =
      hmac(HashAlgorithm::sha256, as_bytes("Jefe"), as_bytes("what do ya want for nothing?"));
  EXPECT_EQ(mac.finish(), expected);
  EXPECT_EQ(fork.finish(), expected);
}

TEST(Hmac, EmptyKeyEqualsZeroKey) {
  const std::uint8_t zeros[32] = {};
  EXPECT_EQ(hmac(HashAlgorithm::sha256, {}, as_bytes("x")),
            hmac(HashAlgorithm::sha256, zeros, as_bytes("x")));
}

// The shared HMAC template is only read (duplicated) by each call, so threads need no lock.
TEST(Hmac, ThreadsShareTheFetchedAlgorithm) {
  const Digest expected =
      hmac(HashAlgorithm::sha384, as_bytes("Jefe"), as_bytes("what do ya want for nothing?"));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (hmac(HashAlgorithm::sha384, as_bytes("Jefe"), as_bytes("what do ya want for nothing?")) !=
            expected) {
          ++mismatches;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace duplex::crypto
