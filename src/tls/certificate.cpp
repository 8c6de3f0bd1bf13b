#include "duplex/tls/certificate.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {
constexpr wire::VectorBounds context_bounds{0, 0xff};
constexpr wire::VectorBounds list_bounds{0, 0xffffff};
constexpr wire::VectorBounds cert_data_bounds{1, 0xffffff};
constexpr ExtensionsBounds entry_extensions_bounds{0, 0xffff};
constexpr std::string_view section = "RFC 8446 §4.4.2";
}  // namespace

Result<Certificate> parse_certificate(std::span<const std::uint8_t> body) {
  ByteReader in(body);
  Certificate certificate;
  auto context = wire::read_vector(in, context_bounds,
                                   {"the Certificate's certificate_request_context", section});
  if (!context) return fail(context.error());
  certificate.certificate_request_context.assign(context->begin(), context->end());
  auto list = wire::read_vector(in, list_bounds, {"the Certificate's certificate_list", section});
  if (!list) return fail(list.error());
  if (auto end = wire::expect_end(in, {"the Certificate", section}); !end) return fail(end.error());

  ByteReader entries(*list);
  while (!entries.empty()) {
    CertificateEntry entry;
    auto data = wire::read_vector(entries, cert_data_bounds, {"the Certificate's cert_data", section});
    if (!data) return fail(data.error());
    entry.cert_data.assign(data->begin(), data->end());
    auto extensions = read_extensions(entries, ExtensionContext::certificate, entry_extensions_bounds);
    if (!extensions) return fail(extensions.error());
    entry.extensions = std::move(*extensions);
    certificate.certificate_list.push_back(std::move(entry));
  }
  return certificate;
}

std::vector<std::uint8_t> encode_certificate(const Certificate& message) {
  std::vector<std::uint8_t> out;
  wire::put_vector(out, context_bounds, message.certificate_request_context);
  auto list = wire::open_vector(out, list_bounds);
  for (const auto& entry : message.certificate_list) {
    wire::put_vector(out, cert_data_bounds, entry.cert_data);
    write_extensions(out, entry.extensions, entry_extensions_bounds);
  }
  wire::close_vector(out, list);
  return out;
}

}  // namespace duplex::tls
