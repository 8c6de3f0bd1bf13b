// The fallback name of an open wire enum's unknown value: its hex code, as the RFCs write it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace duplex::tls {

// hex_name(0x1d, 4) == "0x001d".
inline std::string hex_name(std::uint32_t value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*x", digits, static_cast<unsigned>(value));
  return text;
}

}  // namespace duplex::tls
