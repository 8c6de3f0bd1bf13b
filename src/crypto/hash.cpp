#include "duplex/crypto/hash.hpp"

#include <cassert>
#include <cstring>
#include <utility>

#include "libcrypto.hpp"

namespace duplex::crypto {

std::string_view to_string(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::sha256:
      return "SHA-256";
    case HashAlgorithm::sha384:
      return "SHA-384";
    case HashAlgorithm::sha512:
      return "SHA-512";
  }
  return "unknown hash";
}

Digest::Digest(std::span<const std::uint8_t> bytes) {
  assert(bytes.size() <= kMaxDigestSize);
  size_ = std::min(bytes.size(), kMaxDigestSize);
  if (size_ > 0) std::memcpy(bytes_.data(), bytes.data(), size_);
}

std::span<std::uint8_t> Digest::resize_for_output(std::size_t size) {
  assert(size <= kMaxDigestSize);
  size_ = std::min(size, kMaxDigestSize);
  return {bytes_.data(), size_};
}

Digest hash(HashAlgorithm algorithm, std::span<const std::uint8_t> data) {
  Digest digest;
  auto out = digest.resize_for_output(digest_size(algorithm));
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &length, detail::fetched_md(algorithm), nullptr) !=
          1 ||
      length != out.size()) {
    detail::provider_abort("a SHA-2 hash failed");
  }
  return digest;
}

namespace {

EVP_MD_CTX* new_initialised(HashAlgorithm algorithm) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx, detail::fetched_md(algorithm), nullptr) != 1) {
    detail::provider_abort("starting a SHA-2 hash failed");
  }
  return ctx;
}

EVP_MD_CTX* new_copy(const EVP_MD_CTX* source) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_MD_CTX_copy_ex(ctx, source) != 1) detail::provider_abort("forking a hash failed");
  return ctx;
}

void finish_into(EVP_MD_CTX* ctx, HashAlgorithm algorithm, Digest& digest) {
  auto out = digest.resize_for_output(digest_size(algorithm));
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx, out.data(), &length) != 1 || length != out.size()) {
    detail::provider_abort("finishing a hash failed");
  }
}

}  // namespace

Hash::Hash(HashAlgorithm algorithm) : algorithm_(algorithm), ctx_(new_initialised(algorithm)) {}

Hash::~Hash() { EVP_MD_CTX_free(ctx_); }

Hash::Hash(const Hash& other) : algorithm_(other.algorithm_), ctx_(new_copy(other.ctx_)) {}

Hash& Hash::operator=(const Hash& other) {
  if (this != &other) {
    EVP_MD_CTX* copy = new_copy(other.ctx_);
    EVP_MD_CTX_free(ctx_);
    ctx_ = copy;
    algorithm_ = other.algorithm_;
  }
  return *this;
}

Hash::Hash(Hash&& other) noexcept : algorithm_(other.algorithm_), ctx_(std::exchange(other.ctx_, nullptr)) {}

Hash& Hash::operator=(Hash&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    algorithm_ = other.algorithm_;
  }
  return *this;
}

void Hash::update(std::span<const std::uint8_t> data) {
  assert(ctx_ != nullptr && "use of a moved-from Hash");
  if (data.empty()) return;
  if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) detail::provider_abort("hashing failed");
}

Digest Hash::current() const {
  assert(ctx_ != nullptr && "use of a moved-from Hash");
  detail::MdCtxPtr fork(new_copy(ctx_));
  Digest digest;
  finish_into(fork.get(), algorithm_, digest);
  return digest;
}

Digest Hash::finish() {
  assert(ctx_ != nullptr && "use of a moved-from Hash");
  Digest digest;
  finish_into(ctx_, algorithm_, digest);
  if (EVP_DigestInit_ex2(ctx_, detail::fetched_md(algorithm_), nullptr) != 1) {
    detail::provider_abort("restarting a hash failed");
  }
  return digest;
}

}  // namespace duplex::crypto
