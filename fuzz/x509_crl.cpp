// Arbitrary bytes through the CRL parser (RFC 5280 §5.1). Nothing may crash or read out of
// bounds; a CRL that parses has its spans inside its own storage.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "duplex/x509/crl.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool inside(std::span<const std::uint8_t> part, const std::vector<std::uint8_t>& whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto crl = duplex::x509::parse_crl(std::span<const std::uint8_t>(data, size));
  if (!crl) {
    check(!crl.error().message().empty());
    return 0;
  }
  const auto& storage = *crl->storage;
  check(crl->der.size() == size && inside(crl->tbs, storage) && inside(crl->issuer.der, storage));
  check(crl->version == 1 || crl->version == 2);
  for (const auto& entry : crl->revoked) {
    check(inside(entry.serial, storage));
    check(crl->revokes(entry.serial));
  }
  for (const auto& extension : crl->extensions) check(inside(extension.value, storage));
  return 0;
}
