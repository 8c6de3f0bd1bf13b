#include "duplex/tls/certificate_verify.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {
constexpr wire::VectorBounds signature_bounds{0, 0xffff};
constexpr std::string_view section = "RFC 8446 §4.4.3";
}  // namespace

Result<CertificateVerify> parse_certificate_verify(std::span<const std::uint8_t> body) {
  ByteReader in(body);
  auto algorithm = wire::read_u16(in, {"the CertificateVerify's algorithm", section});
  if (!algorithm) return fail(algorithm.error());
  auto signature = wire::read_vector(in, signature_bounds, {"the CertificateVerify's signature", section});
  if (!signature) return fail(signature.error());
  if (auto end = wire::expect_end(in, {"the CertificateVerify", section}); !end) return fail(end.error());
  return CertificateVerify{static_cast<SignatureScheme>(*algorithm), {signature->begin(), signature->end()}};
}

std::vector<std::uint8_t> encode_certificate_verify(const CertificateVerify& message) {
  std::vector<std::uint8_t> out;
  wire::put_u16(out, static_cast<std::uint16_t>(message.algorithm));
  wire::put_vector(out, signature_bounds, message.signature);
  return out;
}

}  // namespace duplex::tls
