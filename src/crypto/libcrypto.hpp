// Private helpers for the libcrypto (OpenSSL 3) backend: owning pointers, the error queue, and the
// algorithm objects fetched once per process.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "duplex/crypto/error.hpp"
#include "duplex/crypto/hash.hpp"

namespace duplex::crypto::detail {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

// Clears OpenSSL's per-thread error queue on entry and exit, so one failure never leaks into the
// report of an unrelated later call.
class ErrorQueueGuard {
 public:
  ErrorQueueGuard();
  ~ErrorQueueGuard();
  ErrorQueueGuard(const ErrorQueueGuard&) = delete;
  ErrorQueueGuard& operator=(const ErrorQueueGuard&) = delete;
};

// An Error whose sentence is `what` followed by libcrypto's own reason, when it gave one.
Error libcrypto_error(CryptoError code, std::string what);

// Prints `what` and aborts: for failures that only a broken or exhausted provider can cause.
[[noreturn]] void provider_abort(const char* what);

// Fetched once per process (thread-safe static initialisation); never null.
const EVP_MD* fetched_md(HashAlgorithm algorithm);
// An HMAC context with the digest already set, to be duplicated (EVP_MAC_CTX_dup) per use so
// no call fetches.
const EVP_MAC_CTX* hmac_template(HashAlgorithm algorithm);

}  // namespace duplex::crypto::detail
