// The wall-clock time the subcommands hand to the engines (certificate validity, development
// certificates): the engines never read a clock themselves (DESIGN.md principle 1).
#pragma once

#include <chrono>
#include <cstdint>

namespace duplex::tool {

// Seconds since the Unix epoch, now.
inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace duplex::tool
