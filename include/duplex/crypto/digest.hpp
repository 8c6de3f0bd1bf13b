// Message digests from the crypto provider (OpenSSL 3 libcrypto). We never implement a hash.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace duplex::crypto {

using Sha1Digest = std::array<std::uint8_t, 20>;

// SHA-1 exists here only for RFC 6455 §4.2.2's Sec-WebSocket-Accept, where it is not used for
// security; nothing else in duplex may rely on it.
Sha1Digest sha1(std::span<const std::uint8_t> data);

}  // namespace duplex::crypto
