#include "duplex/crypto/aead.hpp"

#include <openssl/err.h>

#include <climits>
#include <cstring>
#include <string>
#include <utility>

#include "duplex/crypto/secret.hpp"
#include "libcrypto.hpp"

namespace duplex::crypto {
namespace {

const char* cipher_name(AeadAlgorithm algorithm) {
  switch (algorithm) {
    case AeadAlgorithm::aes_128_gcm:
      return "AES-128-GCM";
    case AeadAlgorithm::aes_256_gcm:
      return "AES-256-GCM";
    case AeadAlgorithm::chacha20_poly1305:
      return "ChaCha20-Poly1305";
  }
  return nullptr;
}

EVP_CIPHER* fetch_cipher(AeadAlgorithm algorithm) {
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, cipher_name(algorithm), nullptr);
  if (cipher == nullptr) detail::provider_abort("fetching an AEAD cipher failed");
  return cipher;
}

// Fetched once per process: OpenSSL 3.0's fetch takes a global lock.
const EVP_CIPHER* fetched_cipher(AeadAlgorithm algorithm) {
  static EVP_CIPHER* const aes128 = fetch_cipher(AeadAlgorithm::aes_128_gcm);
  static EVP_CIPHER* const aes256 = fetch_cipher(AeadAlgorithm::aes_256_gcm);
  static EVP_CIPHER* const chacha = fetch_cipher(AeadAlgorithm::chacha20_poly1305);
  switch (algorithm) {
    case AeadAlgorithm::aes_128_gcm:
      return aes128;
    case AeadAlgorithm::aes_256_gcm:
      return aes256;
    case AeadAlgorithm::chacha20_poly1305:
      return chacha;
  }
  return nullptr;
}

std::string named(AeadAlgorithm algorithm, const char* operation) {
  return std::string(to_string(algorithm)) + " " + operation;
}

}  // namespace

std::string_view to_string(AeadAlgorithm algorithm) {
  const char* name = cipher_name(algorithm);
  return name != nullptr ? name : "unknown AEAD";
}

Result<AeadKey> AeadKey::create(AeadAlgorithm algorithm, std::span<const std::uint8_t> key) {
  const EVP_CIPHER* cipher = fetched_cipher(algorithm);
  if (cipher == nullptr) {
    return fail(make_error(CryptoError::unsupported_algorithm, "an unknown AEAD algorithm was asked for"));
  }
  if (key.size() != key_size(algorithm)) {
    return fail(make_error(CryptoError::invalid_length, named(algorithm, "needs a key of ") +
                                                            std::to_string(key_size(algorithm)) +
                                                            " bytes, not " + std::to_string(key.size())));
  }
  detail::ErrorQueueGuard guard;
  detail::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  // The nonce comes with each record; the key schedule is computed here, once.
  if (!ctx || EVP_CipherInit_ex2(ctx.get(), cipher, key.data(), nullptr, 1, nullptr) != 1) {
    return fail(
        detail::libcrypto_error(CryptoError::provider_failure, named(algorithm, "key set-up failed")));
  }
  return AeadKey(algorithm, ctx.release());
}

AeadKey::~AeadKey() { EVP_CIPHER_CTX_free(ctx_); }  // libcrypto wipes the key schedule

AeadKey::AeadKey(AeadKey&& other) noexcept
    : algorithm_(other.algorithm_), ctx_(std::exchange(other.ctx_, nullptr)) {}

AeadKey& AeadKey::operator=(AeadKey&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    algorithm_ = other.algorithm_;
  }
  return *this;
}

Status<> AeadKey::seal(std::span<const std::uint8_t, kAeadNonceSize> nonce, std::span<const std::uint8_t> aad,
                       std::span<const std::uint8_t> in, std::span<std::uint8_t> out, std::span<std::uint8_t> tail,
                       std::span<std::uint8_t, kAeadTagSize> tag_out) {
  if (in.size() > INT_MAX || aad.size() > INT_MAX || tail.size() > INT_MAX) {
    return fail(make_error(CryptoError::invalid_length, named(algorithm_, "seal was given over 2 GiB")));
  }
  if (out.size() != in.size()) {
    return fail(make_error(CryptoError::invalid_length, named(algorithm_, "seal's output is not its input's size")));
  }
  detail::ErrorQueueGuard guard;
  int length = 0;
  int final_length = 0;
  std::uint8_t final_block[16];  // GCM and ChaCha20-Poly1305 write nothing here
  const bool ok =
      EVP_CipherInit_ex2(ctx_, nullptr, nullptr, nonce.data(), 1, nullptr) == 1 &&
      (aad.empty() ||
       EVP_CipherUpdate(ctx_, nullptr, &length, aad.data(), static_cast<int>(aad.size())) == 1) &&
      (in.empty() || EVP_CipherUpdate(ctx_, out.data(), &length, in.data(), static_cast<int>(in.size())) == 1) &&
      (tail.empty() ||
       EVP_CipherUpdate(ctx_, tail.data(), &length, tail.data(), static_cast<int>(tail.size())) == 1) &&
      EVP_CipherFinal_ex(ctx_, final_block, &final_length) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kAeadTagSize), tag_out.data()) == 1;
  if (!ok)
    return fail(detail::libcrypto_error(CryptoError::provider_failure, named(algorithm_, "seal failed")));
  return Unit{};
}

Status<> AeadKey::open(std::span<const std::uint8_t, kAeadNonceSize> nonce, std::span<const std::uint8_t> aad,
                       std::span<std::uint8_t> in_out, std::span<const std::uint8_t, kAeadTagSize> tag) {
  if (in_out.size() > INT_MAX || aad.size() > INT_MAX) {
    return fail(make_error(CryptoError::invalid_length, named(algorithm_, "open was given over 2 GiB")));
  }
  detail::ErrorQueueGuard guard;
  std::uint8_t expected_tag[kAeadTagSize];  // the ctrl takes a non-const pointer
  std::memcpy(expected_tag, tag.data(), kAeadTagSize);
  int length = 0;
  int final_length = 0;
  std::uint8_t final_block[16];  // GCM and ChaCha20-Poly1305 write nothing here
  const bool set_up =
      EVP_CipherInit_ex2(ctx_, nullptr, nullptr, nonce.data(), 0, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kAeadTagSize), expected_tag) == 1 &&
      (aad.empty() ||
       EVP_CipherUpdate(ctx_, nullptr, &length, aad.data(), static_cast<int>(aad.size())) == 1) &&
      (in_out.empty() ||
       EVP_CipherUpdate(ctx_, in_out.data(), &length, in_out.data(), static_cast<int>(in_out.size())) == 1);
  if (!set_up) {
    secure_wipe(in_out);
    return fail(detail::libcrypto_error(CryptoError::provider_failure, named(algorithm_, "open failed")));
  }
  // The tag check happens in Final; a mismatch is the peer's fault, not the provider's.
  if (EVP_CipherFinal_ex(ctx_, final_block, &final_length) != 1) {
    secure_wipe(in_out);
    ERR_clear_error();
    return fail(make_error(CryptoError::authentication_failed,
                           named(algorithm_, "open failed: the record's authentication tag does not match")));
  }
  return Unit{};
}

}  // namespace duplex::crypto
