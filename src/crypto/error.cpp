#include "duplex/crypto/error.hpp"

#include <utility>

namespace duplex::crypto {

std::string_view to_string(CryptoError code) {
  switch (code) {
    case CryptoError::provider_failure:
      return "provider_failure";
    case CryptoError::invalid_length:
      return "invalid_length";
    case CryptoError::authentication_failed:
      return "authentication_failed";
    case CryptoError::invalid_key_share:
      return "invalid_key_share";
    case CryptoError::invalid_key:
      return "invalid_key";
    case CryptoError::unsupported_algorithm:
      return "unsupported_algorithm";
    case CryptoError::scheme_key_mismatch:
      return "scheme_key_mismatch";
    case CryptoError::bad_signature:
      return "bad_signature";
  }
  return "unknown crypto error";
}

Error make_error(CryptoError code, std::string message) {
  return Error{static_cast<int>(code), std::move(message)};
}

}  // namespace duplex::crypto
