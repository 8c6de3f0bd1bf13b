// HMAC (RFC 2104) over SHA-2, from the crypto provider (EVP_MAC "HMAC", fetched once).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "duplex/crypto/hash.hpp"

struct evp_mac_ctx_st;

namespace duplex::crypto {

// HMAC(key, data) in one call. The output is a Digest: a MAC that is sent or compared, not a
// key (for keys use hkdf_extract, which returns a Secret). Compare MACs with constant_time_equal.
Digest hmac(HashAlgorithm algorithm, std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);

// HMAC fed in pieces (e.g. the TLS 1.2 PRF's A(i) + seed). The key is held only inside
// libcrypto's context, which wipes it when freed. Failures can only come from a broken provider,
// and abort.
class Hmac {
 public:
  Hmac(HashAlgorithm algorithm, std::span<const std::uint8_t> key);
  ~Hmac();
  // A fork of the keyed state: both go on independently.
  Hmac(const Hmac& other);
  Hmac& operator=(const Hmac& other) = delete;
  Hmac(Hmac&& other) noexcept;
  Hmac& operator=(Hmac&& other) noexcept;

  HashAlgorithm algorithm() const { return algorithm_; }
  void update(std::span<const std::uint8_t> data);
  // The MAC of everything so far. The object may not be updated or finished again; copy it
  // before finishing to go on from the same key (cheaper than keying a new one).
  Digest finish();

 private:
  HashAlgorithm algorithm_;
  evp_mac_ctx_st* ctx_ = nullptr;
};

}  // namespace duplex::crypto
