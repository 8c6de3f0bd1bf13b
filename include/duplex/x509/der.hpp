// DER (ITU-T X.690 §8 and §10, the Distinguished Encoding Rules): a strict reader of the ASN.1
// values X.509 uses. Strict means one encoding per value: definite lengths in their shortest
// form, minimal tag numbers and integers, DER booleans, zero padding bits, no trailing bytes.
//
//   der::Reader certificate(bytes);
//   auto tbs = certificate.read_sequence();          // Result<Reader, DerError>
//   auto version = tbs->read_optional_explicit(0);  // [0] EXPLICIT, absent or present
//
// Every read either consumes one whole element and returns it decoded, or returns a DerError and
// leaves the reader where it was. Nothing reads outside the span given to the reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/util/byte_reader.hpp"
#include "duplex/util/result.hpp"

namespace duplex::x509::der {

enum class DerError : std::uint8_t {
  truncated,              // an element runs past the end of its input
  bad_tag,                // a malformed identifier (e.g. tag 0, unterminated high tag number)
  non_minimal_tag,        // a high-tag-number form where the low form fits, or a leading 0x80
  tag_number_too_large,   // a tag number past 2^28 - 1
  indefinite_length,      // length octet 0x80 (BER only)
  bad_length,             // length octet 0xFF (reserved) or a length past 2^32 - 1
  non_minimal_length,     // long form for a length < 128, or a leading zero length byte
  trailing_data,          // bytes left where a whole value was expected
  unexpected_tag,         // an element other than the one expected
  too_deep,               // constructed values nested deeper than kMaxDepth
  bad_boolean,            // a BOOLEAN not exactly one 0x00 or 0xFF byte
  bad_integer,            // an empty INTEGER
  non_minimal_integer,    // an INTEGER with a redundant leading 0x00 or 0xFF
  integer_too_large,      // an INTEGER that does not fit in the type asked for
  bad_null,               // a NULL with contents
  bad_oid,                // an empty OID, an unterminated arc or an arc past 2^64 - 1
  non_minimal_oid,        // an OID arc with a leading 0x80 byte
  bad_bit_string,         // no unused-bits byte, unused bits > 7, or unused bits with no data
  nonzero_padding_bits,   // a BIT STRING whose unused bits are not zero
  bad_time,               // not the DER form of UTCTime / GeneralizedTime, or not a real date
  bad_string,             // a string's bytes break its type's character set or encoding
};

// "the INTEGER has a redundant leading byte", for logs and error messages.
std::string_view describe(DerError error);

enum class TagClass : std::uint8_t { universal = 0, application = 1, context_specific = 2, private_use = 3 };

struct Tag {
  TagClass tag_class = TagClass::universal;
  bool constructed = false;
  std::uint32_t number = 0;

  friend bool operator==(const Tag&, const Tag&) = default;
};

constexpr Tag universal(std::uint32_t number, bool constructed = false) {
  return {TagClass::universal, constructed, number};
}
// [n] IMPLICIT on a primitive type (constructed = false) or [n] EXPLICIT / IMPLICIT SEQUENCE.
constexpr Tag context(std::uint32_t number, bool constructed) {
  return {TagClass::context_specific, constructed, number};
}

// X.680 §8.4 Table 1: the universal tags X.509 uses.
namespace tags {
inline constexpr Tag boolean = universal(1);
inline constexpr Tag integer = universal(2);
inline constexpr Tag bit_string = universal(3);
inline constexpr Tag octet_string = universal(4);
inline constexpr Tag null = universal(5);
inline constexpr Tag oid = universal(6);
inline constexpr Tag enumerated = universal(10);
inline constexpr Tag utf8_string = universal(12);
inline constexpr Tag sequence = universal(16, true);
inline constexpr Tag set = universal(17, true);
inline constexpr Tag numeric_string = universal(18);
inline constexpr Tag printable_string = universal(19);
inline constexpr Tag teletex_string = universal(20);  // T61String
inline constexpr Tag ia5_string = universal(22);
inline constexpr Tag utc_time = universal(23);
inline constexpr Tag generalized_time = universal(24);
inline constexpr Tag visible_string = universal(26);
inline constexpr Tag universal_string = universal(28);
inline constexpr Tag bmp_string = universal(30);
}  // namespace tags

// Bounds on what the reader accepts, each far above what a certificate needs.
inline constexpr unsigned kMaxDepth = 32;  // nested constructed values (certificates use < 10)

// One element as read: its tag, its contents, and its whole encoding (identifier + length +
// contents), which X.509 keeps for signatures and name comparison.
struct Element {
  Tag tag;
  std::span<const std::uint8_t> contents;
  std::span<const std::uint8_t> encoding;
};

// An OBJECT IDENTIFIER as its DER contents octets (which are unique per OID once minimal), so
// comparison against the constants of oid.hpp is a byte comparison.
struct Oid {
  std::span<const std::uint8_t> contents;

  // "1.2.840.113549.1.1.11".
  std::string dotted() const;
  friend bool operator==(const Oid& a, const Oid& b);
};

// A BIT STRING: the bytes after the unused-bits octet, and how many bits of the last are unused.
struct BitString {
  std::span<const std::uint8_t> bytes;
  std::uint8_t unused_bits = 0;

