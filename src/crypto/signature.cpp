#include "duplex/crypto/signature.hpp"

#include <openssl/core_names.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <utility>

#include "libcrypto.hpp"

namespace duplex::crypto {
namespace {

// How a scheme signs: the digest (none for Ed25519, which hashes inside), the RSA padding, and
// the one key type it fits.
struct SchemeInfo {
  const char* digest;
  int rsa_padding;  // 0 when not RSA
  KeyType key;
};

std::optional<SchemeInfo> scheme_info(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::rsa_pkcs1_sha256:
      return SchemeInfo{"SHA2-256", RSA_PKCS1_PADDING, KeyType::rsa};
    case SignatureScheme::rsa_pkcs1_sha384:
      return SchemeInfo{"SHA2-384", RSA_PKCS1_PADDING, KeyType::rsa};
    case SignatureScheme::rsa_pkcs1_sha512:
      return SchemeInfo{"SHA2-512", RSA_PKCS1_PADDING, KeyType::rsa};
    case SignatureScheme::rsa_pss_rsae_sha256:
      return SchemeInfo{"SHA2-256", RSA_PKCS1_PSS_PADDING, KeyType::rsa};
    case SignatureScheme::rsa_pss_rsae_sha384:
      return SchemeInfo{"SHA2-384", RSA_PKCS1_PSS_PADDING, KeyType::rsa};
    case SignatureScheme::rsa_pss_rsae_sha512:
      return SchemeInfo{"SHA2-512", RSA_PKCS1_PSS_PADDING, KeyType::rsa};
    case SignatureScheme::ecdsa_secp256r1_sha256:
      return SchemeInfo{"SHA2-256", 0, KeyType::ecdsa_p256};
    case SignatureScheme::ecdsa_secp384r1_sha384:
      return SchemeInfo{"SHA2-384", 0, KeyType::ecdsa_p384};
    case SignatureScheme::ed25519:
      return SchemeInfo{nullptr, 0, KeyType::ed25519};
    default:
      return std::nullopt;
  }
}

// The scheme's parameters, or why it cannot be used with a key of `type`.
bool is_ecdsa(KeyType type) { return type == KeyType::ecdsa_p256 || type == KeyType::ecdsa_p384; }

bool fits(const SchemeInfo& info, KeyType type, CurveRule rule) {
  return info.key == type || (rule == CurveRule::any_curve && is_ecdsa(info.key) && is_ecdsa(type));
}

Result<SchemeInfo> check_scheme(SignatureScheme scheme, KeyType type, CurveRule rule, const char* operation) {
  const auto info = scheme_info(scheme);
  if (!info) {
    return fail(make_error(
        CryptoError::unsupported_algorithm,
        std::string(operation) + " with signature scheme " + to_string(scheme) + " is not supported"));
  }
  if (!fits(*info, type, rule)) {
    return fail(make_error(CryptoError::scheme_key_mismatch, std::string(operation) + ": signature scheme " +
                                                                 to_string(scheme) + " does not fit an " +
                                                                 std::string(to_string(type)) + " key"));
  }
  return *info;
}

std::optional<KeyType> key_type_of(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "RSA")) return KeyType::rsa;
  if (EVP_PKEY_is_a(key, "ED25519")) return KeyType::ed25519;
  if (EVP_PKEY_is_a(key, "EC")) {
    char name[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(key, name, sizeof(name), &length) != 1) return std::nullopt;
    if (std::strcmp(name, "prime256v1") == 0 || std::strcmp(name, "P-256") == 0) return KeyType::ecdsa_p256;
    if (std::strcmp(name, "secp384r1") == 0 || std::strcmp(name, "P-384") == 0) return KeyType::ecdsa_p384;
  }
  return std::nullopt;
}

// Sets the RSA padding (and PSS salt) on a signing or verifying context.
bool set_rsa_padding(EVP_PKEY_CTX* ctx, const SchemeInfo& info) {
  if (info.rsa_padding == 0) return true;
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, info.rsa_padding) != 1) return false;
  // RFC 8446 §4.2.3: "The length of the Salt MUST be equal to the length of the output of the
  // digest algorithm"; in verification this value also insists on it. MGF1 uses the same hash.
  return info.rsa_padding != RSA_PKCS1_PSS_PADDING ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1;
}

evp_pkey_st* up_ref(evp_pkey_st* key) {
  if (key != nullptr && EVP_PKEY_up_ref(key) != 1) detail::provider_abort("sharing a key failed");
  return key;
}

struct DecodedKey {
  KeyType type;
  detail::PkeyPtr key;
};

