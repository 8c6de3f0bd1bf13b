// RFC 6455 §5.3 client-to-server masking: payload octet i is XORed with masking-key octet i mod 4.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace duplex::ws {

// The four octets of the masking key, in the order they appear on the wire.
using MaskingKey = std::array<std::uint8_t, 4>;

// XORs `data` in place with `key`, as if `data` began at payload octet `offset` (only offset mod 4
// matters), so a payload that arrives split across reads is unmasked piece by piece. Masking and
// unmasking are the same operation. Works 16 and 8 bytes at a time; a zero key is skipped.
void apply_mask(std::span<std::uint8_t> data, MaskingKey key, std::size_t offset = 0);

// out = in XOR key (out.size() must equal in.size()): how a client copies a payload into its
// output buffer, masking it on the way, without a second pass.
void copy_masked(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, MaskingKey key);

}  // namespace duplex::ws
