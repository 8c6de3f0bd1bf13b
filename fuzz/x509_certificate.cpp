// Arbitrary bytes through the certificate parser. Nothing may crash or read out of bounds; a
// certificate that parses must have spans inside its own storage and its fields re-read alone.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "duplex/x509/certificate.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool inside(std::span<const std::uint8_t> part, const std::vector<std::uint8_t>& whole) {
  if (part.empty()) return true;
  const auto* begin = whole.data();
  return part.data() >= begin && part.data() + part.size() <= begin + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto certificate = duplex::x509::parse_certificate(std::span<const std::uint8_t>(data, size));
  if (!certificate) {
    check(!certificate.error().message().empty());
    return 0;
  }
  const auto& storage = *certificate->storage;
  check(certificate->der.size() == size);
  check(inside(certificate->tbs, storage) && inside(certificate->serial, storage));
  check(inside(certificate->subject.der, storage) && inside(certificate->subject_public_key_info.der, storage));
  for (const auto& extension : certificate->extensions) check(inside(extension.value, storage));
  check(certificate->version == 1 || certificate->version == 3);
  for (const auto* name : {&certificate->issuer, &certificate->subject}) {
    auto again = duplex::x509::parse_name(name->der);
    check(again.ok() && again->text == name->text);
  }
  return 0;
}
