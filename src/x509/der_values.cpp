// Contents octets of the DER types X.509 uses (X.690 §8.2-§8.23, §10, §11), and the calendar.
#include <algorithm>

#include "duplex/x509/der.hpp"

namespace duplex::x509::der {

bool operator==(const Oid& a, const Oid& b) { return std::ranges::equal(a.contents, b.contents); }

std::string Oid::dotted() const {
  // decode_oid has checked the arcs (terminated, minimal, < 2^64) for every Oid it makes.
  std::string out;
  std::uint64_t arc = 0;
  bool first = true;
  for (const std::uint8_t byte : contents) {
    arc = (arc << 7) | (byte & 0x7f);
    if (byte & 0x80) continue;
    if (first) {
      // X.690 §8.19.4: the first subidentifier is 40 * arc1 + arc2, arc1 in 0..2.
      const std::uint64_t top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
      out += std::to_string(top) + "." + std::to_string(arc - 40 * top);
      first = false;
    } else {
      out += "." + std::to_string(arc);
    }
    arc = 0;
  }
  return out;
}

bool BitString::bit(std::size_t index) const {
  if (index >= bit_count()) return false;
  return (bytes[index / 8] >> (7 - index % 8)) & 1;
}

Result<bool, DerError> decode_boolean(std::span<const std::uint8_t> contents) {
  // X.690 §11.1: TRUE is 0xFF in DER.
  if (contents.size() != 1 || (contents[0] != 0x00 && contents[0] != 0xff)) return fail(DerError::bad_boolean);
  return contents[0] == 0xff;
}

Result<std::span<const std::uint8_t>, DerError> decode_integer(std::span<const std::uint8_t> contents) {
  if (contents.empty()) return fail(DerError::bad_integer);
  // X.690 §8.3.2: the first nine bits are not all ones nor all zeros.
  if (contents.size() > 1) {
    if (contents[0] == 0x00 && (contents[1] & 0x80) == 0) return fail(DerError::non_minimal_integer);
    if (contents[0] == 0xff && (contents[1] & 0x80) != 0) return fail(DerError::non_minimal_integer);
  }
  return contents;
}

Result<std::int64_t, DerError> decode_int64(std::span<const std::uint8_t> contents) {
  auto integer = decode_integer(contents);
  if (!integer) return fail(integer.error());
  if (contents.size() > 8) return fail(DerError::integer_too_large);
  // Sign-extend from the first byte, then shift the rest in, in unsigned arithmetic.
  std::uint64_t value = (contents[0] & 0x80) ? ~std::uint64_t{0} : 0;
  for (const std::uint8_t byte : contents) value = (value << 8) | byte;
  return static_cast<std::int64_t>(value);
}

Result<Oid, DerError> decode_oid(std::span<const std::uint8_t> contents) {
  if (contents.empty()) return fail(DerError::bad_oid);
  std::size_t arc_start = 0;
  for (std::size_t i = 0; i < contents.size(); ++i) {
    // X.690 §8.19.2: "the leading byte of a subidentifier shall not be 0x80".
    if (i == arc_start && contents[i] == 0x80) return fail(DerError::non_minimal_oid);
    const std::size_t arc_bytes = i - arc_start + 1;
    // Arcs are kept below 2^64: ten 7-bit groups hold 70 bits, so a ten-byte arc starts with 0x81.
    if (arc_bytes > 10 || (arc_bytes == 10 && contents[arc_start] != 0x81)) return fail(DerError::bad_oid);
    if ((contents[i] & 0x80) == 0) arc_start = i + 1;
  }
  if (arc_start != contents.size()) return fail(DerError::bad_oid);  // the last arc is unterminated
  return Oid{contents};
}

Result<BitString, DerError> decode_bit_string(std::span<const std::uint8_t> contents) {
  // X.690 §8.6.2: an initial octet of unused bits, 0-7, and 0 when there is no data.
  if (contents.empty() || contents[0] > 7) return fail(DerError::bad_bit_string);
  BitString bits{contents.subspan(1), contents[0]};
  if (bits.bytes.empty() && bits.unused_bits != 0) return fail(DerError::bad_bit_string);
  // X.690 §11.2.1: the unused bits are zero in DER.
  if (!bits.bytes.empty() && (bits.bytes.back() & ((1u << bits.unused_bits) - 1)) != 0)
    return fail(DerError::nonzero_padding_bits);
  return bits;
}

// ---- Calendar (proleptic Gregorian; H. Hinnant's days_from_civil / civil_from_days) -----------

namespace {

bool is_leap_year(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const std::int64_t era = floor_div(year, 400);
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

}  // namespace

std::optional<std::int64_t> to_unix_seconds(const CivilTime& t) {
  if (t.year < 0 || t.year > 9999 || t.month < 1 || t.month > 12) return std::nullopt;
  if (t.day < 1 || t.day > days_in_month(t.year, t.month)) return std::nullopt;
  // RFC 5280 §4.1.2.5: seconds are present; leap seconds (60) are not accepted, as in Go.
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return std::nullopt;
  return days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

CivilTime to_civil_time(std::int64_t unix_seconds) {
  const std::int64_t days = floor_div(unix_seconds, 86400);
  const std::int64_t seconds = unix_seconds - days * 86400;
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t mp = (5 * day_of_year + 2) / 153;
  CivilTime t;
  t.day = static_cast<unsigned>(day_of_year - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  t.year = year_of_era + era * 400 + (t.month <= 2);
  t.hour = static_cast<unsigned>(seconds / 3600);
  t.minute = static_cast<unsigned>(seconds / 60 % 60);
  t.second = static_cast<unsigned>(seconds % 60);
  return t;
}

namespace {

// Reads `count` decimal digits at `at`; nullopt if any is not a digit.
std::optional<unsigned> digits(std::span<const std::uint8_t> text, std::size_t at, std::size_t count) {
  unsigned value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// MMDDHHMMSSZ, the tail both time types share (X.690 §11.7, §11.8; RFC 5280 §4.1.2.5.1-2).
Result<std::int64_t, DerError> decode_time_tail(std::span<const std::uint8_t> text, std::size_t at,
                                                std::int64_t year) {
  if (text.size() != at + 11 || text.back() != 'Z') return fail(DerError::bad_time);
  auto month = digits(text, at, 2), day = digits(text, at + 2, 2), hour = digits(text, at + 4, 2);
  auto minute = digits(text, at + 6, 2), second = digits(text, at + 8, 2);
  if (!month || !day || !hour || !minute || !second) return fail(DerError::bad_time);
  auto seconds = to_unix_seconds({year, *month, *day, *hour, *minute, *second});
  if (!seconds) return fail(DerError::bad_time);
  return *seconds;
}

}  // namespace

Result<std::int64_t, DerError> decode_utc_time(std::span<const std::uint8_t> contents) {
  // RFC 5280 §4.1.2.5.1: YYMMDDHHMMSSZ; YY >= 50 is 19YY, YY < 50 is 20YY.
  if (contents.size() != 13) return fail(DerError::bad_time);
  auto year = digits(contents, 0, 2);
  if (!year) return fail(DerError::bad_time);
  return decode_time_tail(contents, 2, *year >= 50 ? 1900 + *year : 2000 + *year);
}

Result<std::int64_t, DerError> decode_generalized_time(std::span<const std::uint8_t> contents) {
  // RFC 5280 §4.1.2.5.2: YYYYMMDDHHMMSSZ, no fractional seconds.
  if (contents.size() != 15) return fail(DerError::bad_time);
  auto year = digits(contents, 0, 4);
  if (!year) return fail(DerError::bad_time);
  return decode_time_tail(contents, 4, *year);
}

// ---- Strings ----------------------------------------------------------------------------------

namespace {

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xc0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xe0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  }
}

bool is_scalar_value(std::uint32_t code_point) {
  return code_point <= 0x10ffff && (code_point < 0xd800 || code_point > 0xdfff);
}

// RFC 3629 §4: no overlong forms, no surrogates, nothing past U+10FFFF.
bool is_utf8(std::span<const std::uint8_t> bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::uint8_t lead = bytes[i];
    std::size_t length;
    std::uint32_t code_point;
    if (lead < 0x80) { ++i; continue; }
    if (lead >= 0xc2 && lead <= 0xdf) { length = 2; code_point = lead & 0x1f; }
    else if (lead >= 0xe0 && lead <= 0xef) { length = 3; code_point = lead & 0x0f; }
    else if (lead >= 0xf0 && lead <= 0xf4) { length = 4; code_point = lead & 0x07; }
    else return false;
    if (bytes.size() - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xc0) != 0x80) return false;
      code_point = (code_point << 6) | (bytes[i + k] & 0x3f);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || !is_scalar_value(code_point)) return false;
    i += length;
  }
  return true;
}

// X.680 §41.4 Table 10, plus '*' and '&'.
// Q: Why accept '*' and '&', which PrintableString does not have?
// A: Deployed certificates use them (wildcard CNs, company names); Go's crypto/x509 accepts both
//    when parsing for that reason. The writer (der_writer.cpp) never produces them.
bool is_printable_char(std::uint8_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view(" '()+,-./:=?*&").find(static_cast<char>(c)) != std::string_view::npos;
}

Result<std::string, DerError> decode_ucs(std::span<const std::uint8_t> contents, std::size_t width) {
  if (contents.size() % width != 0) return fail(DerError::bad_string);
  std::string out;
  for (std::size_t i = 0; i < contents.size(); i += width) {
    std::uint32_t code_point = 0;
    for (std::size_t k = 0; k < width; ++k) code_point = (code_point << 8) | contents[i + k];
    if (!is_scalar_value(code_point)) return fail(DerError::bad_string);
    append_utf8(out, code_point);
  }
  return out;
}

}  // namespace

