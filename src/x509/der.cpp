// The DER element reader: identifier and length octets (X.690 §8.1, §10.1) and the Reader.
// Decoding of each type's contents octets is in der_values.cpp.
#include "duplex/x509/der.hpp"

namespace duplex::x509::der {

std::string_view describe(DerError error) {
  switch (error) {
    case DerError::truncated: return "an element runs past the end of its input";
    case DerError::bad_tag: return "an identifier octet is malformed";
    case DerError::non_minimal_tag: return "a tag number is not in its shortest form";
    case DerError::tag_number_too_large: return "a tag number is too large";
    case DerError::indefinite_length: return "an element has an indefinite length, which DER forbids";
    case DerError::bad_length: return "a length is reserved or too large";
    case DerError::non_minimal_length: return "a length is not in its shortest form";
    case DerError::trailing_data: return "bytes follow where the value should have ended";
    case DerError::unexpected_tag: return "an element has a tag other than the one expected";
    case DerError::too_deep: return "constructed values are nested too deeply";
    case DerError::bad_boolean: return "a BOOLEAN is not a single 0x00 or 0xFF byte";
    case DerError::bad_integer: return "an INTEGER is empty";
    case DerError::non_minimal_integer: return "an INTEGER has a redundant leading byte";
    case DerError::integer_too_large: return "an INTEGER is too large for its use";
    case DerError::bad_null: return "a NULL has contents";
    case DerError::bad_oid: return "an OBJECT IDENTIFIER is empty, unterminated or has a huge arc";
    case DerError::non_minimal_oid: return "an OBJECT IDENTIFIER arc is not in its shortest form";
    case DerError::bad_bit_string: return "a BIT STRING has a bad unused-bits count";
    case DerError::nonzero_padding_bits: return "a BIT STRING has unused bits that are not zero";
    case DerError::bad_time: return "a time is not in its DER form or not a real date";
    case DerError::bad_string: return "a string breaks its type's character set or encoding";
  }
  return "unknown DER error";
}

namespace {

// X.690 §8.1.2: identifier octets. `bytes` is advanced past them on success.
Result<Tag, DerError> parse_identifier(ByteReader& bytes) {
  auto first = bytes.read_u8();
  if (!first) return fail(DerError::truncated);
  Tag tag;
  tag.tag_class = static_cast<TagClass>(*first >> 6);
  tag.constructed = (*first & 0x20) != 0;
  tag.number = *first & 0x1f;
  if (tag.number == 0x1f) {
    // X.690 §8.1.2.4: high tag numbers in base 128, at least 31, first byte not 0x80 (§8.1.2.4.2 c).
    std::uint32_t number = 0;
    for (int count = 0;; ++count) {
      auto byte = bytes.read_u8();
      if (!byte) return fail(DerError::truncated);
      if (count == 0 && *byte == 0x80) return fail(DerError::non_minimal_tag);
      if (count == 4) return fail(DerError::tag_number_too_large);
      number = (number << 7) | (*byte & 0x7f);
      if ((*byte & 0x80) == 0) break;
    }
    if (number < 0x1f) return fail(DerError::non_minimal_tag);
    tag.number = number;
  }
  // X.690 §8.1.5: universal tag 0 is end-of-contents, which only the indefinite form uses.
  if (tag.tag_class == TagClass::universal && tag.number == 0) return fail(DerError::bad_tag);
  return tag;
}

// X.690 §8.1.3 and §10.1: definite lengths in the fewest octets.
Result<std::size_t, DerError> parse_length(ByteReader& bytes) {
  auto first = bytes.read_u8();
  if (!first) return fail(DerError::truncated);
  if (*first < 0x80) return std::size_t{*first};
  if (*first == 0x80) return fail(DerError::indefinite_length);
  if (*first == 0xff) return fail(DerError::bad_length);  // X.690 §8.1.3.5 c: reserved
  const unsigned count = *first & 0x7f;
  if (count > 4) return fail(DerError::bad_length);
  std::size_t length = 0;
  for (unsigned i = 0; i < count; ++i) {
    auto byte = bytes.read_u8();
    if (!byte) return fail(DerError::truncated);
    if (i == 0 && *byte == 0) return fail(DerError::non_minimal_length);
    length = (length << 8) | *byte;
  }
  if (length < 0x80) return fail(DerError::non_minimal_length);
  return length;
}

// Reads one element from `bytes`, advancing it only on success.
Result<Element, DerError> parse_element(ByteReader& bytes) {
  ByteReader cursor = bytes;
  auto tag = parse_identifier(cursor);
  if (!tag) return fail(tag.error());
  auto length = parse_length(cursor);
  if (!length) return fail(length.error());
  auto contents = cursor.read_bytes(*length);
  if (!contents) return fail(DerError::truncated);
  Element element{*tag, *contents, bytes.rest().first(cursor.position() - bytes.position())};
  bytes = cursor;
  return element;
}

}  // namespace

Result<Element, DerError> parse_single(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes);
  auto element = parse_element(reader);
  if (!element) return element;
  if (!reader.empty()) return fail(DerError::trailing_data);
  return element;
}

