// AEAD seal and open in place (RFC 5116 interface) for the TLS record layer: AES-128-GCM,
// AES-256-GCM and ChaCha20-Poly1305 (RFC 8439), 12-byte nonce, 16-byte tag.
//
// An AeadKey owns one libcrypto cipher context keyed once; each record only re-initialises it
// with the record's nonce, so sealing and opening allocate nothing and fetch nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "duplex/util/result.hpp"

struct evp_cipher_ctx_st;

namespace duplex::crypto {

enum class AeadAlgorithm : std::uint8_t { aes_128_gcm, aes_256_gcm, chacha20_poly1305 };

constexpr std::size_t kAeadNonceSize = 12;
constexpr std::size_t kAeadTagSize = 16;

constexpr std::size_t key_size(AeadAlgorithm algorithm) {
  switch (algorithm) {
    case AeadAlgorithm::aes_128_gcm:
      return 16;
    case AeadAlgorithm::aes_256_gcm:
      return 32;
    case AeadAlgorithm::chacha20_poly1305:
      return 32;
  }
  return 0;
}

std::string_view to_string(AeadAlgorithm algorithm);  // "AES-128-GCM", ...

class AeadKey {
 public:
  // Fails with invalid_length when the key is not key_size(algorithm) bytes.
  static Result<AeadKey> create(AeadAlgorithm algorithm, std::span<const std::uint8_t> key);

  ~AeadKey();
  AeadKey(AeadKey&& other) noexcept;
  AeadKey& operator=(AeadKey&& other) noexcept;
  AeadKey(const AeadKey&) = delete;
  AeadKey& operator=(const AeadKey&) = delete;

  AeadAlgorithm algorithm() const { return algorithm_; }

  // Encrypts `in_out` where it lies and writes the tag. The caller never reuses a nonce with
  // the same key (TLS derives it from the record sequence number).
  Status<> seal(std::span<const std::uint8_t, kAeadNonceSize> nonce, std::span<const std::uint8_t> aad,
                std::span<std::uint8_t> in_out, std::span<std::uint8_t, kAeadTagSize> tag_out) {
    return seal(nonce, aad, in_out, in_out, {}, tag_out);
  }
  // One plaintext in two parts: `in` encrypted into `out` (the same size; `out` may be `in`
  // itself, never a partial overlap), then `tail` encrypted where it lies. TLS seals a record this
  // way straight from the application's bytes: the content from where it is, the content type
  // byte (and padding) after it in the record (RFC 8446 §5.2), with no copy first.
  Status<> seal(std::span<const std::uint8_t, kAeadNonceSize> nonce, std::span<const std::uint8_t> aad,
                std::span<const std::uint8_t> in, std::span<std::uint8_t> out, std::span<std::uint8_t> tail,
                std::span<std::uint8_t, kAeadTagSize> tag_out);

  // Decrypts `in_out` where it lies and checks the tag. On failure (authentication_failed) the
  // buffer is zeroed: unauthenticated plaintext is never left for anyone to read.
  Status<> open(std::span<const std::uint8_t, kAeadNonceSize> nonce, std::span<const std::uint8_t> aad,
                std::span<std::uint8_t> in_out, std::span<const std::uint8_t, kAeadTagSize> tag);

 private:
  AeadKey(AeadAlgorithm algorithm, evp_cipher_ctx_st* ctx) : algorithm_(algorithm), ctx_(ctx) {}

  AeadAlgorithm algorithm_;
  evp_cipher_ctx_st* ctx_ = nullptr;
};

}  // namespace duplex::crypto
