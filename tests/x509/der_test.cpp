#include "duplex/x509/der.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

namespace duplex::x509::der {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Expects `error` from `read` on a fresh reader over `bytes`.
template <typename Read>
void expect_error(const Bytes& bytes, DerError error, Read read) {
  Reader reader(bytes);
  auto result = read(reader);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), error) << describe(result.error());
}

TEST(DerReader, ReadsLowTagNumberElement) {
  const Bytes bytes{0x04, 0x02, 0xaa, 0xbb};
  Reader reader(bytes);
  auto element = reader.read_any();
  ASSERT_TRUE(element.ok());
  EXPECT_EQ(element->tag, tags::octet_string);
  EXPECT_EQ(Bytes(element->contents.begin(), element->contents.end()), (Bytes{0xaa, 0xbb}));
  EXPECT_EQ(element->encoding.size(), 4u);
  EXPECT_TRUE(reader.empty());
}

TEST(DerReader, ReadsHighTagNumber) {
  // [APPLICATION 201] primitive: 0x5f 0x81 0x49 (X.690 §8.1.2.4).
  const Bytes bytes{0x5f, 0x81, 0x49, 0x00};
  Reader reader(bytes);
  auto element = reader.read_any();
  ASSERT_TRUE(element.ok());
  EXPECT_EQ(element->tag, (Tag{TagClass::application, false, 201}));
}

TEST(DerReader, RejectsNonMinimalHighTagNumber) {
  auto any = [](Reader& r) { return r.read_any(); };
  expect_error({0x9f, 0x1e, 0x00}, DerError::non_minimal_tag, any);        // 30 fits the low form
  expect_error({0x9f, 0x80, 0x21, 0x00}, DerError::non_minimal_tag, any);  // leading 0x80
  expect_error({0x9f, 0x81}, DerError::truncated, any);                    // unterminated
  expect_error({0x9f, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00}, DerError::tag_number_too_large, any);
  expect_error({0x00, 0x00}, DerError::bad_tag, any);  // end-of-contents
}

TEST(DerReader, RejectsBadLengths) {
  auto any = [](Reader& r) { return r.read_any(); };
  expect_error({0x30, 0x80, 0x00, 0x00}, DerError::indefinite_length, any);
  expect_error({0x04, 0x81, 0x05, 1, 2, 3, 4, 5}, DerError::non_minimal_length, any);
  expect_error({0x04, 0x82, 0x00, 0x80}, DerError::non_minimal_length, any);
  expect_error({0x04, 0xff}, DerError::bad_length, any);
  expect_error({0x04, 0x85, 1, 0, 0, 0, 0}, DerError::bad_length, any);
  expect_error({0x04, 0x03, 0x01}, DerError::truncated, any);
  expect_error({0x04, 0x82, 0x01}, DerError::truncated, any);
  expect_error({}, DerError::truncated, any);
}

TEST(DerReader, AcceptsLongFormLength) {
  Bytes bytes{0x04, 0x81, 0x80};
  bytes.resize(3 + 128, 0x55);
  Reader reader(bytes);
  auto value = reader.read_octet_string();
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->size(), 128u);
}

TEST(DerReader, ParseSingleRejectsTrailingBytes) {
  auto single = parse_single(Bytes{0x05, 0x00, 0x00});
  ASSERT_FALSE(single.ok());
  EXPECT_EQ(single.error(), DerError::trailing_data);
  EXPECT_TRUE(parse_single(Bytes{0x05, 0x00}).ok());
}

TEST(DerReader, SequenceGivesNestedReaderAndFinishChecksTrailingData) {
  const Bytes bytes{0x30, 0x06, 0x02, 0x01, 0x05, 0x01, 0x01, 0xff};
  Reader reader(bytes);
  auto sequence = reader.read_sequence();
  ASSERT_TRUE(sequence.ok());
  EXPECT_EQ(sequence->depth(), 1u);
  EXPECT_EQ(*sequence->read_int64(), 5);
  auto early = sequence->finish();
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error(), DerError::trailing_data);
  EXPECT_EQ(*sequence->read_boolean(), true);
  EXPECT_TRUE(sequence->finish().ok());
}

TEST(DerReader, WrongTagIsUnexpectedAndDoesNotConsume) {
  const Bytes bytes{0x02, 0x01, 0x05};
  Reader reader(bytes);
  auto wrong = reader.read_boolean();
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error(), DerError::unexpected_tag);
  EXPECT_EQ(*reader.read_int64(), 5);
}

TEST(DerReader, BadContentsDoNotConsume) {
  const Bytes bytes{0x01, 0x01, 0x01};
  Reader reader(bytes);
  ASSERT_FALSE(reader.read_boolean().ok());
  EXPECT_EQ(reader.remaining(), 3u);
}

