// UTF-8 validation for RFC 6455 §8.1 (text messages and close reasons must be UTF-8), following
// the RFC 3629 §4 grammar: no overlong forms, no surrogates (U+D800-DFFF), nothing past U+10FFFF.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace duplex::ws {

// Incremental validator: feed a message's bytes in as many pieces as they arrive. It fails as soon
// as a byte cannot continue any valid sequence, so a bad text message is refused before the rest
// of it arrives (within 16 bytes of the bad one). One byte of state; pure ASCII runs are checked
// 16 bytes at a time, the rest by a branch-free DFA.
class Utf8Validator {
 public:
  // False as soon as the bytes fed so far cannot be the start of valid UTF-8 (and from then on).
  bool feed(std::span<const std::uint8_t> bytes);
  // True if the bytes fed so far are valid and end on a code point boundary.
  bool complete() const { return state_ == 0; }
  bool failed() const;
  void reset() { state_ = 0; }

 private:
  std::uint8_t state_ = 0;  // 0: between code points; see utf8.cpp for the others (x6)
};

bool is_valid_utf8(std::span<const std::uint8_t> bytes);
bool is_valid_utf8(std::string_view text);

}  // namespace duplex::ws
