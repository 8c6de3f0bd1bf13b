// ByteBuffer: bytes appended at the back and consumed from the front, for output waiting for the
// socket and input waiting for more. Empty buffers hold no heap memory once release_if_large()
// has run, which is what keeps an idle connection small.
//
// ASan builds: poison_spare() marks the bytes past the end (what views into the buffer covered
// before it was cleared or shrunk) as not addressable; every write past the end unpoisons only
// what it writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "duplex/util/asan.hpp"

namespace duplex {

class ByteBuffer {
 public:
  std::size_t size() const { return bytes_.size() - head_; }
  bool empty() const { return size() == 0; }
  std::span<const std::uint8_t> data() const { return {bytes_.data() + head_, size()}; }
  std::span<std::uint8_t> data() { return {bytes_.data() + head_, size()}; }
  std::size_t capacity() const { return bytes_.capacity(); }

  void append(std::span<const std::uint8_t> bytes) {
    if (bytes.empty()) return;
    compact_for(bytes.size());
    unpoison_next(bytes.size());
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
  }
  void append(std::string_view text) {
    append({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  }
  void push_back(std::uint8_t byte) {
    compact_for(1);
    unpoison_next(1);
    bytes_.push_back(byte);
  }

  // Grows the buffer by `count` bytes and returns them for the caller to fill.
  std::span<std::uint8_t> extend(std::size_t count) {
    compact_for(count);
    unpoison_next(count);
    const std::size_t old = bytes_.size();
    bytes_.resize(old + count);
    return {bytes_.data() + old, count};
  }
  // Drops the last `count` bytes (those of an extend() not filled).
  void shrink_back(std::size_t count) { bytes_.resize(bytes_.size() - count); }

  void consume(std::size_t count) {
    head_ += count;
    if (head_ >= bytes_.size()) clear();
  }
  void clear() {
    bytes_.clear();
    head_ = 0;
  }
  // Frees the heap block when the buffer is empty and the block is larger than `keep` bytes.
  void release_if_large(std::size_t keep = 0) {
    if (empty() && bytes_.capacity() > keep) {
      std::vector<std::uint8_t>().swap(bytes_);
      head_ = 0;
    }
  }
  void reserve(std::size_t count) { bytes_.reserve(head_ + count); }
  // ASan builds: the bytes between the end and the capacity may not be read until written again
  // (views handed out into them have expired). Nothing otherwise.
  void poison_spare() const { asan_poison({bytes_.data() + bytes_.size(), bytes_.capacity() - bytes_.size()}); }

 private:
  // Moves unconsumed bytes to the front when that avoids a reallocation.
  void compact_for(std::size_t incoming) {
    if (head_ == 0) return;
    if (bytes_.size() + incoming <= bytes_.capacity() && head_ < bytes_.size() / 2) return;
    const std::size_t live = size();
    if (live > 0) std::memmove(bytes_.data(), bytes_.data() + head_, live);
    bytes_.resize(live);
    head_ = 0;
  }

  // ASan builds: the next `count` bytes past the end, which a write is about to fill, may have
  // been poisoned by poison_spare(); a write that reallocates lands in a fresh block instead.
  void unpoison_next(std::size_t count) {
    if constexpr (kAsanBuild) {
      const std::size_t spare = bytes_.capacity() - bytes_.size();
      asan_unpoison({bytes_.data() + bytes_.size(), count < spare ? count : spare});
    }
  }

  std::vector<std::uint8_t> bytes_;
  std::size_t head_ = 0;
};

}  // namespace duplex