bool is_string_tag(Tag tag) {
  return tag == tags::utf8_string || tag == tags::printable_string || tag == tags::ia5_string ||
         tag == tags::numeric_string || tag == tags::visible_string || tag == tags::teletex_string ||
         tag == tags::bmp_string || tag == tags::universal_string;
}

// TeletexString: its real T.61 repertoire is never what deployed certificates mean.
Result<std::string, DerError> decode_string(Tag tag, std::span<const std::uint8_t> contents) {
  auto all = [&](auto predicate) { return std::ranges::all_of(contents, predicate); };
  const std::string text(as_text(contents));
  if (tag == tags::utf8_string) {
    if (!is_utf8(contents)) return fail(DerError::bad_string);
    return text;
  }
  if (tag == tags::printable_string) {
    if (!all(is_printable_char)) return fail(DerError::bad_string);
    return text;
  }
  if (tag == tags::ia5_string) {
    if (!all([](std::uint8_t c) { return c < 0x80; })) return fail(DerError::bad_string);
    return text;
  }
  if (tag == tags::numeric_string) {
    if (!all([](std::uint8_t c) { return c == ' ' || (c >= '0' && c <= '9'); })) return fail(DerError::bad_string);
    return text;
  }
  if (tag == tags::visible_string) {
    if (!all([](std::uint8_t c) { return c >= 0x20 && c <= 0x7e; })) return fail(DerError::bad_string);
    return text;
  }
  if (tag == tags::teletex_string) {
    std::string out;
    for (const std::uint8_t c : contents) append_utf8(out, c);
    return out;
  }
  if (tag == tags::bmp_string) return decode_ucs(contents, 2);
  if (tag == tags::universal_string) return decode_ucs(contents, 4);
  return fail(DerError::unexpected_tag);
}

}  // namespace duplex::x509::der
