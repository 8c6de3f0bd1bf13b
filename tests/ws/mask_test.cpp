#include "duplex/ws/mask.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace duplex::ws {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes reference_mask(Bytes data, MaskingKey key, std::size_t offset) {
  for (std::size_t i = 0; i < data.size(); ++i) data[i] ^= key[(offset + i) % 4];
  return data;
}

Bytes random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

// RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d is 7f 9f 4d 51 58.
TEST(Mask, MatchesTheRfcExample) {
  Bytes data = {'H', 'e', 'l', 'l', 'o'};
  apply_mask(data, {0x37, 0xfa, 0x21, 0x3d});
  EXPECT_EQ(data, (Bytes{0x7f, 0x9f, 0x4d, 0x51, 0x58}));
  apply_mask(data, {0x37, 0xfa, 0x21, 0x3d});
  EXPECT_EQ(data, (Bytes{'H', 'e', 'l', 'l', 'o'}));
}

TEST(Mask, MatchesTheBytewiseDefinitionForEveryLengthAndOffset) {
  const MaskingKey key = {0xA1, 0x02, 0xF3, 0x44};
  for (std::size_t n = 0; n <= 70; ++n) {
    for (std::size_t offset = 0; offset < 8; ++offset) {
      Bytes data = random_bytes(n, static_cast<unsigned>(n));
      const Bytes expected = reference_mask(data, key, offset);
      apply_mask(data, key, offset);
      EXPECT_EQ(data, expected) << "n=" << n << " offset=" << offset;
    }
  }
}

TEST(Mask, UnmasksAPayloadSplitAtAnyPoint) {
  const MaskingKey key = {9, 8, 7, 6};
  const Bytes plain = random_bytes(53, 1);
  const Bytes masked = reference_mask(plain, key, 0);
  for (std::size_t a = 0; a <= masked.size(); ++a) {
    for (std::size_t b = a; b <= masked.size(); b += 7) {
      Bytes data = masked;
      std::span<std::uint8_t> all(data);
      apply_mask(all.first(a), key, 0);
      apply_mask(all.subspan(a, b - a), key, a);
      apply_mask(all.subspan(b), key, b);
      ASSERT_EQ(data, plain) << a << " " << b;
    }
  }
}

TEST(Mask, NeverTouchesBytesOutsideTheSpan) {
  const MaskingKey key = {0xFF, 0xFF, 0xFF, 0xFF};
  for (std::size_t n = 0; n < 40; ++n) {
    Bytes data(n + 32, 0x5A);
    apply_mask(std::span(data).subspan(16, n), key, 3);
    for (std::size_t i = 0; i < data.size(); ++i) {
      const bool inside = i >= 16 && i < 16 + n;
      ASSERT_EQ(data[i], inside ? 0xA5 : 0x5A) << "n=" << n << " i=" << i;
    }
  }
}

TEST(Mask, LeavesDataUnchangedForAZeroKey) {
  Bytes data = random_bytes(100, 2);
  const Bytes before = data;
  apply_mask(data, {0, 0, 0, 0}, 1);
  EXPECT_EQ(data, before);
  Bytes out(data.size());
  copy_masked(data, out, {0, 0, 0, 0});
  EXPECT_EQ(out, before);
}

TEST(Mask, CopyMaskedEqualsMaskingInPlace) {
  const MaskingKey key = {0x12, 0x34, 0x56, 0x78};
  for (std::size_t n : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 33u, 1000u}) {
    const Bytes in = random_bytes(n, static_cast<unsigned>(n));
    Bytes out(n);
    copy_masked(in, out, key);
    EXPECT_EQ(out, reference_mask(in, key, 0)) << n;
  }
}

}  // namespace
}  // namespace duplex::ws
