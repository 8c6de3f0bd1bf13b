// ByteReader: a bounds-checked cursor over received bytes. Every read says whether the bytes were
// there; nothing ever reads past the end, so parsers of network input need no pointer arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace duplex {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t remaining() const { return bytes_.size() - position_; }
  std::size_t position() const { return position_; }
  bool empty() const { return remaining() == 0; }
  std::span<const std::uint8_t> rest() const { return bytes_.subspan(position_); }

  std::optional<std::uint8_t> read_u8() {
    if (remaining() < 1) return std::nullopt;
    return bytes_[position_++];
  }
  // Network byte order (big-endian) integers of 2, 3, 4 and 8 bytes.
  std::optional<std::uint16_t> read_u16() { return read_be<std::uint16_t>(2); }
  std::optional<std::uint32_t> read_u24() { return read_be<std::uint32_t>(3); }
  std::optional<std::uint32_t> read_u32() { return read_be<std::uint32_t>(4); }
  std::optional<std::uint64_t> read_u64() { return read_be<std::uint64_t>(8); }

  std::optional<std::span<const std::uint8_t>> read_bytes(std::size_t count) {
    if (remaining() < count) return std::nullopt;
    auto out = bytes_.subspan(position_, count);
    position_ += count;
    return out;
  }
  bool skip(std::size_t count) {
    if (remaining() < count) return false;
    position_ += count;
    return true;
  }

 private:
  template <typename T>
  std::optional<T> read_be(std::size_t width) {
    if (remaining() < width) return std::nullopt;
    T value = 0;
    for (std::size_t i = 0; i < width; ++i) value = static_cast<T>((value << 8) | bytes_[position_ + i]);
    position_ += width;
    return value;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
};

inline std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}
inline std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace duplex
