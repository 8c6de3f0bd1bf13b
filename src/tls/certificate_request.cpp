#include "duplex/tls/certificate_request.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {
constexpr wire::VectorBounds context_bounds{0, 0xff};
constexpr ExtensionsBounds extensions_bounds{2, 0xffff};
constexpr std::string_view section = "RFC 8446 §4.3.2";
}  // namespace

Result<CertificateRequest> parse_certificate_request(std::span<const std::uint8_t> body) {
  ByteReader in(body);
  CertificateRequest request;
  auto context = wire::read_vector(in, context_bounds,
                                   {"the CertificateRequest's certificate_request_context", section});
  if (!context) return fail(context.error());
  request.certificate_request_context.assign(context->begin(), context->end());
  auto extensions = read_extensions(in, ExtensionContext::certificate_request, extensions_bounds);
  if (!extensions) return fail(extensions.error());
  request.extensions = std::move(*extensions);
  if (auto end = wire::expect_end(in, {"the CertificateRequest", section}); !end) return fail(end.error());
  if (find_extension(request.extensions, ExtensionType::signature_algorithms) == nullptr) {
    // RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be specified".
    return reject(AlertDescription::missing_extension,
                  "the CertificateRequest has no signature_algorithms extension (RFC 8446 §4.3.2)");
  }
  return request;
}

std::vector<std::uint8_t> encode_certificate_request(const CertificateRequest& message) {
  std::vector<std::uint8_t> out;
  wire::put_vector(out, context_bounds, message.certificate_request_context);
  write_extensions(out, message.extensions, extensions_bounds);
  return out;
}

}  // namespace duplex::tls
