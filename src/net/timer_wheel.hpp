// A hashed timing wheel (Varghese & Lauck) of intrusive entries: schedule and cancel are O(1)
// and allocate nothing, so every connection can own a timer that is re-armed constantly.
// 4096 slots of 1 ms: an entry further away than one turn stays in its slot and is skipped
// until its turn comes (one comparison per turn).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>

#include "duplex/net/event_loop.hpp"

namespace duplex::net::detail {

struct TimerEntry {
  // Called when the deadline passes; the entry is unlinked first, so it may re-arm itself.
  void (*fire)(TimerEntry&) = nullptr;
  TimerEntry* next = nullptr;
  TimerEntry** pprev = nullptr;  // the pointer that points at this entry; null when not armed
  std::uint64_t deadline = 0;    // in ticks

  bool armed() const { return pprev != nullptr; }
};

class TimerWheel {
 public:
  static constexpr std::size_t kSlots = 4096;
  static constexpr Clock::duration kTick = std::chrono::milliseconds(1);

  explicit TimerWheel(Clock::time_point start) : start_(start) {}
  TimerWheel(const TimerWheel&) = delete;
  TimerWheel& operator=(const TimerWheel&) = delete;

  // (Re)arms `entry` to fire at `when` (at the earliest on the next tick).
  void schedule(TimerEntry& entry, Clock::time_point when);
  void cancel(TimerEntry& entry);
  // Fires every entry whose deadline is at or before `now`.
  void advance(Clock::time_point now);
  // How long until the next slot that holds an entry, or nullopt if the wheel is empty.
  std::optional<Clock::duration> time_to_next(Clock::time_point now) const;
  std::size_t size() const { return size_; }

 private:
  std::uint64_t tick_of(Clock::time_point t) const;
  void link(TimerEntry& entry, std::size_t slot);
  void unlink(TimerEntry& entry);

  Clock::time_point start_;
  std::uint64_t current_ = 0;  // every tick up to this one has been processed
  std::size_t size_ = 0;
  std::array<TimerEntry*, kSlots> slots_{};
  std::array<std::uint64_t, kSlots / 64> occupied_{};  // one bit per non-empty slot
};

}  // namespace duplex::net::detail
