// The presentation language of RFC 8446 §3 on a ByteReader and a byte vector: integers and
// variable-length vectors `T name<floor..ceiling>` with their length prefix checked against
// both bounds. Private to src/tls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::tls::wire {

using Bytes = std::vector<std::uint8_t>;

// A vector's bounds as RFC 8446 §3.4 writes them; the prefix width follows from the ceiling.
struct VectorBounds {
  std::size_t floor;
  std::size_t ceiling;
  std::size_t prefix_bytes() const { return ceiling < 0x100 ? 1 : ceiling < 0x10000 ? 2 : 3; }
};

// "the ClientHello's cipher_suites" + " is truncated (RFC 8446 §4.1.2)": `what` names the field
// with its owner, `section` the RFC section that defines it.
struct Field {
  std::string_view what;
  std::string_view section;
};

inline std::string sentence(Field field, std::string_view says) {
  return std::string(field.what) + " " + std::string(says) + " (" + std::string(field.section) + ")";
}

inline Failure<TlsError> truncated(Field field) {
  // RFC 8446 §6.2: decode_error is for "a message [that] could not be decoded because some field
  // was out of the specified range or the length of the message was incorrect".
  return reject(AlertDescription::decode_error, sentence(field, "is truncated"));
}

inline Result<std::uint8_t> read_u8(ByteReader& in, Field field) {
  auto value = in.read_u8();
  if (!value) return truncated(field);
  return *value;
}
inline Result<std::uint16_t> read_u16(ByteReader& in, Field field) {
  auto value = in.read_u16();
  if (!value) return truncated(field);
  return *value;
}
inline Result<std::uint32_t> read_u32(ByteReader& in, Field field) {
  auto value = in.read_u32();
  if (!value) return truncated(field);
  return *value;
}
inline Result<std::span<const std::uint8_t>> read_fixed(ByteReader& in, std::size_t count,
                                                         Field field) {
  auto bytes = in.read_bytes(count);
  if (!bytes) return truncated(field);
  return *bytes;
}

// Reads `opaque field<floor..ceiling>`: the length prefix, then that many bytes.
Result<std::span<const std::uint8_t>> read_vector(ByteReader& in, VectorBounds bounds, Field field);

// RFC 8446 §4: a message (or extension) body ends where its length says; anything after → decode_error.
Status expect_end(const ByteReader& in, Field field);

inline void put_u8(Bytes& out, std::uint8_t value) { out.push_back(value); }
inline void put_u16(Bytes& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}
inline void put_u24(Bytes& out, std::uint32_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 16));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}
inline void put_u32(Bytes& out, std::uint32_t value) {
  put_u16(out, static_cast<std::uint16_t>(value >> 16));
  put_u16(out, static_cast<std::uint16_t>(value));
}
inline void put_bytes(Bytes& out, std::span<const std::uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// Writing a vector: open() leaves room for the length prefix, close() fills it in.
// Encoders are given values that parsed or were built within the bounds; a value out of its
// bounds is a programming error (assert), not a peer's.
struct OpenVector {
  std::size_t start;
  VectorBounds bounds;
};
OpenVector open_vector(Bytes& out, VectorBounds bounds);
void close_vector(Bytes& out, OpenVector vector);
void put_vector(Bytes& out, VectorBounds bounds, std::span<const std::uint8_t> bytes);

}  // namespace duplex::tls::wire
