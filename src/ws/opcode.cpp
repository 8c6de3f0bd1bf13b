#include "duplex/ws/opcode.hpp"

#include <cstdio>

namespace duplex::ws {

std::string to_string(Opcode op) {
  switch (op) {
    case Opcode::continuation: return "continuation";
    case Opcode::text: return "text";
    case Opcode::binary: return "binary";
    case Opcode::close: return "close";
    case Opcode::ping: return "ping";
    case Opcode::pong: return "pong";
  }
  char buffer[24];
  std::snprintf(buffer, sizeof(buffer), "reserved 0x%X", static_cast<unsigned>(op));
  return buffer;
}

}  // namespace duplex::ws
