// A DER writer for the types der.hpp reads, to issue certificates (development CAs, tests).
// Every value comes out in its one DER encoding: minimal lengths, integers and OID arcs.
//
//   der::Writer w;
//   w.sequence([&](der::Writer& w) {
//     w.write_integer(2);
//     w.explicit_tag(0, [&](der::Writer& w) { w.write_boolean(true); });
//   });
//   std::vector<std::uint8_t> bytes = w.take();
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "duplex/util/result.hpp"
#include "duplex/x509/der.hpp"

namespace duplex::x509::der {

class Writer {
 public:
  // One element from its tag and contents, and already-encoded elements as they are.
  void write_element(Tag tag, std::span<const std::uint8_t> contents);
  void write_encoded(std::span<const std::uint8_t> der);

  void write_boolean(bool value, Tag tag = tags::boolean);
  void write_integer(std::int64_t value, Tag tag = tags::integer);
  // A non-negative integer from its big-endian magnitude (leading zeros dropped, a 0x00 added
  // when the top bit is set): serial numbers, RSA moduli.
  void write_unsigned_integer(std::span<const std::uint8_t> magnitude, Tag tag = tags::integer);
  void write_null(Tag tag = tags::null);
  void write_oid(Oid oid, Tag tag = tags::oid);
  // "1.2.840.113549": bad_oid unless at least two arcs, the first 0-2, the second < 40 under 0
  // and 1, every arc a decimal number < 2^64 without leading zeros.
  Result<Unit, DerError> write_oid(std::string_view dotted, Tag tag = tags::oid);
  // `unused_bits` of the last byte are cleared; must be 0 when `bytes` is empty and at most 7.
  Result<Unit, DerError> write_bit_string(std::span<const std::uint8_t> bytes, std::uint8_t unused_bits = 0,
                                          Tag tag = tags::bit_string);
  void write_octet_string(std::span<const std::uint8_t> bytes, Tag tag = tags::octet_string);
  // bad_time for a year the type cannot hold (UTCTime: 1950-2049; GeneralizedTime: 0-9999).
  Result<Unit, DerError> write_utc_time(std::int64_t unix_seconds, Tag tag = tags::utc_time);
  Result<Unit, DerError> write_generalized_time(std::int64_t unix_seconds, Tag tag = tags::generalized_time);
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  Result<Unit, DerError> write_time(std::int64_t unix_seconds);
  // `utf8` in the string type `tag` (UTF8String, PrintableString, IA5String, NumericString,
  // VisibleString, BMPString, UniversalString); bad_string if the text does not fit the type.
  // PrintableString takes X.680's set only (no '*' or '&'); TeletexString is never written.
  Result<Unit, DerError> write_string(Tag tag, std::string_view utf8);

  // Constructed values: begin() writes the identifier and end() the length once the contents
  // are known. Marks nest; each end() closes the innermost open begin().
  std::size_t begin(Tag tag);
  void end(std::size_t mark);

  template <typename Body>
  void constructed(Tag tag, Body&& body) {
    const std::size_t mark = begin(tag);
    body(*this);
    end(mark);
  }
  template <typename Body>
  void sequence(Body&& body) { constructed(tags::sequence, body); }
  // SET (not SET OF: the caller writes elements in DER order, X.690 §11.6).
  template <typename Body>
  void set(Body&& body) { constructed(tags::set, body); }
  // SET OF: the encoded elements sorted as X.690 §11.6 requires (as octet strings, the shorter
  // padded with zeros at the end).
  void write_set_of(std::vector<std::vector<std::uint8_t>> elements, Tag tag = tags::set);
  template <typename Body>
  void explicit_tag(std::uint32_t number, Body&& body) { constructed(context(number, true), body); }

  std::span<const std::uint8_t> bytes() const { return out_; }
  std::vector<std::uint8_t> take() { return std::move(out_); }

 private:
  void write_identifier(Tag tag);

  std::vector<std::uint8_t> out_;
};

// The DER length octets for `length` (X.690 §10.1), for callers that frame by hand.
std::vector<std::uint8_t> encode_length(std::size_t length);
// Contents octets of the OID `dotted`, as write_oid encodes it.
Result<std::vector<std::uint8_t>, DerError> encode_oid(std::string_view dotted);

}  // namespace duplex::x509::der
