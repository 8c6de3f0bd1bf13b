// RFC 8446 §4.4.3 CertificateVerify (the signature is checked by the engine with the provider).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/signature_scheme.hpp"

namespace duplex::tls {

// struct {
//     SignatureScheme algorithm;
//     opaque signature<0..2^16-1>;
// } CertificateVerify;
struct CertificateVerify {
  SignatureScheme algorithm{};
  std::vector<std::uint8_t> signature;

  bool operator==(const CertificateVerify&) const = default;
};

Result<CertificateVerify> parse_certificate_verify(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_certificate_verify(const CertificateVerify& message);

}  // namespace duplex::tls
