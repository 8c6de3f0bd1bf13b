// RFC 8446 §4.4.2 Certificate (X.509 certificate type: cert_data is DER, kept as bytes for the
// x509 layer to parse).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/extension.hpp"

namespace duplex::tls {

// struct {
//     opaque cert_data<1..2^24-1>;
//     Extension extensions<0..2^16-1>;
// } CertificateEntry;
struct CertificateEntry {
  std::vector<std::uint8_t> cert_data;  // one DER certificate
  std::vector<Extension> extensions;    // status_request (OCSP), signed_certificate_timestamp

  bool operator==(const CertificateEntry&) const = default;
};

// struct {
//     opaque certificate_request_context<0..2^8-1>;
//     CertificateEntry certificate_list<0..2^24-1>;
// } Certificate;
struct Certificate {
  std::vector<std::uint8_t> certificate_request_context;
  std::vector<CertificateEntry> certificate_list;  // end-entity first (§4.4.2)

  bool operator==(const Certificate&) const = default;
};

// An empty certificate_list parses (a client without a certificate sends one); the engine
// decides (§4.4.2.4: the client then aborts with decode_error; a server may go on or send
// certificate_required).
Result<Certificate> parse_certificate(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_certificate(const Certificate& message);

}  // namespace duplex::tls
