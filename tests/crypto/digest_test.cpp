#include "duplex/crypto/digest.hpp"

#include <gtest/gtest.h>

#include <set>

#include "duplex/crypto/random.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::crypto {
namespace {

// FIPS 180-2 appendix A.1 ("abc").
TEST(Sha1, MatchesFips180Vector) {
  const Sha1Digest expected = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                               0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
  EXPECT_EQ(sha1(as_bytes("abc")), expected);
}

TEST(Random, KeysDoNotRepeat) {
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 5000; ++i) seen.insert(random_u32());
  // 5000 draws from 2^32 collide with probability ~0.3%; more than one collision means a bug.
  EXPECT_GE(seen.size(), 4999u);
}

}  // namespace
}  // namespace duplex::crypto
