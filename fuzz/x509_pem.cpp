// Arbitrary text through the PEM parser. Nothing may crash; every block found must write back
// to PEM that parses to the same label and bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "duplex/x509/pem.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto blocks = duplex::x509::parse_pem(text);
  (void)duplex::x509::pem_certificates(text);
  (void)duplex::x509::pem_private_key(text);
  if (!blocks) return 0;
  for (const auto& block : *blocks) {
    auto again = duplex::x509::parse_pem(duplex::x509::write_pem(block.label, block.der));
    if (!again || again->size() != 1 || (*again)[0].label != block.label || (*again)[0].der != block.der)
      std::abort();
  }
  return 0;
}
