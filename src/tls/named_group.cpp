#include "duplex/tls/named_group.hpp"

#include "hex_name.hpp"

namespace duplex::tls {

std::string to_string(NamedGroup group) {
  using enum NamedGroup;
  switch (group) {
    case secp256r1: return "secp256r1";
    case secp384r1: return "secp384r1";
    case secp521r1: return "secp521r1";
    case x25519: return "x25519";
    case x448: return "x448";
    case ffdhe2048: return "ffdhe2048";
    case ffdhe3072: return "ffdhe3072";
    case ffdhe4096: return "ffdhe4096";
    case ffdhe6144: return "ffdhe6144";
    case ffdhe8192: return "ffdhe8192";
  }
  return hex_name(static_cast<std::uint16_t>(group), 4);
}

}  // namespace duplex::tls
