#include "duplex/crypto/key_exchange.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "libcrypto.hpp"

namespace duplex::crypto {
namespace {

constexpr std::size_t kX25519Size = 32;

// The NIST curve behind a group and the size of one coordinate.
struct Curve {
  const char* name;
  std::size_t field_size;
};

Curve nist_curve(NamedGroup group) {
  switch (group) {
    case NamedGroup::secp256r1:
      return {"P-256", 32};
    case NamedGroup::secp384r1:
      return {"P-384", 48};
    default:
      return {nullptr, 0};
  }
}

Result<std::vector<std::uint8_t>> encode_public_share(NamedGroup group, EVP_PKEY* key) {
  std::vector<std::uint8_t> share;
  if (group == NamedGroup::x25519) {
    share.resize(kX25519Size);
    std::size_t length = share.size();
    if (EVP_PKEY_get_raw_public_key(key, share.data(), &length) != 1 || length != kX25519Size) {
      return fail(
          detail::libcrypto_error(CryptoError::provider_failure, "reading an X25519 public key failed"));
    }
    return share;
  }
  // RFC 8446 §4.2.8.2: UncompressedPointRepresentation, libcrypto's default point format.
  share.resize(1 + 2 * nist_curve(group).field_size);
  std::size_t length = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, share.data(), share.size(),
                                      &length) != 1 ||
      length != share.size() || share[0] != 0x04) {
    return fail(detail::libcrypto_error(CryptoError::provider_failure, "encoding an EC public key failed"));
  }
  return share;
}

Result<KeyShare> failed_generation(NamedGroup group) {
  return fail(detail::libcrypto_error(CryptoError::provider_failure,
                                      "generating a " + to_string(group) + " key share failed"));
}

// The peer's public share as a key of the same group, checked: size, form, and on the curve.
Result<detail::PkeyPtr> peer_key(NamedGroup group, std::span<const std::uint8_t> share) {
  const std::string where = "the peer's " + to_string(group) + " key share";
  if (group == NamedGroup::x25519) {
    if (share.size() != kX25519Size) {
      return fail(make_error(CryptoError::invalid_key_share,
                             where + " has " + std::to_string(share.size()) + " bytes, not 32"));
    }
    detail::PkeyPtr key(
        EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, share.data(), share.size()));
    if (!key) return fail(detail::libcrypto_error(CryptoError::invalid_key_share, where + " is not a key"));
    return key;
  }
  const Curve curve = nist_curve(group);
  if (share.size() != 1 + 2 * curve.field_size) {
    return fail(make_error(CryptoError::invalid_key_share, where + " has " + std::to_string(share.size()) +
                                                               " bytes, not " +
                                                               std::to_string(1 + 2 * curve.field_size)));
  }
  // RFC 8446 §4.2.8.2: only the uncompressed form (legacy_form 4) is allowed in TLS 1.3.
  if (share[0] != 0x04) {
    return fail(make_error(CryptoError::invalid_key_share, where + " is not an uncompressed point"));
  }
  detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(curve.name), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<std::uint8_t*>(share.data()),
                                        share.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* raw = nullptr;
  // Importing decodes the point, which rejects points off the curve.
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    return fail(
        detail::libcrypto_error(CryptoError::invalid_key_share, where + " is not a point on the curve"));
  }
  return detail::PkeyPtr(raw);
}

int peer_public_check(EVP_PKEY* peer) {
  detail::PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, peer, nullptr));
  return check ? EVP_PKEY_public_check_quick(check.get()) : 0;
}

}  // namespace

std::string to_string(NamedGroup group) {
  switch (group) {
    case NamedGroup::secp256r1:
      return "secp256r1";
    case NamedGroup::secp384r1:
      return "secp384r1";
    case NamedGroup::secp521r1:
      return "secp521r1";
    case NamedGroup::x25519:
      return "x25519";
    case NamedGroup::x448:
      return "x448";
    case NamedGroup::ffdhe2048:
      return "ffdhe2048";
    case NamedGroup::ffdhe3072:
      return "ffdhe3072";
    case NamedGroup::ffdhe4096:
      return "ffdhe4096";
    case NamedGroup::ffdhe6144:
      return "ffdhe6144";
    case NamedGroup::ffdhe8192:
      return "ffdhe8192";
  }
  char text[8];
  std::snprintf(text, sizeof(text), "0x%04x", static_cast<unsigned>(group));
  return text;
}

