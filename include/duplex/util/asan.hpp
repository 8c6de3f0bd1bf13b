// AddressSanitizer annotations for bytes lent out as views: once a view's lifetime ends (a
// Message after on_message, an engine event after the next next_event()), an ASan build poisons
// the bytes it covered, so a handler that kept the view and reads it later is reported at once.
// The owner unpoisons them before writing there again. Without ASan, all of this is nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#if defined(__SANITIZE_ADDRESS__)  // GCC
#define DUPLEX_ASAN 1
#elif defined(__has_feature)  // Clang
#if __has_feature(address_sanitizer)
#define DUPLEX_ASAN 1
#endif
#endif

#ifdef DUPLEX_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace duplex {

#ifdef DUPLEX_ASAN
inline constexpr bool kAsanBuild = true;
#else
inline constexpr bool kAsanBuild = false;
#endif

// ASan works in 8-byte granules: the first bytes of a granule can stay addressable while the rest
// is poisoned, not the other way round, so a region ending inside a granule whose next byte is
// addressable keeps that last granule addressable.
inline void asan_poison(std::span<const std::uint8_t> bytes) {
#ifdef DUPLEX_ASAN
  if (!bytes.empty()) ASAN_POISON_MEMORY_REGION(bytes.data(), bytes.size());
#else
  (void)bytes;
#endif
}

inline void asan_unpoison(std::span<const std::uint8_t> bytes) {
#ifdef DUPLEX_ASAN
  if (!bytes.empty()) ASAN_UNPOISON_MEMORY_REGION(bytes.data(), bytes.size());
#else
  (void)bytes;
#endif
}

}  // namespace duplex
