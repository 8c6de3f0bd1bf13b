// The pieces of the TLS 1.3 key schedule that every stage shares: the cipher suite's hash and
// AEAD, HKDF-Expand-Label and Derive-Secret (RFC 8446 §7.1), the traffic key and iv of a traffic
// secret (§7.3), and the next generation of a traffic secret for KeyUpdate (§7.2).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "duplex/crypto/aead.hpp"
#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/secret.hpp"
#include "duplex/tls/cipher_suite.hpp"
#include "duplex/tls/error.hpp"

namespace duplex::tls {

// A TLS 1.3 cipher suite we implement, with its hash and AEAD. It can only be made from one of
// the three suites of RFC 8446 §B.4 we support, so the key schedule never meets an unknown one.
class Tls13Suite {
 public:
  // nullopt for a suite that is not TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 or
  // TLS_CHACHA20_POLY1305_SHA256.
  static std::optional<Tls13Suite> from(CipherSuite suite);

  CipherSuite suite() const { return suite_; }
  crypto::HashAlgorithm hash() const { return hash_; }
  crypto::AeadAlgorithm aead() const { return aead_; }
  std::size_t hash_size() const { return crypto::digest_size(hash_); }
  std::size_t key_size() const { return crypto::key_size(aead_); }

  bool operator==(const Tls13Suite&) const = default;

 private:
  Tls13Suite(CipherSuite suite, crypto::HashAlgorithm hash, crypto::AeadAlgorithm aead)
      : suite_(suite), hash_(hash), aead_(aead) {}

  CipherSuite suite_;
  crypto::HashAlgorithm hash_;
  crypto::AeadAlgorithm aead_;
};

// RFC 8446 §7.1:
//   HKDF-Expand-Label(Secret, Label, Context, Length) =
//        HKDF-Expand(Secret, HkdfLabel, Length)
//   struct { uint16 length = Length; opaque label<7..255> = "tls13 " + Label;
//            opaque context<0..255> = Context; } HkdfLabel;
// Fails (internal_error) when the label is longer than 249 bytes, the context longer than 255, or
// the length over 255 * HashLen: all of them are our own mistakes, never a peer's.
Result<crypto::Secret> hkdf_expand_label(crypto::HashAlgorithm hash, std::span<const std::uint8_t> secret,
                                         std::string_view label, std::span<const std::uint8_t> context,
                                         std::size_t length);

// RFC 8446 §7.1: Derive-Secret(Secret, Label, Messages) =
//   HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length),
// given the transcript hash rather than the messages (the engine keeps a running crypto::Hash).
crypto::Secret derive_secret(crypto::HashAlgorithm hash, std::span<const std::uint8_t> secret, std::string_view label,
                             const crypto::Digest& transcript_hash);

// The write key and iv of one direction (RFC 8446 §7.3):
//   [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
//   [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
struct TrafficKeys {
  static constexpr std::size_t kIvSize = 12;  // RFC 8446 §5.3: iv_length is 12 for every suite we have

  crypto::Secret key;
  crypto::Secret iv;
};

// The traffic secret is Hash.length bytes, as the key schedule makes it; anything shorter is a bug
// in the caller and aborts (as do derive_secret and next_traffic_secret).
TrafficKeys derive_traffic_keys(const Tls13Suite& suite, const crypto::Secret& traffic_secret);

// RFC 8446 §7.2: application_traffic_secret_N+1 =
//   HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length)
crypto::Secret next_traffic_secret(const Tls13Suite& suite, const crypto::Secret& traffic_secret);

}  // namespace duplex::tls