TEST(DerReader, BoundsNestingDepth) {
  Bytes bytes;
  for (unsigned i = 0; i <= kMaxDepth; ++i) {
    bytes.insert(bytes.begin(), {0x30, static_cast<std::uint8_t>(bytes.size())});
  }
  Reader reader(bytes);
  DerError error{};
  for (unsigned i = 0; i <= kMaxDepth; ++i) {
    auto inner = reader.read_sequence();
    if (!inner) {
      error = inner.error();
      EXPECT_EQ(i, kMaxDepth);
      break;
    }
    reader = *inner;
  }
  EXPECT_EQ(error, DerError::too_deep);
}

TEST(DerReader, OptionalAndExplicitFields) {
  // [0] EXPLICIT INTEGER 2, then INTEGER 7.
  const Bytes bytes{0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x07};
  Reader reader(bytes);
  auto absent = reader.read_optional_explicit(3);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  auto version = reader.read_optional_explicit(0);
  ASSERT_TRUE(version.ok() && version->has_value());
  EXPECT_EQ(*(*version)->read_int64(), 2);
  EXPECT_TRUE((*version)->finish().ok());
  auto missing = reader.read_optional(context(1, false));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_EQ(*reader.peek(), tags::integer);
  EXPECT_EQ(*reader.read_int64(), 7);
  EXPECT_FALSE(reader.peek().has_value());
  auto at_end = reader.read_optional(tags::integer);
  ASSERT_TRUE(at_end.ok());
  EXPECT_FALSE(at_end->has_value());
}

TEST(DerReader, OptionalWithMalformedIdentifierIsAnError) {
  const Bytes bytes{0x9f, 0x80};
  Reader reader(bytes);
  auto optional = reader.read_optional(tags::integer);
  ASSERT_FALSE(optional.ok());
  EXPECT_EQ(optional.error(), DerError::non_minimal_tag);
}

TEST(DerReader, ImplicitTagReadsTypedValue) {
  // [2] IMPLICIT IA5String "a.b", as a dNSName in a GeneralName.
  const Bytes bytes{0x82, 0x03, 'a', '.', 'b'};
  Reader reader(bytes);
  auto name = reader.read_element(context(2, false));
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*decode_string(tags::ia5_string, name->contents), "a.b");
}

TEST(DerValues, Boolean) {
  EXPECT_EQ(*decode_boolean(Bytes{0xff}), true);
  EXPECT_EQ(*decode_boolean(Bytes{0x00}), false);
  EXPECT_EQ(decode_boolean(Bytes{0x01}).error(), DerError::bad_boolean);
  EXPECT_EQ(decode_boolean(Bytes{}).error(), DerError::bad_boolean);
  EXPECT_EQ(decode_boolean(Bytes{0xff, 0xff}).error(), DerError::bad_boolean);
}