// Decodes a whole DER key with libcrypto's `d2i` (d2i_PUBKEY or d2i_AutoPrivateKey): no bytes
// may follow it, and it must be one of the key types we sign and verify with.
Result<DecodedKey> decode_key(std::span<const std::uint8_t> der,
                              EVP_PKEY* (*d2i)(EVP_PKEY**, const unsigned char**, long),
                              const std::string& what, const std::string& expected_form) {
  detail::ErrorQueueGuard guard;
  if (der.size() > LONG_MAX) return fail(make_error(CryptoError::invalid_key, "the " + what + " DER is too long"));
  const unsigned char* cursor = der.data();
  detail::PkeyPtr key(d2i(nullptr, &cursor, static_cast<long>(der.size())));
  if (!key) {
    return fail(detail::libcrypto_error(CryptoError::invalid_key, "the " + what + " is not " + expected_form));
  }
  if (cursor != der.data() + der.size()) {
    return fail(make_error(CryptoError::invalid_key, "the " + what + " DER has bytes after its end"));
  }
  const auto type = key_type_of(key.get());
  if (!type) {
    return fail(make_error(CryptoError::invalid_key, "the " + what +
                                                         " is not RSA, ECDSA P-256/P-384 or Ed25519, which are "
                                                         "the ones supported"));
  }
  return DecodedKey{*type, std::move(key)};
}

}  // namespace

std::string to_string(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::rsa_pkcs1_sha256:
      return "rsa_pkcs1_sha256";
    case SignatureScheme::rsa_pkcs1_sha384:
      return "rsa_pkcs1_sha384";
    case SignatureScheme::rsa_pkcs1_sha512:
      return "rsa_pkcs1_sha512";
    case SignatureScheme::ecdsa_secp256r1_sha256:
      return "ecdsa_secp256r1_sha256";
    case SignatureScheme::ecdsa_secp384r1_sha384:
      return "ecdsa_secp384r1_sha384";
    case SignatureScheme::ecdsa_secp521r1_sha512:
      return "ecdsa_secp521r1_sha512";
    case SignatureScheme::rsa_pss_rsae_sha256:
      return "rsa_pss_rsae_sha256";
    case SignatureScheme::rsa_pss_rsae_sha384:
      return "rsa_pss_rsae_sha384";
    case SignatureScheme::rsa_pss_rsae_sha512:
      return "rsa_pss_rsae_sha512";
    case SignatureScheme::ed25519:
      return "ed25519";
    case SignatureScheme::ed448:
      return "ed448";
    case SignatureScheme::rsa_pss_pss_sha256:
      return "rsa_pss_pss_sha256";
    case SignatureScheme::rsa_pss_pss_sha384:
      return "rsa_pss_pss_sha384";
    case SignatureScheme::rsa_pss_pss_sha512:
      return "rsa_pss_pss_sha512";
    case SignatureScheme::rsa_pkcs1_sha1:
      return "rsa_pkcs1_sha1";
    case SignatureScheme::ecdsa_sha1:
      return "ecdsa_sha1";
  }
  char text[8];
  std::snprintf(text, sizeof(text), "0x%04x", static_cast<unsigned>(scheme));
  return text;
}

bool is_supported(SignatureScheme scheme) { return scheme_info(scheme).has_value(); }

std::string_view to_string(KeyType type) {
  switch (type) {
    case KeyType::rsa:
      return "RSA";
    case KeyType::ecdsa_p256:
      return "ECDSA P-256";
    case KeyType::ecdsa_p384:
      return "ECDSA P-384";
    case KeyType::ed25519:
      return "Ed25519";
  }
  return "unknown key type";
}

bool scheme_fits_key(SignatureScheme scheme, KeyType type, CurveRule rule) {
  const auto info = scheme_info(scheme);
  return info && fits(*info, type, rule);
}

// KeyReference

namespace detail {
KeyReference::~KeyReference() { EVP_PKEY_free(key_); }
KeyReference::KeyReference(const KeyReference& other) : key_(up_ref(other.key_)) {}
KeyReference& KeyReference::operator=(const KeyReference& other) {
  if (this != &other) {
    EVP_PKEY* key = up_ref(other.key_);
    EVP_PKEY_free(key_);
    key_ = key;
  }
  return *this;
}
KeyReference& KeyReference::operator=(KeyReference&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(key_);
    key_ = std::exchange(other.key_, nullptr);
  }
  return *this;
}
}  // namespace detail

// PublicKey

Result<PublicKey> PublicKey::from_spki_der(std::span<const std::uint8_t> der) {
  auto decoded = decode_key(der, d2i_PUBKEY, "public key", "a DER SubjectPublicKeyInfo");
  if (!decoded) return fail(decoded.error());
  return PublicKey(decoded->type, decoded->key.release());
}

int PublicKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

std::vector<std::uint8_t> PublicKey::spki_der() const {
  detail::ErrorQueueGuard guard;
  const int length = i2d_PUBKEY(key_.get(), nullptr);
  if (length <= 0) detail::provider_abort("encoding a public key failed");
  std::vector<std::uint8_t> der(static_cast<std::size_t>(length));
  unsigned char* cursor = der.data();
  if (i2d_PUBKEY(key_.get(), &cursor) != length) detail::provider_abort("encoding a public key failed");
  return der;
}

Status<> PublicKey::verify(SignatureScheme scheme, std::span<const std::uint8_t> message,
                           std::span<const std::uint8_t> signature, CurveRule rule) const {
  auto info = check_scheme(scheme, type_, rule, "verifying");
  if (!info) return fail(info.error());
  detail::ErrorQueueGuard guard;
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by ctx
  if (!ctx ||
      EVP_DigestVerifyInit_ex(ctx.get(), &pkey_ctx, info->digest, nullptr, nullptr, key_.get(), nullptr) != 1 ||
      !set_rsa_padding(pkey_ctx, *info)) {
    return fail(detail::libcrypto_error(CryptoError::provider_failure,
                                        "setting up " + to_string(scheme) + " verification failed"));
  }
  // 0 is a wrong signature, a negative value a malformed one (e.g. bad ECDSA DER): both reject.
  if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) != 1) {
    return fail(detail::libcrypto_error(CryptoError::bad_signature,
                                        "the " + to_string(scheme) + " signature does not verify"));
  }
  return Unit{};
}

// PrivateKey

Result<PrivateKey> PrivateKey::from_der(std::span<const std::uint8_t> der) {
  auto decoded = decode_key(der, d2i_AutoPrivateKey, "private key", "PKCS #8 or traditional RSA/EC DER");
  if (!decoded) return fail(decoded.error());
  return PrivateKey(decoded->type, decoded->key.release());
}

Result<PrivateKey> PrivateKey::generate(KeyType type) {
  detail::ErrorQueueGuard guard;
  EVP_PKEY* key = nullptr;
  switch (type) {
    case KeyType::rsa:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
      break;
    case KeyType::ecdsa_p256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case KeyType::ecdsa_p384:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
      break;
    case KeyType::ed25519:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (key == nullptr) {
    return fail(detail::libcrypto_error(CryptoError::provider_failure,
                                        "generating an " + std::string(to_string(type)) + " key failed"));
  }
  return PrivateKey(type, key);
}

PublicKey PrivateKey::public_key() const {
  // The EVP_PKEY holds both halves; verification only reads the public one.
  return PublicKey(type_, up_ref(key_.get()));
}

Result<Secret> PrivateKey::pkcs8_der() const {
  detail::ErrorQueueGuard guard;
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key_.get());
  if (info == nullptr) {
    return fail(
        detail::libcrypto_error(CryptoError::provider_failure, "encoding a private key as PKCS #8 failed"));
  }
  unsigned char* der = nullptr;
  const int length = i2d_PKCS8_PRIV_KEY_INFO(info, &der);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (length <= 0 || der == nullptr) {
    return fail(
        detail::libcrypto_error(CryptoError::provider_failure, "encoding a private key as PKCS #8 failed"));
  }
  Secret out(std::span<const std::uint8_t>(der, static_cast<std::size_t>(length)));
  OPENSSL_clear_free(der, static_cast<std::size_t>(length));
  return out;
}

Result<std::vector<std::uint8_t>> PrivateKey::sign(SignatureScheme scheme, std::span<const std::uint8_t> message,
                                                   CurveRule rule) const {
  auto info = check_scheme(scheme, type_, rule, "signing");
  if (!info) return fail(info.error());
  detail::ErrorQueueGuard guard;
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by ctx
  std::size_t length = 0;
  if (!ctx ||
      EVP_DigestSignInit_ex(ctx.get(), &pkey_ctx, info->digest, nullptr, nullptr, key_.get(), nullptr) != 1 ||
      !set_rsa_padding(pkey_ctx, *info) ||
      EVP_DigestSign(ctx.get(), nullptr, &length, message.data(), message.size()) != 1) {
    return fail(detail::libcrypto_error(CryptoError::provider_failure,
                                        "setting up " + to_string(scheme) + " signing failed"));
  }
  std::vector<std::uint8_t> signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, message.data(), message.size()) != 1) {
    return fail(detail::libcrypto_error(CryptoError::provider_failure,
                                        "signing with " + to_string(scheme) + " failed"));
  }
  signature.resize(length);  // ECDSA's DER is often shorter than the maximum
  return signature;
}

}  // namespace duplex::crypto
