// RFC 8446 §4.3.2 CertificateRequest.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/extension.hpp"

namespace duplex::tls {

// struct {
//     opaque certificate_request_context<0..2^8-1>;
//     Extension extensions<2..2^16-1>;
// } CertificateRequest;
struct CertificateRequest {
  std::vector<std::uint8_t> certificate_request_context;  // empty during the handshake
  std::vector<Extension> extensions;

  bool operator==(const CertificateRequest&) const = default;
};

// Without signature_algorithms → missing_extension (§4.3.2: "The "signature_algorithms"
// extension MUST be specified"; §6.2: missing_extension is sent "by endpoints that receive a
// handshake message not containing an extension that is mandatory to send").
Result<CertificateRequest> parse_certificate_request(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_certificate_request(const CertificateRequest& message);

}  // namespace duplex::tls
