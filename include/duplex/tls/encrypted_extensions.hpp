// RFC 8446 §4.3.1 EncryptedExtensions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/extension.hpp"

namespace duplex::tls {

// struct { Extension extensions<0..2^16-1>; } EncryptedExtensions;
struct EncryptedExtensions {
  std::vector<Extension> extensions;

  bool operator==(const EncryptedExtensions&) const = default;
};

// The engine then calls check_extensions_offered against its ClientHello.
Result<EncryptedExtensions> parse_encrypted_extensions(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_encrypted_extensions(const EncryptedExtensions& message);

}  // namespace duplex::tls
