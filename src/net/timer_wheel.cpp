#include "timer_wheel.hpp"

#include <bit>

namespace duplex::net::detail {

std::uint64_t TimerWheel::tick_of(Clock::time_point t) const {
  if (t <= start_) return 0;
  return static_cast<std::uint64_t>((t - start_) / kTick);
}

void TimerWheel::link(TimerEntry& entry, std::size_t slot) {
  entry.next = slots_[slot];
  if (entry.next) entry.next->pprev = &entry.next;
  entry.pprev = &slots_[slot];
  slots_[slot] = &entry;
  occupied_[slot / 64] |= std::uint64_t{1} << (slot % 64);
  ++size_;
}

void TimerWheel::unlink(TimerEntry& entry) {
  *entry.pprev = entry.next;
  if (entry.next) entry.next->pprev = entry.pprev;
  const std::size_t slot = entry.deadline % kSlots;
  if (!slots_[slot]) occupied_[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
  entry.next = nullptr;
  entry.pprev = nullptr;
  --size_;
}

void TimerWheel::schedule(TimerEntry& entry, Clock::time_point when) {
  if (entry.armed()) unlink(entry);
  // Rounded up, so a timer never fires early.
  std::uint64_t deadline = tick_of(when);
  if (start_ + deadline * kTick < when) ++deadline;
  if (deadline <= current_) deadline = current_ + 1;
  entry.deadline = deadline;
  link(entry, deadline % kSlots);
}

void TimerWheel::cancel(TimerEntry& entry) {
  if (entry.armed()) unlink(entry);
}

void TimerWheel::advance(Clock::time_point now) {
  const std::uint64_t target = tick_of(now);
  if (target <= current_) return;
  // Each slot needs visiting at most once, however long the loop slept.
  const std::uint64_t first = target - current_ > kSlots ? target - kSlots + 1 : current_ + 1;
  current_ = target;
  for (std::uint64_t tick = first; tick <= target; ++tick) {
    const std::size_t slot = tick % kSlots;
    if (!(occupied_[slot / 64] & (std::uint64_t{1} << (slot % 64)))) continue;
    // Firing may arm or cancel any entry, this slot's included, so due entries go to a list of
    // their own first; entries armed meanwhile land at current_ + 1 or later, never here.
    TimerEntry* due = nullptr;
    TimerEntry** due_tail = &due;
    for (TimerEntry* entry = slots_[slot]; entry;) {
      TimerEntry* next = entry->next;
      if (entry->deadline <= target) {
        unlink(*entry);
        entry->deadline = 0;
        ++size_;  // still owed a fire; counted until it happens
        entry->pprev = due_tail;
        *due_tail = entry;
        due_tail = &entry->next;
      }
      entry = next;
    }
    while (due) {
      TimerEntry* entry = due;
      due = entry->next;
      if (due) due->pprev = &due;
      entry->next = nullptr;
      entry->pprev = nullptr;
      --size_;
      entry->fire(*entry);
    }
  }
}

std::optional<Clock::duration> TimerWheel::time_to_next(Clock::time_point now) const {
  if (size_ == 0) return std::nullopt;
  // The first occupied slot of the coming turn, found 64 slots at a time in the bitmap.
  std::uint64_t tick = current_ + 1;
  const std::uint64_t end = tick + kSlots;
  while (tick < end) {
    const std::size_t slot = tick % kSlots;
    const std::uint64_t bits = occupied_[slot / 64] >> (slot % 64);
    if (bits) {
      const std::uint64_t found = tick + static_cast<std::uint64_t>(std::countr_zero(bits));
      if (found >= end) break;
      const Clock::time_point when = start_ + found * kTick;
      return when > now ? when - now : Clock::duration::zero();
    }
    tick += 64 - slot % 64;
  }
  return Clock::duration(kSlots * kTick);
}

}  // namespace duplex::net::detail
