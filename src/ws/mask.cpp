#include "duplex/ws/mask.hpp"

#include <cstring>

namespace duplex::ws {

namespace {

bool is_zero(MaskingKey key) { return (key[0] | key[1] | key[2] | key[3]) == 0; }

// The key repeated to fill a machine word, starting at key octet `offset`: XORing a word of
// payload that begins at payload octet `offset` (mod 4) with it masks all 8 octets at once.
// Built from bytes through memcpy, so it is right on any byte order.
std::uint64_t key_word(MaskingKey key, std::size_t offset) {
  std::uint8_t bytes[8];
  for (std::size_t i = 0; i < 8; ++i) bytes[i] = key[(offset + i) % 4];
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof(word));
  return word;
}

// The mask loop: `in` and `out` are the same size and either identical or disjoint. Loads and
// stores go through memcpy (no alignment or aliasing assumptions) and never touch a byte past
// the span; 16-byte steps let the compiler use one vector register.
void mask_bytes(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, MaskingKey key,
                std::size_t offset) {
  const std::uint64_t word = key_word(key, offset);  // 8 is a multiple of 4: the phase holds
  std::size_t i = 0;
  const std::size_t n = in.size();
  for (; i + 16 <= n; i += 16) {
    std::uint64_t a, b;
    std::memcpy(&a, in.data() + i, 8);
    std::memcpy(&b, in.data() + i + 8, 8);
    a ^= word;
    b ^= word;
    std::memcpy(out.data() + i, &a, 8);
    std::memcpy(out.data() + i + 8, &b, 8);
  }
  if (i + 8 <= n) {
    std::uint64_t a;
    std::memcpy(&a, in.data() + i, 8);
    a ^= word;
    std::memcpy(out.data() + i, &a, 8);
    i += 8;
  }
  for (; i < n; ++i) out[i] = static_cast<std::uint8_t>(in[i] ^ key[(offset + i) % 4]);
}

}  // namespace

void apply_mask(std::span<std::uint8_t> data, MaskingKey key, std::size_t offset) {
  if (data.empty() || is_zero(key)) return;  // XOR with zero changes nothing
  mask_bytes(data, data, key, offset % 4);
}

void copy_masked(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, MaskingKey key) {
  if (in.empty()) return;
  if (is_zero(key)) {
    std::memcpy(out.data(), in.data(), in.size());
    return;
  }
  mask_bytes(in, out, key, 0);
}

}  // namespace duplex::ws
