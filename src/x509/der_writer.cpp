#include "duplex/x509/der_writer.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdio>

namespace duplex::x509::der {

std::vector<std::uint8_t> encode_length(std::size_t length) {
  if (length < 0x80) return {static_cast<std::uint8_t>(length)};
  std::vector<std::uint8_t> out;
  for (std::size_t rest = length; rest > 0; rest >>= 8) out.insert(out.begin(), static_cast<std::uint8_t>(rest));
  out.insert(out.begin(), static_cast<std::uint8_t>(0x80 | out.size()));
  return out;
}

namespace {

void append_base128(std::vector<std::uint8_t>& out, std::uint64_t value) {
  std::uint8_t groups[10];
  std::size_t count = 0;
  do {
    groups[count++] = value & 0x7f;
    value >>= 7;
  } while (value > 0);
  while (count > 0) {
    --count;
    out.push_back(static_cast<std::uint8_t>(groups[count] | (count > 0 ? 0x80 : 0)));
  }
}

std::optional<std::uint64_t> parse_arc(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Result<std::vector<std::uint8_t>, DerError> encode_oid(std::string_view dotted) {
  std::vector<std::uint64_t> arcs;
  for (std::size_t start = 0;;) {
    const std::size_t dot = dotted.find('.', start);
    auto arc = parse_arc(dotted.substr(start, dot == std::string_view::npos ? dotted.npos : dot - start));
    if (!arc) return fail(DerError::bad_oid);
    arcs.push_back(*arc);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  // X.690 §8.19.4: arc1 in 0..2, arc2 < 40 under 0 and 1; the two share one subidentifier.
  if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40)) return fail(DerError::bad_oid);
  if (arcs[1] > UINT64_MAX - 80) return fail(DerError::bad_oid);
  std::vector<std::uint8_t> out;
  append_base128(out, arcs[0] * 40 + arcs[1]);
  for (std::size_t i = 2; i < arcs.size(); ++i) append_base128(out, arcs[i]);
  return out;
}

void Writer::write_identifier(Tag tag) {
  const unsigned tag_class = static_cast<unsigned>(tag.tag_class) << 6;
  const auto head = static_cast<std::uint8_t>(tag_class | (tag.constructed ? 0x20 : 0));
  if (tag.number < 0x1f) {
    out_.push_back(static_cast<std::uint8_t>(head | tag.number));
    return;
  }
  out_.push_back(head | 0x1f);
  append_base128(out_, tag.number);
}

void Writer::write_element(Tag tag, std::span<const std::uint8_t> contents) {
  write_identifier(tag);
  const auto length = encode_length(contents.size());
  out_.insert(out_.end(), length.begin(), length.end());
  out_.insert(out_.end(), contents.begin(), contents.end());
}

void Writer::write_encoded(std::span<const std::uint8_t> der) { out_.insert(out_.end(), der.begin(), der.end()); }

std::size_t Writer::begin(Tag tag) {
  write_identifier(tag);
  return out_.size();
}

void Writer::end(std::size_t mark) {
  assert(mark <= out_.size());
  const auto length = encode_length(out_.size() - mark);
  out_.insert(out_.begin() + static_cast<std::ptrdiff_t>(mark), length.begin(), length.end());
}

void Writer::write_set_of(std::vector<std::vector<std::uint8_t>> elements, Tag tag) {
  // X.690 §11.6: compared as octet strings with the shorter padded with zeros at the end. (Whole
  // TLVs are never proper prefixes of each other, but the rule is kept as written.)
  std::ranges::sort(elements, [](const auto& a, const auto& b) {
    const std::size_t common = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < common; ++i)
      if (a[i] != b[i]) return a[i] < b[i];
    return std::any_of(b.begin() + static_cast<std::ptrdiff_t>(common), b.end(), [](auto byte) { return byte != 0; });
  });
  const std::size_t mark = begin(tag);
  for (const auto& element : elements) write_encoded(element);
  end(mark);
}

void Writer::write_boolean(bool value, Tag tag) {
  const std::uint8_t byte = value ? 0xff : 0x00;
  write_element(tag, {&byte, 1});
}

void Writer::write_integer(std::int64_t value, Tag tag) {
  std::uint8_t bytes[8];
  auto bits = static_cast<std::uint64_t>(value);
  for (int i = 7; i >= 0; --i, bits >>= 8) bytes[i] = static_cast<std::uint8_t>(bits);
  // Drop redundant leading bytes (X.690 §8.3.2).
  std::size_t start = 0;
  while (start < 7 && ((bytes[start] == 0x00 && !(bytes[start + 1] & 0x80)) ||
                       (bytes[start] == 0xff && (bytes[start + 1] & 0x80))))
    ++start;
  write_element(tag, std::span<const std::uint8_t>(bytes).subspan(start));
}

void Writer::write_unsigned_integer(std::span<const std::uint8_t> magnitude, Tag tag) {
  while (!magnitude.empty() && magnitude.front() == 0) magnitude = magnitude.subspan(1);
  std::vector<std::uint8_t> contents;
  if (magnitude.empty() || (magnitude.front() & 0x80)) contents.push_back(0);
  contents.insert(contents.end(), magnitude.begin(), magnitude.end());
  write_element(tag, contents);
}

void Writer::write_null(Tag tag) { write_element(tag, {}); }

void Writer::write_oid(Oid oid, Tag tag) { write_element(tag, oid.contents); }

Result<Unit, DerError> Writer::write_oid(std::string_view dotted, Tag tag) {
  auto contents = encode_oid(dotted);
  if (!contents) return fail(contents.error());
  write_element(tag, *contents);
  return Unit{};
}

Result<Unit, DerError> Writer::write_bit_string(std::span<const std::uint8_t> bytes, std::uint8_t unused_bits,
                                                Tag tag) {
  if (unused_bits > 7 || (bytes.empty() && unused_bits != 0)) return fail(DerError::bad_bit_string);
  std::vector<std::uint8_t> contents{unused_bits};
  contents.insert(contents.end(), bytes.begin(), bytes.end());
  if (!bytes.empty()) contents.back() &= static_cast<std::uint8_t>(0xff << unused_bits);
  write_element(tag, contents);
  return Unit{};
}

void Writer::write_octet_string(std::span<const std::uint8_t> bytes, Tag tag) { write_element(tag, bytes); }

namespace {

Result<std::string, DerError> format_time(std::int64_t unix_seconds, bool utc) {
  const CivilTime t = to_civil_time(unix_seconds);
  if (utc ? (t.year < 1950 || t.year > 2049) : (t.year < 0 || t.year > 9999)) return fail(DerError::bad_time);
  char text[16];
  if (utc)
    std::snprintf(text, sizeof text, "%02u%02u%02u%02u%02u%02uZ", static_cast<unsigned>(t.year % 100), t.month, t.day,
                  t.hour, t.minute, t.second);
  else
    std::snprintf(text, sizeof text, "%04u%02u%02u%02u%02u%02uZ", static_cast<unsigned>(t.year), t.month, t.day,
                  t.hour, t.minute, t.second);
  return std::string(text);
}

}  // namespace

Result<Unit, DerError> Writer::write_utc_time(std::int64_t unix_seconds, Tag tag) {
  auto text = format_time(unix_seconds, true);
  if (!text) return fail(text.error());
  write_element(tag, as_bytes(*text));
  return Unit{};
}

Result<Unit, DerError> Writer::write_generalized_time(std::int64_t unix_seconds, Tag tag) {
  auto text = format_time(unix_seconds, false);
  if (!text) return fail(text.error());
  write_element(tag, as_bytes(*text));
  return Unit{};
}

Result<Unit, DerError> Writer::write_time(std::int64_t unix_seconds) {
  const std::int64_t year = to_civil_time(unix_seconds).year;
  if (year >= 1950 && year <= 2049) return write_utc_time(unix_seconds);
  return write_generalized_time(unix_seconds);
}

namespace {

// UTF-8 (already validated) to code points.
std::vector<std::uint32_t> code_points(std::span<const std::uint8_t> utf8) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < utf8.size();) {
    const std::uint8_t lead = utf8[i];
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    std::uint32_t code_point = length == 1 ? lead : lead & (0x3f >> (length - 1));
    for (std::size_t k = 1; k < length; ++k) code_point = (code_point << 6) | (utf8[i + k] & 0x3f);
    out.push_back(code_point);
    i += length;
  }
  return out;
}

