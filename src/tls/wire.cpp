#include "wire.hpp"

#include <cassert>

namespace duplex::tls::wire {

Result<std::span<const std::uint8_t>> read_vector(ByteReader& in, VectorBounds bounds, Field field) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < bounds.prefix_bytes(); ++i) {
    auto byte = in.read_u8();
    if (!byte) return truncated(field);
    length = (length << 8) | *byte;
  }
  // RFC 8446 §3.4: the length must lie within <floor..ceiling>; outside is a decoding failure.
  if (length < bounds.floor || length > bounds.ceiling) {
    return reject(AlertDescription::decode_error,
                  sentence(field, "is " + std::to_string(length) + " bytes long, outside <" +
                                      std::to_string(bounds.floor) + ".." +
                                      std::to_string(bounds.ceiling) + ">"));
  }
  auto bytes = in.read_bytes(length);
  if (!bytes) return truncated(field);
  return *bytes;
}

Status expect_end(const ByteReader& in, Field field) {
  if (!in.empty()) {
    return reject(AlertDescription::decode_error,
                  sentence(field, "is followed by " + std::to_string(in.remaining()) +
                                      " unexpected bytes"));
  }
  return Unit{};
}

OpenVector open_vector(Bytes& out, VectorBounds bounds) {
  OpenVector vector{out.size(), bounds};
  out.resize(out.size() + bounds.prefix_bytes());
  return vector;
}

void close_vector(Bytes& out, OpenVector vector) {
  const std::size_t prefix = vector.bounds.prefix_bytes();
  std::size_t length = out.size() - vector.start - prefix;
  assert(length >= vector.bounds.floor && length <= vector.bounds.ceiling);
  for (std::size_t i = prefix; i-- > 0;) {
    out[vector.start + i] = static_cast<std::uint8_t>(length);
    length >>= 8;
  }
}

void put_vector(Bytes& out, VectorBounds bounds, std::span<const std::uint8_t> bytes) {
  auto vector = open_vector(out, bounds);
  put_bytes(out, bytes);
  close_vector(out, vector);
}

}  // namespace duplex::tls::wire
