// Arbitrary bytes through the DER reader, walked as a tree. Nothing may crash or read out of
// bounds, and what the reader accepts the writer must write back byte for byte: one encoding per
// value is the whole point of DER.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "duplex/x509/der.hpp"
#include "duplex/x509/der_writer.hpp"

namespace {

namespace der = duplex::x509::der;

void check(bool condition) {
  if (!condition) std::abort();
}

bool same(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) { return std::ranges::equal(a, b); }

void check_primitive(const der::Element& element) {
  const auto contents = element.contents;
  const der::Tag tag = element.tag;
  if (tag == der::tags::integer) {
    if (auto value = der::decode_int64(contents)) {
      der::Writer w;
      w.write_integer(*value);
      check(same(w.bytes(), element.encoding));
    }
  } else if (tag == der::tags::oid) {
    if (auto oid = der::decode_oid(contents)) {
      auto again = der::encode_oid(oid->dotted());
      check(again.ok() && same(*again, contents));
    }
  } else if (tag == der::tags::boolean) {
    if (auto value = der::decode_boolean(contents)) {
      der::Writer w;
      w.write_boolean(*value);
      check(same(w.bytes(), element.encoding));
    }
  } else if (tag == der::tags::bit_string) {
    if (auto bits = der::decode_bit_string(contents)) {
      der::Writer w;
      check(w.write_bit_string(bits->bytes, bits->unused_bits).ok());
      check(same(w.bytes(), element.encoding));
    }
  } else if (tag == der::tags::utc_time || tag == der::tags::generalized_time) {
    const bool utc = tag == der::tags::utc_time;
    auto seconds = utc ? der::decode_utc_time(contents) : der::decode_generalized_time(contents);
    if (seconds) {
      der::Writer w;
      check((utc ? w.write_utc_time(*seconds) : w.write_generalized_time(*seconds)).ok());
      check(same(w.bytes(), element.encoding));
    }
  } else if (der::is_string_tag(tag)) {
    if (auto text = der::decode_string(tag, contents)) {
      // Every decoded string is UTF-8 the writer accepts as UTF8String.
      der::Writer w;
      check(w.write_string(der::tags::utf8_string, *text).ok());
    }
  }
}

void walk(der::Reader reader) {
  while (!reader.empty()) {
    const auto peeked = reader.peek();
    auto element = reader.read_any();
    if (!element) return;
    check(peeked && *peeked == element->tag);
    // The framing alone must re-encode to the same bytes.
    der::Writer w;
    w.write_element(element->tag, element->contents);
    check(same(w.bytes(), element->encoding));
    if (element->tag.constructed) {
      der::Reader copy(element->encoding);
      auto inner = copy.read_constructed(element->tag);
      if (!inner) {
        check(inner.error() == der::DerError::too_deep);
        return;
      }
      check(same(inner->rest(), element->contents));
      walk(*inner);
    } else {
      check_primitive(*element);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  walk(der::Reader(std::span<const std::uint8_t>(data, size)));
  return 0;
}
