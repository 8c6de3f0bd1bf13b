// TlsError: what went wrong in a TLS peer's message, as the alert we send and a sentence about the
// peer ("the ClientHello's key_share extension lists the same group twice (RFC 8446 §4.2.8)").
//
// The alert is decided where the error is made: each rule of the codec is one `reject(...)` call
// next to the RFC text it enforces, so a reader checks the alert against the RFC in one place.
#pragma once

#include <string>

#include "duplex/tls/alert.hpp"
#include "duplex/util/result.hpp"

namespace duplex::tls {

struct TlsError {
  AlertDescription alert = AlertDescription::internal_error;
  std::string message;  // a sentence about the peer's message, ending with the RFC section

  bool operator==(const TlsError&) const = default;
};

template <typename T>
using Result = duplex::Result<T, TlsError>;
using Status = duplex::Result<Unit, TlsError>;

// The one way the codec makes an error: the alert to send and the sentence naming the cause.
inline Failure<TlsError> reject(AlertDescription alert, std::string message) {
  return fail(TlsError{alert, std::move(message)});
}

// "decode_error: the ClientHello's cipher_suites ... (RFC 8446 §4.1.2)".
inline std::string to_string(const TlsError& error) {
  return to_string(error.alert) + ": " + error.message;
}

}  // namespace duplex::tls
