#include "duplex/tls/encrypted_extensions.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {
constexpr ExtensionsBounds extensions_bounds{0, 0xffff};
}  // namespace

Result<EncryptedExtensions> parse_encrypted_extensions(std::span<const std::uint8_t> body) {
  ByteReader in(body);
  auto extensions = read_extensions(in, ExtensionContext::encrypted_extensions, extensions_bounds);
  if (!extensions) return fail(extensions.error());
  if (auto end = wire::expect_end(in, {"the EncryptedExtensions", "RFC 8446 §4.3.1"}); !end)
    return fail(end.error());
  return EncryptedExtensions{std::move(*extensions)};
}

std::vector<std::uint8_t> encode_encrypted_extensions(const EncryptedExtensions& message) {
  std::vector<std::uint8_t> out;
  write_extensions(out, message.extensions, extensions_bounds);
  return out;
}

}  // namespace duplex::tls
