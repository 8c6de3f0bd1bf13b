// RFC 8446 §4.4.4 Finished (verify_data is compared by the engine, in constant time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/error.hpp"

namespace duplex::tls {

// struct { opaque verify_data[Hash.length]; } Finished;
struct Finished {
  std::vector<std::uint8_t> verify_data;

  bool operator==(const Finished&) const = default;
};

// `hash_length` is the negotiated suite's hash length (32 for SHA-256, 48 for SHA-384); a body of
// any other length → decode_error.
Result<Finished> parse_finished(std::span<const std::uint8_t> body, std::size_t hash_length);
std::vector<std::uint8_t> encode_finished(const Finished& message);

}  // namespace duplex::tls