bool is_strict_printable(std::uint8_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view(" '()+,-./:=?").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

Result<Unit, DerError> Writer::write_string(Tag tag, std::string_view utf8) {
  const auto bytes = as_bytes(utf8);
  // Every type is checked by the reader's own rules on the way out, so what is written reads back.
  if (tag == tags::bmp_string || tag == tags::universal_string) {
    if (!decode_string(tags::utf8_string, bytes)) return fail(DerError::bad_string);
    const std::size_t width = tag == tags::bmp_string ? 2 : 4;
    std::vector<std::uint8_t> contents;
    for (const std::uint32_t code_point : code_points(bytes)) {
      if (width == 2 && code_point > 0xffff) return fail(DerError::bad_string);
      for (std::size_t k = width; k-- > 0;) contents.push_back(static_cast<std::uint8_t>(code_point >> (8 * k)));
    }
    write_element(tag, contents);
    return Unit{};
  }
  if (tag == tags::teletex_string || !is_string_tag(tag)) return fail(DerError::unexpected_tag);
  if (tag == tags::printable_string && !std::ranges::all_of(bytes, is_strict_printable))
    return fail(DerError::bad_string);
  if (!decode_string(tag, bytes)) return fail(DerError::bad_string);
  write_element(tag, bytes);
  return Unit{};
}

}  // namespace duplex::x509::der
