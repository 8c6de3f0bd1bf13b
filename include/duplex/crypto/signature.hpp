// Signatures for TLS 1.3 CertificateVerify and for certificates, named by TLS SignatureScheme
// (RFC 8446 §4.2.3): RSASSA-PSS (rsae) and PKCS #1 v1.5 with SHA-2, ECDSA on P-256/P-384 (DER
// signatures, as TLS and X.509 carry them), and Ed25519.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "duplex/crypto/secret.hpp"
#include "duplex/util/result.hpp"

struct evp_pkey_st;

namespace duplex::crypto {

// RFC 8446 §4.2.3 SignatureScheme. An open enum: any 16-bit value may arrive from the wire.
enum class SignatureScheme : std::uint16_t {
  rsa_pkcs1_sha256 = 0x0401,
  rsa_pkcs1_sha384 = 0x0501,
  rsa_pkcs1_sha512 = 0x0601,
  ecdsa_secp256r1_sha256 = 0x0403,
  ecdsa_secp384r1_sha384 = 0x0503,
  ecdsa_secp521r1_sha512 = 0x0603,  // known for printing; not implemented
  rsa_pss_rsae_sha256 = 0x0804,
  rsa_pss_rsae_sha384 = 0x0805,
  rsa_pss_rsae_sha512 = 0x0806,
  ed25519 = 0x0807,
  ed448 = 0x0808,               // known for printing; not implemented
  rsa_pss_pss_sha256 = 0x0809,  // known for printing; not implemented
  rsa_pss_pss_sha384 = 0x080a,  // known for printing; not implemented
  rsa_pss_pss_sha512 = 0x080b,  // known for printing; not implemented
  rsa_pkcs1_sha1 = 0x0201,      // legacy; known for printing; not implemented
  ecdsa_sha1 = 0x0203,          // legacy; known for printing; not implemented
};

// The RFC's name, or "0x...." for a value we do not know.
std::string to_string(SignatureScheme scheme);
bool is_supported(SignatureScheme scheme);

// The kinds of key we sign and verify with. RSA keys are rsaEncryption keys (the "rsae" schemes).
enum class KeyType : std::uint8_t { rsa, ecdsa_p256, ecdsa_p384, ed25519 };

std::string_view to_string(KeyType type);  // "RSA", "ECDSA P-256", ...
// How an ECDSA scheme binds the key's curve. TLS 1.3 (RFC 8446 §4.2.3): ecdsa_secp256r1_sha256
// is ECDSA on P-256 with SHA-256 and nothing else. TLS 1.2 (RFC 5246 §7.4.1.4.1, RFC 8422 §5.1.3):
// the same code point is the pair (SHA-256, ECDSA) on whatever curve the certificate's key has.
enum class CurveRule : std::uint8_t { scheme_names_curve, any_curve };

// Whether `scheme` can be used with a key of `type` (e.g. ecdsa_secp256r1_sha256 only with P-256,
// or with any ECDSA key under CurveRule::any_curve).
bool scheme_fits_key(SignatureScheme scheme, KeyType type, CurveRule rule = CurveRule::scheme_names_curve);

class PublicKey;
class PrivateKey;

namespace detail {
// The libcrypto key inside a PublicKey or PrivateKey, for the crypto provider's other operations
// on the same keys (rsa_key_transport.cpp); not for use outside src/crypto.
struct KeyAccess {
  static evp_pkey_st* get(const PublicKey& key);
  static evp_pkey_st* get(const PrivateKey& key);
};

// One reference to a libcrypto key: a copy takes another reference, dropping one releases it,
// so PublicKey and PrivateKey share keys by copying.
class KeyReference {
 public:
  explicit KeyReference(evp_pkey_st* key) : key_(key) {}  // adopts the caller's reference
  ~KeyReference();
  KeyReference(const KeyReference& other);
  KeyReference& operator=(const KeyReference& other);
  KeyReference(KeyReference&& other) noexcept : key_(std::exchange(other.key_, nullptr)) {}
  KeyReference& operator=(KeyReference&& other) noexcept;
  evp_pkey_st* get() const { return key_; }

 private:
  evp_pkey_st* key_;
};
}  // namespace detail

// A public key: shared, immutable, safe to use from several threads at once.
class PublicKey {
 public:
  // A DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). Fails with invalid_key for bytes that are not
  // one (or have trailing data) or for key types other than KeyType's.
  static Result<PublicKey> from_spki_der(std::span<const std::uint8_t> der);

  KeyType type() const { return type_; }
  int bits() const;  // the RSA modulus size, or the curve's size
  std::vector<std::uint8_t> spki_der() const;

  // Checks `signature` over `message`. Fails with unsupported_algorithm for a scheme we do not
  // implement, scheme_key_mismatch when the scheme does not fit this key, and bad_signature when
  // the signature does not verify (including malformed DER for ECDSA).
  Status<> verify(SignatureScheme scheme, std::span<const std::uint8_t> message,
                  std::span<const std::uint8_t> signature, CurveRule rule = CurveRule::scheme_names_curve) const;

 private:
  friend class PrivateKey;
  friend struct detail::KeyAccess;
  PublicKey(KeyType type, evp_pkey_st* key) : type_(type), key_(key) {}

  KeyType type_;
  detail::KeyReference key_;
};

// A private key: shared, immutable, safe to use from several threads at once (a server signs
// with one key for all its connections). libcrypto wipes it when the last copy goes.
class PrivateKey {
 public:
  // PKCS #8 PrivateKeyInfo, or the traditional RSAPrivateKey / ECPrivateKey DER.
  static Result<PrivateKey> from_der(std::span<const std::uint8_t> der);
  static Result<PrivateKey> from_pkcs8_der(std::span<const std::uint8_t> der) { return from_der(der); }
  // A fresh key: RSA-2048, P-256, P-384 or Ed25519 (for tests and development certificates).
  static Result<PrivateKey> generate(KeyType type);

  KeyType type() const { return type_; }
  PublicKey public_key() const;
  // The unencrypted PKCS #8 PrivateKeyInfo DER.
  Result<Secret> pkcs8_der() const;

  // Signs `message` (hashing it as the scheme says). Fails with unsupported_algorithm or
  // scheme_key_mismatch like PublicKey::verify.
  Result<std::vector<std::uint8_t>> sign(SignatureScheme scheme, std::span<const std::uint8_t> message,
                                         CurveRule rule = CurveRule::scheme_names_curve) const;

 private:
  friend struct detail::KeyAccess;
  PrivateKey(KeyType type, evp_pkey_st* key) : type_(type), key_(key) {}

  KeyType type_;
  detail::KeyReference key_;
};

namespace detail {
inline evp_pkey_st* KeyAccess::get(const PublicKey& key) { return key.key_.get(); }
inline evp_pkey_st* KeyAccess::get(const PrivateKey& key) { return key.key_.get(); }
}  // namespace detail

}  // namespace duplex::crypto