std::optional<Tag> Reader::peek() const {
  ByteReader cursor = bytes_;
  auto tag = parse_identifier(cursor);
  if (!tag) return std::nullopt;
  return *tag;
}

Result<Element, DerError> Reader::read_any() { return parse_element(bytes_); }

Result<Element, DerError> Reader::read_element(Tag tag) {
  ByteReader cursor = bytes_;
  auto element = parse_element(cursor);
  if (!element) return element;
  if (element->tag != tag) return fail(DerError::unexpected_tag);
  bytes_ = cursor;
  return element;
}

Result<std::optional<Element>, DerError> Reader::read_optional(Tag tag) {
  if (empty() || !next_is(tag)) {
    // A malformed identifier is an error, not an absent field.
    if (!empty() && !peek()) return fail(read_any().error());
    return std::optional<Element>{};
  }
  auto element = read_element(tag);
  if (!element) return fail(element.error());
  return std::optional<Element>{*element};
}

Result<Reader, DerError> Reader::read_constructed(Tag tag) {
  if (!tag.constructed) return fail(DerError::unexpected_tag);
  if (depth_ + 1 > kMaxDepth) return fail(DerError::too_deep);
  auto element = read_element(tag);
  if (!element) return fail(element.error());
  return Reader(element->contents, depth_ + 1);
}

Result<std::optional<Reader>, DerError> Reader::read_optional_explicit(std::uint32_t number) {
  if (!next_is(context(number, true))) {
    if (!empty() && !peek()) return fail(read_any().error());
    return std::optional<Reader>{};
  }
  auto inner = read_explicit(number);
  if (!inner) return fail(inner.error());
  return std::optional<Reader>{*inner};
}

template <typename T, typename Decode>
Result<T, DerError> Reader::read_decoded(Tag tag, Decode decode) {
  ByteReader saved = bytes_;
  auto element = read_element(tag);
  if (!element) return fail(element.error());
  auto value = decode(element->contents);
  if (!value) bytes_ = saved;  // a failed read leaves the reader where it was
  return value;
}

Result<bool, DerError> Reader::read_boolean(Tag tag) { return read_decoded<bool>(tag, decode_boolean); }
Result<std::span<const std::uint8_t>, DerError> Reader::read_integer(Tag tag) {
  return read_decoded<std::span<const std::uint8_t>>(tag, decode_integer);
}
Result<std::int64_t, DerError> Reader::read_int64(Tag tag) { return read_decoded<std::int64_t>(tag, decode_int64); }
Result<Unit, DerError> Reader::read_null(Tag tag) {
  return read_decoded<Unit>(tag, [](std::span<const std::uint8_t> contents) -> Result<Unit, DerError> {
    if (!contents.empty()) return fail(DerError::bad_null);
    return Unit{};
  });
}
Result<Oid, DerError> Reader::read_oid(Tag tag) { return read_decoded<Oid>(tag, decode_oid); }
Result<BitString, DerError> Reader::read_bit_string(Tag tag) {
  return read_decoded<BitString>(tag, decode_bit_string);
}
Result<std::span<const std::uint8_t>, DerError> Reader::read_octet_string(Tag tag) {
  return read_decoded<std::span<const std::uint8_t>>(
      tag, [](std::span<const std::uint8_t> contents) -> Result<std::span<const std::uint8_t>, DerError> {
        return contents;
      });
}
Result<std::int64_t, DerError> Reader::read_utc_time(Tag tag) {
  return read_decoded<std::int64_t>(tag, decode_utc_time);
}
Result<std::int64_t, DerError> Reader::read_generalized_time(Tag tag) {
  return read_decoded<std::int64_t>(tag, decode_generalized_time);
}

Result<std::int64_t, DerError> Reader::read_time() {
  if (next_is(tags::generalized_time)) return read_generalized_time();
  return read_utc_time();
}

Result<std::string, DerError> Reader::read_string() {
  auto tag = peek();
  if (!tag) return fail(read_any().error());
  if (!is_string_tag(*tag)) return fail(DerError::unexpected_tag);
  return read_decoded<std::string>(
      *tag, [&](std::span<const std::uint8_t> contents) { return decode_string(*tag, contents); });
}

Result<Unit, DerError> Reader::finish() const {
  if (!empty()) return fail(DerError::trailing_data);
  return Unit{};
}

}  // namespace duplex::x509::der
