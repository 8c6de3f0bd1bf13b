// HKDF (RFC 5869), Extract and Expand, on HMAC. HKDF-Expand-Label (RFC 8446 §7.1) belongs to the
// TLS key schedule, which builds its label and calls hkdf_expand.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/secret.hpp"
#include "duplex/util/result.hpp"

namespace duplex::crypto {

// RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM). An empty salt means HashLen zero bytes.
Secret hkdf_extract(HashAlgorithm algorithm, std::span<const std::uint8_t> salt,
                    std::span<const std::uint8_t> input_key_material);

// RFC 5869 §2.3: OKM of `length` bytes from PRK and info. Fails (invalid_length) when length is
// over 255 * HashLen or the PRK is shorter than HashLen.
Result<Secret> hkdf_expand(HashAlgorithm algorithm, std::span<const std::uint8_t> prk,
                           std::span<const std::uint8_t> info, std::size_t length);

}  // namespace duplex::crypto