bool is_supported(NamedGroup group) {
  return group == NamedGroup::x25519 || group == NamedGroup::secp256r1 || group == NamedGroup::secp384r1;
}

Result<KeyShare> KeyShare::generate(NamedGroup group) {
  if (!is_supported(group)) {
    return fail(make_error(CryptoError::unsupported_algorithm,
                           "key exchange group " + to_string(group) + " is not supported"));
  }
  detail::ErrorQueueGuard guard;
  EVP_PKEY* raw = group == NamedGroup::x25519
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", nist_curve(group).name);
  detail::PkeyPtr key(raw);
  if (!key) return failed_generation(group);
  auto share = encode_public_share(group, key.get());
  if (!share) return fail(share.error());
  return KeyShare(group, key.release(), std::move(share).value());
}

Result<KeyShare> KeyShare::from_private_key(NamedGroup group, std::span<const std::uint8_t> private_key) {
  if (group != NamedGroup::x25519) {
    return fail(make_error(CryptoError::unsupported_algorithm,
                           "a key share from a given private key exists only for x25519"));
  }
  if (private_key.size() != kX25519Size) {
    return fail(make_error(CryptoError::invalid_length, "an X25519 private key has 32 bytes"));
  }
  detail::ErrorQueueGuard guard;
  detail::PkeyPtr key(
      EVP_PKEY_new_raw_private_key_ex(nullptr, "X25519", nullptr, private_key.data(), private_key.size()));
  if (!key) return failed_generation(group);
  auto share = encode_public_share(group, key.get());
  if (!share) return fail(share.error());
  return KeyShare(group, key.release(), std::move(share).value());
}

KeyShare::~KeyShare() { EVP_PKEY_free(key_); }

KeyShare::KeyShare(KeyShare&& other) noexcept
    : group_(other.group_),
      key_(std::exchange(other.key_, nullptr)),
      public_share_(std::move(other.public_share_)) {}

KeyShare& KeyShare::operator=(KeyShare&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(key_);
    group_ = other.group_;
    key_ = std::exchange(other.key_, nullptr);
    public_share_ = std::move(other.public_share_);
  }
  return *this;
}

Result<Secret> KeyShare::shared_secret(std::span<const std::uint8_t> peer_share) const {
  detail::ErrorQueueGuard guard;
  auto peer = peer_key(group_, peer_share);
  if (!peer) return fail(peer.error());
  const std::string what = to_string(group_) + " key agreement";
  detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_, nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) {
    return fail(detail::libcrypto_error(CryptoError::provider_failure, what + " could not start"));
  }
  // RFC 8446 §4.2.8.2: peers "MUST validate ... that the point is a valid point on the elliptic
  // curve". The quick check does that (and rejects infinity); the full check would add an n*Q
  // multiplication that proves nothing on these prime-order curves and doubles the cost.
  // X25519 needs no check here: every 32-byte string is a valid u-coordinate (RFC 7748 §5).
  if ((group_ != NamedGroup::x25519 && peer_public_check(peer->get()) != 1) ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer->get(), 0) != 1) {
    return fail(detail::libcrypto_error(CryptoError::invalid_key_share,
                                        "the peer's " + to_string(group_) + " key share failed validation"));
  }
  std::size_t length = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &length) != 1) {
    return fail(detail::libcrypto_error(CryptoError::provider_failure, what + " failed"));
  }
  Secret secret(length);
  if (EVP_PKEY_derive(ctx.get(), secret.bytes().data(), &length) != 1) {
    // libcrypto's X25519 refuses the all-zero result of a low-order point here.
    return fail(detail::libcrypto_error(CryptoError::invalid_key_share,
                                        what + " failed: the peer's share is invalid (low order?)"));
  }
  secret.truncate(length);
  // RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero X25519 output MUST be rejected.
  std::uint8_t any_bit = 0;
  for (std::uint8_t byte : secret.bytes()) any_bit |= byte;  // no early exit: timing says nothing
  if (any_bit == 0) {
    return fail(make_error(CryptoError::invalid_key_share,
                           what + " gave the all-zero secret: the peer's share is a low-order point"));
  }
  return secret;
}

}  // namespace duplex::crypto
