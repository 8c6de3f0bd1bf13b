#include "duplex/crypto/rsa_key_transport.hpp"

#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include <array>
#include <string>

#include "duplex/crypto/error.hpp"
#include "duplex/crypto/random.hpp"
#include "libcrypto.hpp"

namespace duplex::crypto {

Secret make_tls_premaster(std::uint16_t client_version) {
  Secret secret(kTlsPreMasterSecretSize);
  auto bytes = secret.bytes();
  // RFC 5246 §7.4.7.1: "client_version: The latest (newest) version supported by the client";
  // "random: 46 securely-generated random bytes".
  bytes[0] = static_cast<std::uint8_t>(client_version >> 8);
  bytes[1] = static_cast<std::uint8_t>(client_version);
  random_bytes(bytes.subspan(2));
  return secret;
}

Result<std::vector<std::uint8_t>> encrypt_tls_premaster(const PublicKey& server_key, const Secret& pre_master_secret) {
  if (server_key.type() != KeyType::rsa)
    return fail(make_error(CryptoError::invalid_key, "RSA key transport needs an RSA server key, not an " +
                                                         std::string(to_string(server_key.type())) + " one"));
  if (pre_master_secret.size() != kTlsPreMasterSecretSize)
    return fail(make_error(CryptoError::invalid_length, "an RSA-transported pre-master secret is 48 bytes, not " +
                                                            std::to_string(pre_master_secret.size())));
  detail::ErrorQueueGuard guard;
  detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, detail::KeyAccess::get(server_key), nullptr));
  std::size_t length = 0;
  const auto in = pre_master_secret.bytes();
  // RFC 5246 §7.4.7.1: "RSA-encrypted PreMasterSecret", RSAES-PKCS1-v1_5 (RFC 3447 §7.2).
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_encrypt(ctx.get(), nullptr, &length, in.data(), in.size()) != 1)
    return fail(detail::libcrypto_error(CryptoError::provider_failure, "setting up RSA key transport failed"));
  std::vector<std::uint8_t> ciphertext(length);
  if (EVP_PKEY_encrypt(ctx.get(), ciphertext.data(), &length, in.data(), in.size()) != 1)
    return fail(detail::libcrypto_error(CryptoError::provider_failure,
                                        "encrypting the pre-master secret to the server's RSA key failed"));
  ciphertext.resize(length);
  return ciphertext;
}

namespace {

// libcrypto's TLS mode: the 48 decrypted bytes when padding and version check out, its own random
// bytes when they do not (both "success"); false only for a publicly invalid input or a failure.
bool decrypt_with_tls_padding(EVP_PKEY* key, std::span<const std::uint8_t> ciphertext, unsigned int client_version,
                              std::array<std::uint8_t, kTlsPreMasterSecretSize>& out) {
  detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  // RSA_PKCS1_WITH_TLS_PADDING needs the ClientHello's version (rsa_enc.c refuses 0:
  // PROV_R_BAD_TLS_CLIENT_VERSION).
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &client_version),
                               OSSL_PARAM_construct_end()};
  std::size_t length = out.size();
  return ctx && EVP_PKEY_decrypt_init(ctx.get()) == 1 &&
         EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_WITH_TLS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_params(ctx.get(), params) == 1 &&
         EVP_PKEY_decrypt(ctx.get(), out.data(), &length, ciphertext.data(), ciphertext.size()) == 1 &&
         length == out.size();
}

}  // namespace

Secret decrypt_tls_premaster(const PrivateKey& private_key, std::span<const std::uint8_t> ciphertext,
                             std::uint16_t client_version) {
  // RFC 5246 §7.4.7.1, step 1: a random R, drawn before anything is decrypted so that the failure
  // path costs what the success path costs.
  Secret pre_master(kTlsPreMasterSecretSize);
  random_bytes(pre_master.bytes());
  std::array<std::uint8_t, kTlsPreMasterSecretSize> decrypted{};
  bool decrypted_ok = false;
  {
    // Cleared on entry and exit: nothing about this decryption stays in the error queue.
    detail::ErrorQueueGuard guard;
    decrypted_ok = private_key.type() == KeyType::rsa &&
                   decrypt_with_tls_padding(detail::KeyAccess::get(private_key), ciphertext, client_version, decrypted);
  }
  // RFC 5246 §7.4.7.1, step 3: if the padding is not correct or M is not 48 bytes, the pre-master
  // secret is R. libcrypto already made that choice in constant time (and for the version bytes
  // too); this one only covers errors libcrypto reports, and is made with a mask, not a branch.
  const auto keep = static_cast<std::uint8_t>(0u - static_cast<unsigned>(decrypted_ok));
  auto out = pre_master.bytes();
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>((decrypted[i] & keep) | (out[i] & static_cast<std::uint8_t>(~keep)));
  secure_wipe(decrypted);
  return pre_master;
}

}  // namespace duplex::crypto
