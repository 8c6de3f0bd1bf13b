#include "duplex/ws/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace duplex::ws {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A plain decoder, written from the Unicode definition rather than the RFC 3629 grammar, to
// check the validator against.
bool reference_valid(const Bytes& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::uint8_t lead = s[i];
    std::size_t length;
    std::uint32_t cp;
    std::uint32_t min;
    if (lead < 0x80) { length = 1; cp = lead; min = 0; }
    else if ((lead & 0xE0) == 0xC0) { length = 2; cp = lead & 0x1F; min = 0x80; }
    else if ((lead & 0xF0) == 0xE0) { length = 3; cp = lead & 0x0F; min = 0x800; }
    else if ((lead & 0xF8) == 0xF0) { length = 4; cp = lead & 0x07; min = 0x10000; }
    else return false;
    if (i + length > s.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

bool valid(const Bytes& s) { return is_valid_utf8(s); }

TEST(Utf8, AcceptsAsciiAndMultiByteText) {
  EXPECT_TRUE(is_valid_utf8(std::string_view("")));
  EXPECT_TRUE(is_valid_utf8(std::string_view("Hello, world! 0123456789 abcdefghijklmnop")));
  EXPECT_TRUE(is_valid_utf8(std::string_view("κόσμε — 日本語 — 🎉 — Ünïcödé")));
}

TEST(Utf8, AcceptsTheBoundaryCodePoints) {
  EXPECT_TRUE(valid({0x7F}));                    // U+007F
  EXPECT_TRUE(valid({0xC2, 0x80}));              // U+0080
  EXPECT_TRUE(valid({0xDF, 0xBF}));              // U+07FF
  EXPECT_TRUE(valid({0xE0, 0xA0, 0x80}));        // U+0800
  EXPECT_TRUE(valid({0xED, 0x9F, 0xBF}));        // U+D7FF
  EXPECT_TRUE(valid({0xEE, 0x80, 0x80}));        // U+E000
  EXPECT_TRUE(valid({0xEF, 0xBF, 0xBF}));        // U+FFFF
  EXPECT_TRUE(valid({0xF0, 0x90, 0x80, 0x80}));  // U+10000
  EXPECT_TRUE(valid({0xF4, 0x8F, 0xBF, 0xBF}));  // U+10FFFF
}

TEST(Utf8, RejectsOverlongForms) {
  EXPECT_FALSE(valid({0xC0, 0x80}));              // U+0000 in two bytes
  EXPECT_FALSE(valid({0xC1, 0xBF}));              // U+007F in two bytes
  EXPECT_FALSE(valid({0xE0, 0x80, 0x80}));
  EXPECT_FALSE(valid({0xE0, 0x9F, 0xBF}));        // U+07FF in three bytes
  EXPECT_FALSE(valid({0xF0, 0x80, 0x80, 0x80}));
  EXPECT_FALSE(valid({0xF0, 0x8F, 0xBF, 0xBF}));  // U+FFFF in four bytes
}

TEST(Utf8, RejectsSurrogates) {
  EXPECT_FALSE(valid({0xED, 0xA0, 0x80}));  // U+D800
  EXPECT_FALSE(valid({0xED, 0xBF, 0xBF}));  // U+DFFF
  EXPECT_FALSE(valid({0xED, 0xA0, 0xBD, 0xED, 0xB2, 0xA9}));  // a CESU-8 pair
}

TEST(Utf8, RejectsCodePointsPast10FFFF) {
  EXPECT_FALSE(valid({0xF4, 0x90, 0x80, 0x80}));  // U+110000
  EXPECT_FALSE(valid({0xF5, 0x80, 0x80, 0x80}));
  EXPECT_FALSE(valid({0xF8, 0x88, 0x80, 0x80, 0x80}));
  EXPECT_FALSE(valid({0xFF}));
  EXPECT_FALSE(valid({0xFE}));
}

TEST(Utf8, RejectsStrayAndMissingContinuationBytes) {
  EXPECT_FALSE(valid({0x80}));
  EXPECT_FALSE(valid({'a', 0xBF, 'b'}));
  EXPECT_FALSE(valid({0xC2, 'a'}));
  EXPECT_FALSE(valid({0xE2, 0x82}));  // truncated euro sign
  EXPECT_FALSE(valid({0xF0, 0x9F, 0x8E}));
}

TEST(Utf8, AgreesWithAReferenceDecoderOnEveryOneTwoAndThreeByteSequence) {
  for (int a = 0; a < 256; ++a) {
    ASSERT_EQ(valid({std::uint8_t(a)}), reference_valid({std::uint8_t(a)})) << a;
    for (int b = 0; b < 256; ++b) {
      const Bytes two = {std::uint8_t(a), std::uint8_t(b)};
      ASSERT_EQ(valid(two), reference_valid(two)) << a << " " << b;
    }
  }
  for (int a = 0xE0; a < 0x100; ++a) {
    for (int b = 0; b < 256; ++b) {
      for (int c = 0x70; c < 0xD0; ++c) {
        const Bytes three = {std::uint8_t(a), std::uint8_t(b), std::uint8_t(c)};
        ASSERT_EQ(valid(three), reference_valid(three)) << a << " " << b << " " << c;
      }
    }
  }
}

TEST(Utf8, AgreesWithAReferenceDecoderOnFourByteSequences) {
  for (int a = 0xF0; a < 0x100; ++a) {
    for (int b = 0x70; b < 0xD0; ++b) {
      for (int c : {0x7F, 0x80, 0xBF, 0xC0}) {
        for (int d : {0x7F, 0x80, 0xA5, 0xBF, 0xC0}) {
          const Bytes four = {std::uint8_t(a), std::uint8_t(b), std::uint8_t(c), std::uint8_t(d)};
          ASSERT_EQ(valid(four), reference_valid(four)) << a << " " << b << " " << c << " " << d;
        }
      }
    }
  }
}

// The ASCII fast path reads words: a non-ASCII byte at any position of a long run is still seen.
TEST(Utf8, FindsABadByteAtEveryPositionOfALongAsciiRun) {
  for (std::size_t n = 1; n < 48; ++n) {
    for (std::size_t at = 0; at < n; ++at) {
      Bytes s(n, 'x');
      s[at] = 0xFF;
      ASSERT_FALSE(valid(s)) << n << " " << at;
      s[at] = 0xC3;  // a lead byte: valid only if followed by a tail
      if (at + 1 < n) s[at + 1] = 0xA9;
      ASSERT_EQ(valid(s), at + 1 < n) << n << " " << at;
    }
  }
}

TEST(Utf8, ValidatesIncrementallyAcrossAnySplit) {
  const std::string text = "ab€cd😀ef漢字gh and then a long ascii tail of text";
  const Bytes s(text.begin(), text.end());
  for (std::size_t cut = 0; cut <= s.size(); ++cut) {
    Utf8Validator v;
    ASSERT_TRUE(v.feed(std::span(s).first(cut)));
    ASSERT_TRUE(v.feed(std::span(s).subspan(cut)));
    ASSERT_TRUE(v.complete()) << cut;
  }
  Utf8Validator bytewise;
  for (std::uint8_t b : s) ASSERT_TRUE(bytewise.feed(std::span(&b, 1)));
  EXPECT_TRUE(bytewise.complete());
}

TEST(Utf8, ReportsAnUnfinishedCodePointAsIncompleteNotFailed) {
  Utf8Validator v;
  const Bytes euro_start = {'a', 0xE2, 0x82};
  EXPECT_TRUE(v.feed(euro_start));
  EXPECT_FALSE(v.complete());
  EXPECT_FALSE(v.failed());
  const Bytes euro_end = {0xAC};
  EXPECT_TRUE(v.feed(euro_end));
  EXPECT_TRUE(v.complete());
}

TEST(Utf8, FailsAtTheFirstBadByteAndStaysFailed) {
  Utf8Validator v;
  const Bytes bad = {0xED, 0xA0};  // the second byte already makes a surrogate
  EXPECT_FALSE(v.feed(bad));
  EXPECT_TRUE(v.failed());
  const Bytes fine = {'a'};
  EXPECT_FALSE(v.feed(fine));
  EXPECT_FALSE(v.complete());
  v.reset();
  EXPECT_TRUE(v.feed(fine));
  EXPECT_TRUE(v.complete());
}

}  // namespace
}  // namespace duplex::ws
