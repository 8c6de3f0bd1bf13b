#include "duplex/crypto/hkdf.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "duplex/crypto/error.hpp"
#include "duplex/crypto/hmac.hpp"

namespace duplex::crypto {

Secret hkdf_extract(HashAlgorithm algorithm, std::span<const std::uint8_t> salt,
                    std::span<const std::uint8_t> input_key_material) {
  // RFC 5869 §2.2: "if not provided, [salt] is set to a string of HashLen zeros"; HMAC pads
  // keys with zeros, so hmac() with an empty key computes exactly that.
  Hmac mac(algorithm, salt);
  mac.update(input_key_material);
  Digest prk = mac.finish();
  Secret out(prk.bytes());
  secure_wipe(prk.resize_for_output(kMaxDigestSize));
  return out;
}

Result<Secret> hkdf_expand(HashAlgorithm algorithm, std::span<const std::uint8_t> prk,
                           std::span<const std::uint8_t> info, std::size_t length) {
  const std::size_t hash_length = digest_size(algorithm);
  // RFC 5869 §2.3: L <= 255*HashLen; PRK is "at least HashLen octets".
  if (length > 255 * hash_length) {
    return fail(make_error(CryptoError::invalid_length,
                           "HKDF-Expand cannot give " + std::to_string(length) + " bytes with " +
                               std::string(to_string(algorithm)) + " (at most 255 * HashLen)"));
  }
  if (prk.size() < hash_length) {
    return fail(make_error(CryptoError::invalid_length, "HKDF-Expand was given a PRK shorter than HashLen"));
  }
  Secret okm(length);
  const Hmac keyed(algorithm, prk);
  Digest block;
  std::size_t done = 0;
  for (std::uint8_t counter = 1; done < length; ++counter) {
    // T(i) = HMAC-Hash(PRK, T(i-1) | info | i)
    Hmac mac(keyed);
    mac.update(block.bytes());
    mac.update(info);
    mac.update(std::span<const std::uint8_t>(&counter, 1));
    block = mac.finish();
    const std::size_t take = std::min(hash_length, length - done);
    std::copy_n(block.bytes().begin(), take, okm.bytes().begin() + static_cast<std::ptrdiff_t>(done));
    done += take;
  }
  secure_wipe(block.resize_for_output(kMaxDigestSize));
  return okm;
}

}  // namespace duplex::crypto
