#include "duplex/ws/frame_header.hpp"

namespace duplex::ws {

namespace {

// RFC 6455 §5.2: a 7-bit length of 126 announces a 16-bit length, 127 a 64-bit length.
constexpr std::uint8_t length_16 = 126;
constexpr std::uint8_t length_64 = 127;

constexpr std::uint8_t fin_bit = 0x80;
constexpr std::uint8_t rsv1_bit = 0x40;
constexpr std::uint8_t rsv2_bit = 0x20;
constexpr std::uint8_t rsv3_bit = 0x10;
constexpr std::uint8_t opcode_bits = 0x0F;
constexpr std::uint8_t mask_bit = 0x80;
constexpr std::uint8_t length_bits = 0x7F;

std::size_t extended_length_size(std::uint8_t length7) {
  if (length7 == length_16) return 2;
  if (length7 == length_64) return 8;
  return 0;
}

}  // namespace

DecodedFrameHeader decode_frame_header(std::span<const std::uint8_t> bytes) {
  DecodedFrameHeader out{FrameHeaderStatus::incomplete, 2, {}};
  if (bytes.size() < 2) return out;

  const std::uint8_t length7 = bytes[1] & length_bits;
  const bool masked = (bytes[1] & mask_bit) != 0;
  const std::size_t length_size = extended_length_size(length7);
  const std::size_t size = 2 + length_size + (masked ? 4 : 0);

  FrameHeader& h = out.header;
  h.fin = (bytes[0] & fin_bit) != 0;
  h.rsv1 = (bytes[0] & rsv1_bit) != 0;
  h.rsv2 = (bytes[0] & rsv2_bit) != 0;
  h.rsv3 = (bytes[0] & rsv3_bit) != 0;
  h.opcode = static_cast<Opcode>(bytes[0] & opcode_bits);
  h.masked = masked;

  // The length is refused as soon as its first byte is there, before the rest of the header.
  if (length7 == length_64 && bytes.size() >= 3 && (bytes[2] & 0x80) != 0) {
    // RFC 6455 §5.2: "the most significant bit MUST be 0"
    out.status = FrameHeaderStatus::length_too_large;
    return out;
  }
  out.size = static_cast<std::uint8_t>(size);
  if (bytes.size() < size) return out;

  if (length_size == 0) {
    h.payload_length = length7;
  } else {
    std::uint64_t length = 0;
    for (std::size_t i = 0; i < length_size; ++i) length = (length << 8) | bytes[2 + i];
    h.payload_length = length;
  }
  if (masked) {
    for (std::size_t i = 0; i < 4; ++i) h.masking_key[i] = bytes[2 + length_size + i];
  }
  out.status = FrameHeaderStatus::complete;
  return out;
}

std::size_t encoded_frame_header_size(const FrameHeader& header) {
  std::size_t size = 2;
  if (header.payload_length > 0xFFFF) {
    size += 8;
  } else if (header.payload_length >= length_16) {
    size += 2;
  }
  return size + (header.masked ? 4 : 0);
}

std::size_t encode_frame_header(const FrameHeader& header,
                                std::span<std::uint8_t, max_frame_header_size> out) {
  std::uint8_t byte0 = static_cast<std::uint8_t>(static_cast<std::uint8_t>(header.opcode) & opcode_bits);
  if (header.fin) byte0 |= fin_bit;
  if (header.rsv1) byte0 |= rsv1_bit;
  if (header.rsv2) byte0 |= rsv2_bit;
  if (header.rsv3) byte0 |= rsv3_bit;
  out[0] = byte0;

  const std::uint8_t mask = header.masked ? mask_bit : 0;
  const std::uint64_t length = header.payload_length;
  std::size_t size = 2;
  // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length"
  if (length < length_16) {
    out[1] = static_cast<std::uint8_t>(mask | length);
  } else if (length <= 0xFFFF) {
    out[1] = mask | length_16;
    out[2] = static_cast<std::uint8_t>(length >> 8);
    out[3] = static_cast<std::uint8_t>(length);
    size = 4;
  } else {
    out[1] = mask | length_64;
    for (std::size_t i = 0; i < 8; ++i) out[2 + i] = static_cast<std::uint8_t>(length >> (56 - 8 * i));
    size = 10;
  }
  if (header.masked) {
    for (std::size_t i = 0; i < 4; ++i) out[size + i] = header.masking_key[i];
    size += 4;
  }
  return size;
}

}  // namespace duplex::ws
