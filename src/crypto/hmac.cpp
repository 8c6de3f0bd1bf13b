#include "duplex/crypto/hmac.hpp"

#include <cassert>
#include <utility>

#include "libcrypto.hpp"

namespace duplex::crypto {
namespace {

EVP_MAC_CTX* new_keyed(HashAlgorithm algorithm, std::span<const std::uint8_t> key) {
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(detail::hmac_template(algorithm));
  if (ctx == nullptr) detail::provider_abort("creating an HMAC context failed");
  // RFC 2104 §2: keys shorter than the block are padded with zeros, so an empty key is the same
  // as one zero byte; libcrypto reads a null key as "keep the old key", so never pass one.
  static const std::uint8_t kZero = 0;
  const std::uint8_t* bytes = key.empty() ? &kZero : key.data();
  const std::size_t size = key.empty() ? 1 : key.size();
  if (EVP_MAC_init(ctx, bytes, size, nullptr) != 1) {
    EVP_MAC_CTX_free(ctx);
    detail::provider_abort("keying HMAC failed");
  }
  return ctx;
}

}  // namespace

Digest hmac(HashAlgorithm algorithm, std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  Hmac mac(algorithm, key);
  mac.update(data);
  return mac.finish();
}

Hmac::Hmac(HashAlgorithm algorithm, std::span<const std::uint8_t> key)
    : algorithm_(algorithm), ctx_(new_keyed(algorithm, key)) {}

Hmac::~Hmac() { EVP_MAC_CTX_free(ctx_); }

Hmac::Hmac(const Hmac& other) : algorithm_(other.algorithm_), ctx_(EVP_MAC_CTX_dup(other.ctx_)) {
  if (ctx_ == nullptr) detail::provider_abort("forking an HMAC failed");
}

Hmac::Hmac(Hmac&& other) noexcept : algorithm_(other.algorithm_), ctx_(std::exchange(other.ctx_, nullptr)) {}

Hmac& Hmac::operator=(Hmac&& other) noexcept {
  if (this != &other) {
    EVP_MAC_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    algorithm_ = other.algorithm_;
  }
  return *this;
}

void Hmac::update(std::span<const std::uint8_t> data) {
  assert(ctx_ != nullptr && "use of a moved-from Hmac");
  if (data.empty()) return;
  if (EVP_MAC_update(ctx_, data.data(), data.size()) != 1) detail::provider_abort("HMAC update failed");
}

Digest Hmac::finish() {
  assert(ctx_ != nullptr && "use of a moved-from Hmac");
  Digest digest;
  auto out = digest.resize_for_output(digest_size(algorithm_));
  std::size_t length = 0;
  if (EVP_MAC_final(ctx_, out.data(), &length, out.size()) != 1 || length != out.size()) {
    detail::provider_abort("HMAC final failed");
  }
  return digest;
}

}  // namespace duplex::crypto