TEST(DerValues, IntegerMinimalTwosComplement) {
  EXPECT_EQ(*decode_int64(Bytes{0x00}), 0);
  EXPECT_EQ(*decode_int64(Bytes{0x7f}), 127);
  EXPECT_EQ(*decode_int64(Bytes{0x00, 0x80}), 128);
  EXPECT_EQ(*decode_int64(Bytes{0x80}), -128);
  EXPECT_EQ(*decode_int64(Bytes{0xff, 0x7f}), -129);
  EXPECT_EQ(*decode_int64(Bytes{0xff}), -1);
  EXPECT_EQ(*decode_int64(Bytes{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), INT64_MAX);
  EXPECT_EQ(*decode_int64(Bytes{0x80, 0, 0, 0, 0, 0, 0, 0}), INT64_MIN);
  EXPECT_EQ(decode_int64(Bytes{0x00, 0x80, 0, 0, 0, 0, 0, 0, 0}).error(), DerError::integer_too_large);
  EXPECT_EQ(decode_integer(Bytes{}).error(), DerError::bad_integer);
  EXPECT_EQ(decode_integer(Bytes{0x00, 0x7f}).error(), DerError::non_minimal_integer);
  EXPECT_EQ(decode_integer(Bytes{0xff, 0x80}).error(), DerError::non_minimal_integer);
  EXPECT_EQ(decode_integer(Bytes{0x00, 0x00}).error(), DerError::non_minimal_integer);
  const Bytes big(21, 0x11);
  EXPECT_EQ(decode_integer(big)->size(), 21u);  // any size as bytes
}

TEST(DerValues, OidToDottedString) {
  const Bytes rsa{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d};
  EXPECT_EQ(decode_oid(rsa)->dotted(), "1.2.840.113549");
  EXPECT_EQ(decode_oid(Bytes{0x55, 0x1d, 0x11})->dotted(), "2.5.29.17");
  EXPECT_EQ(decode_oid(Bytes{0x00})->dotted(), "0.0");
  EXPECT_EQ(decode_oid(Bytes{0x88, 0x37, 0x03})->dotted(), "2.999.3");
  const Bytes max{0x01, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  EXPECT_EQ(decode_oid(max)->dotted(), "0.1.18446744073709551615");
}

TEST(DerValues, OidComparesByContents) {
  const Bytes a{0x55, 0x1d, 0x11}, b{0x55, 0x1d, 0x11}, c{0x55, 0x1d, 0x13};
  EXPECT_EQ(*decode_oid(a), *decode_oid(b));
  EXPECT_FALSE(*decode_oid(a) == *decode_oid(c));
}

TEST(DerValues, RejectsBadOids) {
  EXPECT_EQ(decode_oid(Bytes{}).error(), DerError::bad_oid);
  EXPECT_EQ(decode_oid(Bytes{0x2a, 0x86}).error(), DerError::bad_oid);          // unterminated
  EXPECT_EQ(decode_oid(Bytes{0x2a, 0x80, 0x01}).error(), DerError::non_minimal_oid);
  EXPECT_EQ(decode_oid(Bytes{0x80, 0x01}).error(), DerError::non_minimal_oid);
  const Bytes too_big{0x01, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  EXPECT_EQ(decode_oid(too_big).error(), DerError::bad_oid);
}

TEST(DerValues, BitString) {
  const Bytes contents{0x05, 0xa0};  // the result points into its input
  auto bits = decode_bit_string(contents);
  ASSERT_TRUE(bits.ok());
  EXPECT_EQ(bits->bit_count(), 3u);
  EXPECT_TRUE(bits->bit(0));
  EXPECT_FALSE(bits->bit(1));
  EXPECT_TRUE(bits->bit(2));
  EXPECT_FALSE(bits->bit(3));
  EXPECT_EQ(decode_bit_string(Bytes{0x00})->bit_count(), 0u);
  EXPECT_EQ(decode_bit_string(Bytes{}).error(), DerError::bad_bit_string);
  EXPECT_EQ(decode_bit_string(Bytes{0x08, 0x00}).error(), DerError::bad_bit_string);
  EXPECT_EQ(decode_bit_string(Bytes{0x01}).error(), DerError::bad_bit_string);
  EXPECT_EQ(decode_bit_string(Bytes{0x05, 0xa8}).error(), DerError::nonzero_padding_bits);
}

TEST(DerValues, UtcTime) {
  EXPECT_EQ(*decode_utc_time(as_bytes("700101000000Z")), 0);
  EXPECT_EQ(*decode_utc_time(as_bytes("491231235959Z")), 2524607999);   // 2049
  EXPECT_EQ(*decode_utc_time(as_bytes("500101000000Z")), -631152000);   // 1950
  EXPECT_EQ(*decode_utc_time(as_bytes("000229120000Z")), 951825600);    // 2000 is a leap year
  for (const char* bad : {"7001010000Z", "700101000000", "700101000000+0000", "7001010000000Z", "701301000000Z",
                          "700100000000Z", "700132000000Z", "010229000000Z", "700101240000Z", "700101006000Z",
                          "700101000060Z", "70010100000aZ", "700101000000z", " 00101000000Z"}) {
    auto time = decode_utc_time(as_bytes(bad));
    ASSERT_FALSE(time.ok()) << bad;
    EXPECT_EQ(time.error(), DerError::bad_time) << bad;
  }
}

TEST(DerValues, GeneralizedTime) {
  EXPECT_EQ(*decode_generalized_time(as_bytes("19700101000000Z")), 0);
  EXPECT_EQ(*decode_generalized_time(as_bytes("20500101000000Z")), 2524608000);
  EXPECT_EQ(*decode_generalized_time(as_bytes("99991231235959Z")), 253402300799);
  EXPECT_EQ(*decode_generalized_time(as_bytes("19000101000000Z")), -2208988800);
  for (const char* bad : {"19700101000000.5Z", "197001010000Z", "19700101000000", "19000229000000Z",
                          "21000229000000Z", "20230431000000Z"}) {
    auto time = decode_generalized_time(as_bytes(bad));
    ASSERT_FALSE(time.ok()) << bad;
    EXPECT_EQ(time.error(), DerError::bad_time) << bad;
  }
  EXPECT_TRUE(decode_generalized_time(as_bytes("20000229000000Z")).ok());
}

TEST(DerReader, TimeChoice) {
  Bytes bytes{0x17, 13};
  for (char c : std::string_view("700101000001Z")) bytes.push_back(static_cast<std::uint8_t>(c));
  bytes.push_back(0x18);
  bytes.push_back(15);
  for (char c : std::string_view("20500101000000Z")) bytes.push_back(static_cast<std::uint8_t>(c));
  Reader reader(bytes);
  EXPECT_EQ(*reader.read_time(), 1);
  EXPECT_EQ(*reader.read_time(), 2524608000);
  expect_error({0x04, 0x00}, DerError::unexpected_tag, [](Reader& r) { return r.read_time(); });
}

TEST(DerValues, CivilTimeRoundTrips) {
  for (std::int64_t seconds : {std::int64_t{0}, std::int64_t{951825600}, std::int64_t{-2208988800},
                               std::int64_t{253402300799}, std::int64_t{-1}, std::int64_t{1700000000}}) {
    EXPECT_EQ(to_unix_seconds(to_civil_time(seconds)), seconds);
  }
}

TEST(DerValues, Strings) {
  EXPECT_EQ(*decode_string(tags::utf8_string, as_bytes("caf\xc3\xa9")), "caf\xc3\xa9");
  EXPECT_EQ(decode_string(tags::utf8_string, Bytes{0xc0, 0xaf}).error(), DerError::bad_string);      // overlong
  EXPECT_EQ(decode_string(tags::utf8_string, Bytes{0xed, 0xa0, 0x80}).error(), DerError::bad_string);  // surrogate
  EXPECT_EQ(decode_string(tags::utf8_string, Bytes{0xf4, 0x90, 0x80, 0x80}).error(), DerError::bad_string);
  EXPECT_EQ(decode_string(tags::utf8_string, Bytes{0xe2, 0x82}).error(), DerError::bad_string);
  EXPECT_EQ(*decode_string(tags::printable_string, as_bytes("Example Co. (1)")), "Example Co. (1)");
  EXPECT_EQ(*decode_string(tags::printable_string, as_bytes("*.example.com")), "*.example.com");
  EXPECT_EQ(decode_string(tags::printable_string, as_bytes("a@b")).error(), DerError::bad_string);
  EXPECT_EQ(decode_string(tags::printable_string, as_bytes("a_b")).error(), DerError::bad_string);
  EXPECT_EQ(*decode_string(tags::ia5_string, as_bytes("a@b.c")), "a@b.c");
  EXPECT_EQ(decode_string(tags::ia5_string, Bytes{0x80}).error(), DerError::bad_string);
  EXPECT_EQ(decode_string(tags::numeric_string, as_bytes("12a")).error(), DerError::bad_string);
  EXPECT_EQ(decode_string(tags::visible_string, Bytes{0x7f}).error(), DerError::bad_string);
  EXPECT_EQ(*decode_string(tags::teletex_string, Bytes{0x41, 0xe9}), "A\xc3\xa9");
  EXPECT_EQ(*decode_string(tags::bmp_string, Bytes{0x00, 0x41, 0x20, 0xac}), "A\xe2\x82\xac");
  EXPECT_EQ(decode_string(tags::bmp_string, Bytes{0x00}).error(), DerError::bad_string);
  EXPECT_EQ(decode_string(tags::bmp_string, Bytes{0xd8, 0x00}).error(), DerError::bad_string);
  EXPECT_EQ(*decode_string(tags::universal_string, Bytes{0x00, 0x01, 0xf6, 0x00}), "\xf0\x9f\x98\x80");
  EXPECT_EQ(decode_string(tags::universal_string, Bytes{0x00, 0x11, 0x00, 0x00}).error(), DerError::bad_string);
  EXPECT_EQ(decode_string(tags::octet_string, Bytes{}).error(), DerError::unexpected_tag);
}

TEST(DerReader, ReadStringAcceptsOnlyStringTypes) {
  const Bytes bytes{0x0c, 0x01, 'x', 0x04, 0x01, 'y'};
  Reader reader(bytes);
  EXPECT_EQ(*reader.read_string(), "x");
  auto octets = reader.read_string();
  ASSERT_FALSE(octets.ok());
  EXPECT_EQ(octets.error(), DerError::unexpected_tag);
}

TEST(DerReader, NullAndOctetString) {
  expect_error({0x05, 0x01, 0x00}, DerError::bad_null, [](Reader& r) { return r.read_null(); });
  const Bytes bytes{0x05, 0x00, 0x04, 0x00};
  Reader reader(bytes);
  EXPECT_TRUE(reader.read_null().ok());
  EXPECT_TRUE(reader.read_octet_string()->empty());
  // A constructed OCTET STRING (BER only) is not the primitive tag DER requires.
  expect_error({0x24, 0x00}, DerError::unexpected_tag, [](Reader& r) { return r.read_octet_string(); });
}

}  // namespace
}  // namespace duplex::x509::der
