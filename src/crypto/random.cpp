#include "duplex/crypto/random.hpp"

#include <openssl/rand.h>

#include <array>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace duplex::crypto {

void random_bytes(std::span<std::uint8_t> out) {
  while (!out.empty()) {
    const std::size_t chunk = out.size() > INT_MAX ? INT_MAX : out.size();
    if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
      std::fprintf(stderr, "duplex: the crypto provider's random generator failed\n");
      std::abort();
    }
    out = out.subspan(chunk);
  }
}

std::uint32_t random_u32() {
  struct Batch {
    std::array<std::uint8_t, 4096> bytes{};
    std::size_t used = sizeof(bytes);
    ~Batch() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
  };
  thread_local Batch batch;
  if (batch.used + 4 > batch.bytes.size()) {
    random_bytes(batch.bytes);
    batch.used = 0;
  }
  std::uint32_t value;
  std::memcpy(&value, batch.bytes.data() + batch.used, 4);
  // Each key leaves the batch as it is used, so a later memory disclosure cannot replay it.
  OPENSSL_cleanse(batch.bytes.data() + batch.used, 4);
  batch.used += 4;
  return value;
}

}  // namespace duplex::crypto
