// The CSPRNG of the crypto provider (OpenSSL's RAND_bytes, seeded by the kernel).
#pragma once

#include <cstdint>
#include <span>

namespace duplex::crypto {

// Fills `out` with cryptographically secure random bytes. Aborts if the provider cannot (it only
// fails when the kernel has no entropy source, and then nothing secure can go on).
void random_bytes(std::span<std::uint8_t> out);

// Four random bytes, drawn from a per-thread batch refilled from random_bytes(): WebSocket
// masking keys (RFC 6455 §5.3 wants them unpredictable) at one provider call per 1024 frames.
std::uint32_t random_u32();

}  // namespace duplex::crypto
