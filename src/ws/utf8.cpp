#include "duplex/ws/utf8.hpp"

#include <array>
#include <bit>
#include <cstring>

namespace duplex::ws {

namespace {

// States of the validator: how the next bytes must look. RFC 3629 §4:
//
//   UTF8-2 = %xC2-DF UTF8-tail
//   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
//            %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
//   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
//            %xF4 %x80-8F 2( UTF8-tail )
//   UTF8-tail = %x80-BF
//
// The narrowed second-byte ranges are what exclude overlong forms (E0, F0), the surrogates
// U+D800-DFFF (ED) and code points past U+10FFFF (F4); C0, C1 and F5-FF never start a sequence.
enum State : std::uint8_t {
  between = 0,   // at a code point boundary
  tail_1,        // one UTF8-tail to go
  tail_2,        // two UTF8-tails to go
  tail_3,        // three UTF8-tails to go
  after_e0,      // %xA0-BF, then one tail
  after_ed,      // %x80-9F, then one tail
  after_f0,      // %x90-BF, then two tails
  after_f4,      // %x80-8F, then two tails
  rejected,      // sticky
};

struct Expected {
  std::uint8_t low;
  std::uint8_t high;
  State next;
};

// For each state but `between`/`rejected`: the range the next byte must fall in, and the state
// after it.
constexpr std::array<Expected, 8> expected_byte = {{
    {0, 0, rejected},              // between: see lead_byte_state
    {0x80, 0xBF, between},         // tail_1
    {0x80, 0xBF, tail_1},          // tail_2
    {0x80, 0xBF, tail_2},          // tail_3
    {0xA0, 0xBF, tail_1},          // after_e0
    {0x80, 0x9F, tail_1},          // after_ed
    {0x90, 0xBF, tail_2},          // after_f0
    {0x80, 0x8F, tail_2},          // after_f4
}};

// The state after a byte read at a code point boundary, one row of RFC 3629 §4 per line.
constexpr std::array<State, 256> make_lead_byte_state() {
  std::array<State, 256> table{};
  for (int b = 0; b < 256; ++b) table[b] = rejected;
  for (int b = 0x00; b <= 0x7F; ++b) table[b] = between;  // UTF8-1
  for (int b = 0xC2; b <= 0xDF; ++b) table[b] = tail_1;   // UTF8-2
  table[0xE0] = after_e0;                                  // UTF8-3
  for (int b = 0xE1; b <= 0xEC; ++b) table[b] = tail_2;
  table[0xED] = after_ed;
  for (int b = 0xEE; b <= 0xEF; ++b) table[b] = tail_2;
  table[0xF0] = after_f0;                                  // UTF8-4
  for (int b = 0xF1; b <= 0xF3; ++b) table[b] = tail_3;
  table[0xF4] = after_f4;
  return table;
}

// The same automaton as a shift-based DFA: a state is stored as its index times 6, and row
// `transitions[byte]` holds, at bit offset `state`, the next state (also times 6). One load and
// one shift per byte, no branch: `state = transitions[byte] >> (state & 63)`; the bits above the
// low 6 are junk until masked. Nine states of 6 bits fit in 64.
constexpr unsigned kBits = 6;
constexpr std::uint64_t kBetween = between * kBits;
constexpr std::uint64_t kRejected = rejected * kBits;

constexpr std::array<std::uint64_t, 256> make_transitions() {
  const auto lead = make_lead_byte_state();
  std::array<std::uint64_t, 256> table{};
  for (int b = 0; b < 256; ++b) {
    for (int s = between; s <= rejected; ++s) {
      State next = rejected;
      if (s == between) {
        next = lead[b];
      } else if (s != rejected) {
        const Expected& e = expected_byte[s];
        if (b >= e.low && b <= e.high) next = e.next;
      }
      table[b] |= std::uint64_t{next} * kBits << (s * kBits);
    }
  }
  return table;
}
constexpr std::array<std::uint64_t, 256> transitions = make_transitions();

constexpr std::uint64_t high_bits = 0x8080808080808080ull;

// The index, within a word loaded from memory, of its first byte with the high bit set.
int first_non_ascii(std::uint64_t word) {
  const std::uint64_t high = word & high_bits;
  if constexpr (std::endian::native == std::endian::little) return std::countr_zero(high) / 8;
  return std::countl_zero(high) / 8;
}

// Skips the run of ASCII at `i`, 16 then 8 bytes at a time: returns the index of the first
// non-ASCII byte, or of one of the last 7 bytes (checked one by one by the caller).
std::size_t skip_ascii(std::span<const std::uint8_t> bytes, std::size_t i) {
  const std::size_t n = bytes.size();
  for (; i + 16 <= n; i += 16) {
    std::uint64_t a, b;
    std::memcpy(&a, bytes.data() + i, 8);
    std::memcpy(&b, bytes.data() + i + 8, 8);
    if (((a | b) & high_bits) != 0) {
      if ((a & high_bits) != 0) return i + first_non_ascii(a);
      return i + 8 + first_non_ascii(b);
    }
  }
  for (; i + 8 <= n; i += 8) {
    std::uint64_t a;
    std::memcpy(&a, bytes.data() + i, 8);
    if ((a & high_bits) != 0) return i + first_non_ascii(a);
  }
  return i;
}

}  // namespace

bool Utf8Validator::feed(std::span<const std::uint8_t> bytes) {
  std::uint64_t state = state_;
  if (state == kRejected) return false;
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    if (state == kBetween) {  // a run of ASCII is skipped by words (its last < 8 bytes by the DFA)
      const std::size_t next = skip_ascii(bytes, i);
      if (next > i) {
        i = next;
        continue;
      }
    }
    // Fail fast, but not per byte: the state is looked at after each block of 16.
    const std::size_t block_end = n - i > 16 ? i + 16 : n;
    for (; i < block_end; ++i) state = transitions[bytes[i]] >> (state & 63);
    state &= 63;
    if (state == kRejected) {
      state_ = static_cast<std::uint8_t>(kRejected);
      return false;
    }
  }
  state_ = static_cast<std::uint8_t>(state);
  return true;
}

bool Utf8Validator::failed() const { return state_ == kRejected; }

bool is_valid_utf8(std::span<const std::uint8_t> bytes) {
  Utf8Validator validator;
  return validator.feed(bytes) && validator.complete();
}

bool is_valid_utf8(std::string_view text) {
  return is_valid_utf8(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace duplex::ws
