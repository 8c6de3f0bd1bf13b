// The RFC 6455 §5.2 base framing protocol header:
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-------+-+-------------+-------------------------------+
//   |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
//   |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
//   |N|V|V|V|       |S|             |   (if payload len==126/127)   |
//   | |1|2|3|       |K|             |                               |
//   +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
//   |     Extended payload length continued, if payload len == 127  |
//   + - - - - - - - - - - - - - - - +-------------------------------+
//   |                               |Masking-key, if MASK set to 1  |
//   +-------------------------------+-------------------------------+
//
// Only the codec lives here; which headers a peer may send (RSV bits, reserved opcodes, control
// frame rules, masking by role) is decided by the Engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "duplex/ws/mask.hpp"
#include "duplex/ws/opcode.hpp"

namespace duplex::ws {

// 2 fixed bytes + 8 bytes of extended length + 4 bytes of masking key.
inline constexpr std::size_t max_frame_header_size = 14;

struct FrameHeader {
  bool fin = true;
  bool rsv1 = false;
  bool rsv2 = false;
  bool rsv3 = false;
  Opcode opcode = Opcode::binary;
  bool masked = false;
  MaskingKey masking_key{};
  std::uint64_t payload_length = 0;
};

enum class FrameHeaderStatus : std::uint8_t {
  complete,
  incomplete,         // more bytes are needed: `size` says how many the header takes (so far)
  length_too_large,   // RFC 6455 §5.2: the most significant bit of a 64-bit length MUST be 0
};

struct DecodedFrameHeader {
  FrameHeaderStatus status;
  std::uint8_t size;  // complete: bytes the header took; incomplete: bytes needed (2 until known)
  FrameHeader header;
};

// Decodes the header at the start of `bytes` (which may hold less than a header, or more).
//
// Q: RFC 6455 §5.2 says the length "MUST" use the minimal number of bytes; refuse 126 + 0x0005?
// A: No. The MUST binds the sender and decoding is unambiguous; Beast, uWebSockets, ws (node) and
//    python-websockets all accept non-minimal lengths, and refusing them protects nothing. We
//    always send minimal encodings.
DecodedFrameHeader decode_frame_header(std::span<const std::uint8_t> bytes);

// Bytes encode_frame_header() writes for this header (2 to 14).
std::size_t encoded_frame_header_size(const FrameHeader& header);

// Writes `header` with the minimal length encoding; returns the number of bytes written.
std::size_t encode_frame_header(const FrameHeader& header,
                                std::span<std::uint8_t, max_frame_header_size> out);

}  // namespace duplex::ws
