// Secret: owned bytes of a key, a shared secret or a traffic secret, wiped (OPENSSL_cleanse) when
// dropped, reassigned or cleared. Move-only, so no copy lingers by accident: clone() says it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace duplex::crypto {

class Secret {
 public:
  Secret() = default;
  // `size` zero bytes, to be filled through bytes().
  explicit Secret(std::size_t size);
  // A copy of `bytes` (the caller wipes its own copy if it was secret).
  explicit Secret(std::span<const std::uint8_t> bytes);
  ~Secret() { clear(); }

  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  Secret clone() const { return Secret(bytes()); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const std::uint8_t> bytes() const { return {data_.get(), size_}; }
  std::span<std::uint8_t> bytes() { return {data_.get(), size_}; }

  // Wipes and frees the bytes; the secret is then empty.
  void clear();
  // Keeps the first `size` bytes and wipes the rest (size <= size()).
  void truncate(std::size_t size);

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_ = 0;
};

// Overwrites `bytes` with zeros in a way the compiler cannot optimise away.
void secure_wipe(std::span<std::uint8_t> bytes);

// Compares in time that depends only on the lengths (CRYPTO_memcmp): for MACs, Finished
// verify_data and anything else an attacker could otherwise guess byte by byte. Different
// lengths compare unequal (lengths are public).
bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace duplex::crypto
