// SHA-2 hashes from the crypto provider: one-shot, and incremental with fork (the TLS transcript
// hash is read at several points of the handshake while it keeps growing). Transcript hashes are
// public values, so Digest is a plain value; hashes of secrets go through hkdf/hmac into Secret.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

struct evp_md_ctx_st;

namespace duplex::crypto {

enum class HashAlgorithm : std::uint8_t { sha256, sha384, sha512 };

constexpr std::size_t kMaxDigestSize = 64;

constexpr std::size_t digest_size(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::sha256:
      return 32;
    case HashAlgorithm::sha384:
      return 48;
    case HashAlgorithm::sha512:
      return 64;
  }
  return 0;
}

std::string_view to_string(HashAlgorithm algorithm);  // "SHA-256", ...

// A hash value of up to 64 bytes, held inline (no allocation).
class Digest {
 public:
  Digest() = default;
  explicit Digest(std::span<const std::uint8_t> bytes);

  std::size_t size() const { return size_; }
  std::span<const std::uint8_t> bytes() const { return {bytes_.data(), size_}; }
  // For producers: the first `size` bytes (size <= kMaxDigestSize), set as the digest's length.
  std::span<std::uint8_t> resize_for_output(std::size_t size);

  friend bool operator==(const Digest& a, const Digest& b) {
    return a.size_ == b.size_ && std::equal(a.bytes_.begin(), a.bytes_.begin() + a.size_, b.bytes_.begin());
  }

 private:
  std::array<std::uint8_t, kMaxDigestSize> bytes_{};
  std::size_t size_ = 0;
};

Digest hash(HashAlgorithm algorithm, std::span<const std::uint8_t> data);

// An incremental hash. Copying it forks the state (EVP_MD_CTX_copy_ex): both copies then go on
// independently. Failures here can only come from a broken provider, and abort.
class Hash {
 public:
  explicit Hash(HashAlgorithm algorithm);
  ~Hash();
  Hash(const Hash& other);
  Hash& operator=(const Hash& other);
  Hash(Hash&& other) noexcept;
  Hash& operator=(Hash&& other) noexcept;

  HashAlgorithm algorithm() const { return algorithm_; }
  void update(std::span<const std::uint8_t> data);
  // The hash of everything so far, leaving the state as it was (more may be added).
  Digest current() const;
  // The hash of everything so far; the state is reset to empty afterwards.
  Digest finish();

 private:
  HashAlgorithm algorithm_;
  evp_md_ctx_st* ctx_ = nullptr;
};

}  // namespace duplex::crypto
