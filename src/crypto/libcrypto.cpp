#include "libcrypto.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace duplex::crypto::detail {

ErrorQueueGuard::ErrorQueueGuard() { ERR_clear_error(); }
ErrorQueueGuard::~ErrorQueueGuard() { ERR_clear_error(); }

Error libcrypto_error(CryptoError code, std::string what) {
  const unsigned long reason = ERR_peek_last_error();
  if (reason != 0) {
    char text[256];
    ERR_error_string_n(reason, text, sizeof(text));
    what += " (libcrypto: ";
    what += text;
    what += ")";
  }
  ERR_clear_error();
  return make_error(code, std::move(what));
}

void provider_abort(const char* what) {
  std::fprintf(stderr, "duplex: %s in the crypto provider\n", what);
  std::abort();
}

namespace {

const char* md_name(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::sha256:
      return "SHA2-256";
    case HashAlgorithm::sha384:
      return "SHA2-384";
    case HashAlgorithm::sha512:
      return "SHA2-512";
  }
  provider_abort("an unknown hash algorithm was asked for");
}

EVP_MD* fetch_md(HashAlgorithm algorithm) {
  EVP_MD* md = EVP_MD_fetch(nullptr, md_name(algorithm), nullptr);
  if (md == nullptr) provider_abort("fetching a SHA-2 digest failed");
  return md;
}

EVP_MAC_CTX* make_hmac_template(HashAlgorithm algorithm) {
  // OpenSSL 3.0 fetches per call: take the HMAC implementation once, and set its digest once
  // in a template context that each use duplicates.
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) provider_abort("fetching HMAC failed");
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  if (ctx == nullptr) provider_abort("creating an HMAC context failed");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(md_name(algorithm)), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(ctx, params) != 1) provider_abort("setting the HMAC digest failed");
  return ctx;
}

}  // namespace

const EVP_MD* fetched_md(HashAlgorithm algorithm) {
  static EVP_MD* const sha256 = fetch_md(HashAlgorithm::sha256);
  static EVP_MD* const sha384 = fetch_md(HashAlgorithm::sha384);
  static EVP_MD* const sha512 = fetch_md(HashAlgorithm::sha512);
  switch (algorithm) {
    case HashAlgorithm::sha256:
      return sha256;
    case HashAlgorithm::sha384:
      return sha384;
    case HashAlgorithm::sha512:
      return sha512;
  }
  provider_abort("an unknown hash algorithm was asked for");
}

const EVP_MAC_CTX* hmac_template(HashAlgorithm algorithm) {
  static EVP_MAC_CTX* const sha256 = make_hmac_template(HashAlgorithm::sha256);
  static EVP_MAC_CTX* const sha384 = make_hmac_template(HashAlgorithm::sha384);
  static EVP_MAC_CTX* const sha512 = make_hmac_template(HashAlgorithm::sha512);
  switch (algorithm) {
    case HashAlgorithm::sha256:
      return sha256;
    case HashAlgorithm::sha384:
      return sha384;
    case HashAlgorithm::sha512:
      return sha512;
  }
  provider_abort("an unknown hash algorithm was asked for");
}

}  // namespace duplex::crypto::detail
