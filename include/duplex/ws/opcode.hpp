// RFC 6455 §5.2 opcodes.
#pragma once

#include <cstdint>
#include <string>

namespace duplex::ws {

// Open enum: a reserved value read off the wire is kept as is and rejected by the engine.
enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

// RFC 6455 §5.5: control frames have the high bit of the opcode set.
constexpr bool is_control(Opcode op) { return (static_cast<std::uint8_t>(op) & 0x8) != 0; }
// RFC 6455 §5.2: 0x3-0x7 and 0xB-0xF are reserved.
constexpr bool is_reserved(Opcode op) {
  const auto v = static_cast<std::uint8_t>(op);
  return (v >= 0x3 && v <= 0x7) || v >= 0xB;
}

std::string to_string(Opcode op);

// What a whole message carries.
enum class MessageType : std::uint8_t { text = 0x1, binary = 0x2 };

}  // namespace duplex::ws