  std::size_t bit_count() const { return bytes.size() * 8 - unused_bits; }
  // Bit `index` counting from the first (most significant) bit, false past the end: how named
  // bit lists such as KeyUsage are read (X.680 §22.6).
  bool bit(std::size_t index) const;
};

// Decoders of contents octets, for values read with an IMPLICIT tag or taken from an Element.
Result<bool, DerError> decode_boolean(std::span<const std::uint8_t> contents);
// Checks minimal two's complement and returns the contents unchanged (big-endian, signed).
Result<std::span<const std::uint8_t>, DerError> decode_integer(std::span<const std::uint8_t> contents);
Result<std::int64_t, DerError> decode_int64(std::span<const std::uint8_t> contents);
Result<Oid, DerError> decode_oid(std::span<const std::uint8_t> contents);
Result<BitString, DerError> decode_bit_string(std::span<const std::uint8_t> contents);
// UTCTime "YYMMDDHHMMSSZ" and GeneralizedTime "YYYYMMDDHHMMSSZ" to seconds since 1970-01-01.
Result<std::int64_t, DerError> decode_utc_time(std::span<const std::uint8_t> contents);
Result<std::int64_t, DerError> decode_generalized_time(std::span<const std::uint8_t> contents);
// Any string type `tag` names, decoded to UTF-8, or bad_string:
//   UTF8String       valid UTF-8 (RFC 3629: no overlong forms, surrogates or > U+10FFFF)
//   PrintableString  X.680 §41.4's set, plus '*' and '&' as deployed certificates use them
//   IA5String        ASCII; NumericString digits and space; VisibleString 0x20-0x7E
//   TeletexString    read as ISO 8859-1, as OpenSSL and most verifiers do
//   BMPString        UCS-2 big-endian, no surrogates; UniversalString UCS-4 big-endian, scalar
//                    values only (both converted to UTF-8)
Result<std::string, DerError> decode_string(Tag tag, std::span<const std::uint8_t> contents);
bool is_string_tag(Tag tag);

// Calendar helpers shared with the writer (proleptic Gregorian, UTC, no leap seconds).
struct CivilTime {
  std::int64_t year = 1970;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
};
std::optional<std::int64_t> to_unix_seconds(const CivilTime& time);  // nullopt if not a real date
CivilTime to_civil_time(std::int64_t unix_seconds);

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : Reader(bytes, 0) {}

  bool empty() const { return bytes_.empty(); }
  std::size_t remaining() const { return bytes_.remaining(); }
  std::span<const std::uint8_t> rest() const { return bytes_.rest(); }
  unsigned depth() const { return depth_; }

  // The next element's tag, or nullopt at the end or when its identifier is malformed (which
  // the next read then reports). For OPTIONAL and DEFAULT fields.
  std::optional<Tag> peek() const;
  bool next_is(Tag tag) const { return peek() == tag; }

  // Any element, whatever its tag.
  Result<Element, DerError> read_any();
  // The element with `tag` (unexpected_tag otherwise).
  Result<Element, DerError> read_element(Tag tag);
  // The element with `tag` when it comes next, nullopt when another element or the end does.
  Result<std::optional<Element>, DerError> read_optional(Tag tag);

  // A constructed element's contents as a nested reader (one level deeper).
  Result<Reader, DerError> read_constructed(Tag tag);
  Result<Reader, DerError> read_sequence() { return read_constructed(tags::sequence); }
  Result<Reader, DerError> read_set() { return read_constructed(tags::set); }
  // [n] EXPLICIT: a reader over the one element inside (the caller reads it, then finish()).
  Result<Reader, DerError> read_explicit(std::uint32_t number) { return read_constructed(context(number, true)); }
  Result<std::optional<Reader>, DerError> read_optional_explicit(std::uint32_t number);

  // Typed reads; `tag` replaces the universal tag for an IMPLICIT field.
  Result<bool, DerError> read_boolean(Tag tag = tags::boolean);
  Result<std::span<const std::uint8_t>, DerError> read_integer(Tag tag = tags::integer);
  Result<std::int64_t, DerError> read_int64(Tag tag = tags::integer);
  Result<Unit, DerError> read_null(Tag tag = tags::null);
  Result<Oid, DerError> read_oid(Tag tag = tags::oid);
  Result<BitString, DerError> read_bit_string(Tag tag = tags::bit_string);
  Result<std::span<const std::uint8_t>, DerError> read_octet_string(Tag tag = tags::octet_string);
  Result<std::int64_t, DerError> read_utc_time(Tag tag = tags::utc_time);
  Result<std::int64_t, DerError> read_generalized_time(Tag tag = tags::generalized_time);
  // RFC 5280 Time ::= CHOICE { utcTime, generalTime }.
  Result<std::int64_t, DerError> read_time();
  // Any of the string types (UTF8String, PrintableString, IA5String, ...), as UTF-8.
  Result<std::string, DerError> read_string();

  // trailing_data unless every byte has been read: the end of a SEQUENCE or of the input.
  Result<Unit, DerError> finish() const;

 private:
  Reader(std::span<const std::uint8_t> bytes, unsigned depth) : bytes_(bytes), depth_(depth) {}
  template <typename T, typename Decode>
  Result<T, DerError> read_decoded(Tag tag, Decode decode);

  ByteReader bytes_;
  unsigned depth_ = 0;
};

// Parses `bytes` as exactly one element (trailing_data if anything follows it).
Result<Element, DerError> parse_single(std::span<const std::uint8_t> bytes);

}  // namespace duplex::x509::der
