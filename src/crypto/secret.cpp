#include "duplex/crypto/secret.hpp"

#include <openssl/crypto.h>

#include <cassert>
#include <cstring>
#include <utility>

namespace duplex::crypto {

Secret::Secret(std::size_t size)
    : data_(size == 0 ? nullptr : std::make_unique<std::uint8_t[]>(size)), size_(size) {}

Secret::Secret(std::span<const std::uint8_t> bytes) : Secret(bytes.size()) {
  if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
}

Secret::Secret(Secret&& other) noexcept
    : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    clear();
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void Secret::clear() {
  if (data_) OPENSSL_cleanse(data_.get(), size_);
  data_.reset();
  size_ = 0;
}

void Secret::truncate(std::size_t size) {
  assert(size <= size_);
  if (size >= size_) return;
  OPENSSL_cleanse(data_.get() + size, size_ - size);
  size_ = size;
  if (size_ == 0) data_.reset();
}

void secure_wipe(std::span<std::uint8_t> bytes) {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace duplex::crypto
