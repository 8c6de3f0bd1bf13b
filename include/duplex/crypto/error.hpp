// Errors of the crypto provider. Every operation that depends on its input (a key, a peer's key
// share, a signature, a record's tag) returns Result<T> with one of these codes in Error::code and
// a sentence naming the operation; the TLS engine maps each code to its alert in one place.
#pragma once

#include <string>
#include <string_view>

#include "duplex/util/result.hpp"

namespace duplex::crypto {

enum class CryptoError : int {
  provider_failure = 1,   // libcrypto failed where it should not (out of memory, missing algorithm)
  invalid_length,         // a key, nonce, buffer or output length out of range
  authentication_failed,  // an AEAD tag did not match: the record is forged or corrupted
  invalid_key_share,      // a peer's key share of the wrong size, off the curve, or of low order
  invalid_key,            // DER that is not a key, or a key type we do not support
  unsupported_algorithm,  // an algorithm or signature scheme we do not implement
  scheme_key_mismatch,    // a signature scheme that does not fit the key (e.g. P-256 scheme, P-384 key)
  bad_signature,          // a signature that does not verify
};

std::string_view to_string(CryptoError code);

// An Error with `code` and the sentence `message` (no trailing period).
Error make_error(CryptoError code, std::string message);

// The CryptoError in an Error from this layer.
inline CryptoError crypto_error_of(const Error& error) { return static_cast<CryptoError>(error.code); }

}  // namespace duplex::crypto
