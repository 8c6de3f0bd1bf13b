#include "duplex/crypto/digest.hpp"

#include <openssl/evp.h>

#include <cstdlib>
#include <cstdio>
#include <memory>

namespace duplex::crypto {
namespace {

// OpenSSL 3 fetches take a lock: fetch each algorithm once per process and share it.
const EVP_MD* sha1_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  if (md == nullptr) {
    std::fprintf(stderr, "duplex: the crypto provider has no SHA-1\n");
    std::abort();
  }
  return md;
}

}  // namespace

Sha1Digest sha1(std::span<const std::uint8_t> data) {
  Sha1Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, sha1_md(), nullptr) != 1 ||
      length != digest.size()) {
    std::fprintf(stderr, "duplex: SHA-1 failed in the crypto provider\n");
    std::abort();
  }
  return digest;
}

}  // namespace duplex::crypto
