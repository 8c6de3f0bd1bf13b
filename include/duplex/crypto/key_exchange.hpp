// Ephemeral (EC)DHE key exchange for TLS: X25519 (RFC 7748) and the NIST curves secp256r1 and
// secp384r1, with public shares in their TLS wire form (RFC 8446 §4.2.8.2).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "duplex/crypto/secret.hpp"
#include "duplex/util/result.hpp"

struct evp_pkey_st;

namespace duplex::crypto {

// RFC 8446 §4.2.7 NamedGroup. An open enum: any 16-bit value may arrive from the wire.
enum class NamedGroup : std::uint16_t {
  secp256r1 = 0x0017,
  secp384r1 = 0x0018,
  secp521r1 = 0x0019,  // known for printing; not implemented
  x25519 = 0x001d,
  x448 = 0x001e,  // known for printing; not implemented
  ffdhe2048 = 0x0100,  // RFC 7919 groups: known for printing; not implemented
  ffdhe3072 = 0x0101,
  ffdhe4096 = 0x0102,
  ffdhe6144 = 0x0103,
  ffdhe8192 = 0x0104,
};

// The RFC's name, or "0x...." for a value we do not know.
std::string to_string(NamedGroup group);
// Whether KeyShare::generate supports the group.
bool is_supported(NamedGroup group);

// Our KeyShareEntry (RFC 8446 §4.2.8): an ephemeral private key and its public share. Move-only;
// the private key is freed (and wiped by libcrypto) with the object.
class KeyShare {
 public:
  // Fails with unsupported_algorithm for groups that is_supported() rejects.
  static Result<KeyShare> generate(NamedGroup group);
  // A key share from a known private key, for known-answer tests (RFC 7748, RFC 8448 traces).
  // X25519 only (32 raw bytes); never use it with a key that is not fresh and random.
  static Result<KeyShare> from_private_key(NamedGroup group, std::span<const std::uint8_t> private_key);

  ~KeyShare();
  KeyShare(KeyShare&& other) noexcept;
  KeyShare& operator=(KeyShare&& other) noexcept;
  KeyShare(const KeyShare&) = delete;
  KeyShare& operator=(const KeyShare&) = delete;

  NamedGroup group() const { return group_; }
  // RFC 8446 §4.2.8.2: 32 raw bytes for X25519; 0x04 || X || Y (uncompressed) for the NIST curves.
  std::span<const std::uint8_t> public_share() const { return public_share_; }

  // The shared secret with the peer's public share: X25519's 32 bytes, or the NIST curves' X
  // coordinate padded to the field size (RFC 8446 §7.4.2). Fails with invalid_key_share when the
  // share has the wrong length or form, is not a point on the curve, or (X25519) gives the
  // all-zero secret of a low-order point (RFC 7748 §6.1, RFC 8446 §7.4.2).
  Result<Secret> shared_secret(std::span<const std::uint8_t> peer_share) const;

 private:
  KeyShare(NamedGroup group, evp_pkey_st* key, std::vector<std::uint8_t> public_share)
      : group_(group), key_(key), public_share_(std::move(public_share)) {}

  NamedGroup group_;
  evp_pkey_st* key_ = nullptr;
  std::vector<std::uint8_t> public_share_;
};

}  // namespace duplex::crypto
