#include "duplex/x509/der_writer.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace duplex::x509::der {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(const Writer& writer) { return Bytes(writer.bytes().begin(), writer.bytes().end()); }

TEST(DerWriter, EncodesOidFromDottedString) {
  // X.690 §8.19.5 example and RFC 8017's rsadsi arc.
  Writer w;
  ASSERT_TRUE(w.write_oid("1.2.840.113549").ok());
  EXPECT_EQ(bytes_of(w), (Bytes{0x06, 0x06, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d}));
  EXPECT_EQ(*encode_oid("2.999.3"), (Bytes{0x88, 0x37, 0x03}));
  EXPECT_EQ(*encode_oid("2.5.29.17"), (Bytes{0x55, 0x1d, 0x11}));
}

TEST(DerWriter, RejectsBadDottedOids) {
  for (const char* bad : {"", "1", "3.1", "1.40", "0.40", "1..2", "1.2.", ".1.2", "1.02", "1.2.a", "1.-2",
                          "1.2.18446744073709551616"}) {
    auto oid = encode_oid(bad);
    ASSERT_FALSE(oid.ok()) << bad;
    EXPECT_EQ(oid.error(), DerError::bad_oid) << bad;
  }
  EXPECT_TRUE(encode_oid("2.40").ok());  // arc2 is unbounded under 2
}

TEST(DerWriter, EncodesMinimalIntegers) {
  const std::pair<std::int64_t, Bytes> cases[] = {
      {0, {0x02, 0x01, 0x00}},         {127, {0x02, 0x01, 0x7f}},         {128, {0x02, 0x02, 0x00, 0x80}},
      {256, {0x02, 0x02, 0x01, 0x00}}, {-128, {0x02, 0x01, 0x80}},        {-129, {0x02, 0x02, 0xff, 0x7f}},
      {-1, {0x02, 0x01, 0xff}},        {INT64_MIN, {0x02, 0x08, 0x80, 0, 0, 0, 0, 0, 0, 0}},
  };
  for (const auto& [value, expected] : cases) {
    Writer w;
    w.write_integer(value);
    EXPECT_EQ(bytes_of(w), expected) << value;
    Reader r(w.bytes());
    EXPECT_EQ(*r.read_int64(), value);
  }
}

TEST(DerWriter, EncodesUnsignedIntegerFromMagnitude) {
  Writer w;
  w.write_unsigned_integer(Bytes{0x00, 0x00, 0x80, 0x01});
  w.write_unsigned_integer(Bytes{0x00, 0x7f});
  w.write_unsigned_integer(Bytes{});
  EXPECT_EQ(bytes_of(w), (Bytes{0x02, 0x03, 0x00, 0x80, 0x01, 0x02, 0x01, 0x7f, 0x02, 0x01, 0x00}));
}

TEST(DerWriter, EncodesLengthsMinimally) {
  EXPECT_EQ(encode_length(0), (Bytes{0x00}));
  EXPECT_EQ(encode_length(127), (Bytes{0x7f}));
  EXPECT_EQ(encode_length(128), (Bytes{0x81, 0x80}));
  EXPECT_EQ(encode_length(255), (Bytes{0x81, 0xff}));
  EXPECT_EQ(encode_length(256), (Bytes{0x82, 0x01, 0x00}));
  EXPECT_EQ(encode_length(65536), (Bytes{0x83, 0x01, 0x00, 0x00}));
}

TEST(DerWriter, NestsSequencesWithLongLengths) {
  const Bytes payload(200, 0x42);
  Writer w;
  w.sequence([&](Writer& w) {
    w.write_boolean(true);
    w.explicit_tag(0, [&](Writer& w) { w.write_octet_string(payload); });
    w.write_null();
  });
  const Bytes out = bytes_of(w);
  // 30 81 d3 | 01 01 ff | a0 81 cb 04 81 c8 ... | 05 00
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 10), (Bytes{0x30, 0x81, 0xd3, 0x01, 0x01, 0xff, 0xa0, 0x81, 0xcb, 0x04}));
  Reader r(out);
  auto sequence = r.read_sequence();
  ASSERT_TRUE(sequence.ok());
  EXPECT_TRUE(*sequence->read_boolean());
  auto inner = sequence->read_explicit(0);
  ASSERT_TRUE(inner.ok());
  EXPECT_EQ(inner->read_octet_string()->size(), 200u);
  EXPECT_TRUE(sequence->read_null().ok());
  EXPECT_TRUE(sequence->finish().ok());
  EXPECT_TRUE(r.finish().ok());
}

TEST(DerWriter, EncodesHighTagNumbers) {
  Writer w;
  w.write_element({TagClass::application, false, 201}, {});
  w.write_element(context(31, false), {});
  EXPECT_EQ(bytes_of(w), (Bytes{0x5f, 0x81, 0x49, 0x00, 0x9f, 0x1f, 0x00}));
  Reader r(w.bytes());
  EXPECT_EQ(r.read_any()->tag.number, 201u);
  EXPECT_EQ(r.read_any()->tag, context(31, false));
}

TEST(DerWriter, BitStrings) {
  Writer w;
  ASSERT_TRUE(w.write_bit_string(Bytes{0xa7}, 5).ok());  // padding bits are cleared
  ASSERT_TRUE(w.write_bit_string(Bytes{}).ok());
  EXPECT_EQ(bytes_of(w), (Bytes{0x03, 0x02, 0x05, 0xa0, 0x03, 0x01, 0x00}));
  EXPECT_EQ(w.write_bit_string(Bytes{}, 1).error(), DerError::bad_bit_string);
  EXPECT_EQ(w.write_bit_string(Bytes{0x00}, 8).error(), DerError::bad_bit_string);
}

TEST(DerWriter, TimesFollowRfc5280) {
  Writer w;
  ASSERT_TRUE(w.write_time(0).ok());                // 1970: UTCTime
  ASSERT_TRUE(w.write_time(2524608000).ok());       // 2050: GeneralizedTime
  ASSERT_TRUE(w.write_time(-631152000).ok());       // 1950: UTCTime
  ASSERT_TRUE(w.write_time(-631152001).ok());       // 1949: GeneralizedTime
  Reader r(w.bytes());
  auto first = r.read_element(tags::utc_time);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(as_text(first->contents), "700101000000Z");
  auto second = r.read_element(tags::generalized_time);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(as_text(second->contents), "20500101000000Z");
  EXPECT_EQ(*r.read_time(), -631152000);
  EXPECT_EQ(*r.read_time(), -631152001);
  EXPECT_EQ(w.write_utc_time(2524608000).error(), DerError::bad_time);
  EXPECT_EQ(w.write_generalized_time(253402300800).error(), DerError::bad_time);  // year 10000
}

TEST(DerWriter, StringsRoundTripAndRefuseWhatTheTypeCannotHold) {
  Writer w;
  ASSERT_TRUE(w.write_string(tags::utf8_string, "caf\xc3\xa9").ok());
  ASSERT_TRUE(w.write_string(tags::printable_string, "Example Co").ok());
  ASSERT_TRUE(w.write_string(tags::ia5_string, "a@b.c").ok());
  ASSERT_TRUE(w.write_string(tags::bmp_string, "A\xe2\x82\xac").ok());
  ASSERT_TRUE(w.write_string(tags::universal_string, "\xf0\x9f\x98\x80").ok());
  Reader r(w.bytes());
  EXPECT_EQ(*r.read_string(), "caf\xc3\xa9");
  EXPECT_EQ(*r.read_string(), "Example Co");
  EXPECT_EQ(*r.read_string(), "a@b.c");
  EXPECT_EQ(*r.read_string(), "A\xe2\x82\xac");
  EXPECT_EQ(*r.read_string(), "\xf0\x9f\x98\x80");
  EXPECT_EQ(w.write_string(tags::printable_string, "*.example.com").error(), DerError::bad_string);
  EXPECT_EQ(w.write_string(tags::ia5_string, "caf\xc3\xa9").error(), DerError::bad_string);
  EXPECT_EQ(w.write_string(tags::utf8_string, "\xff").error(), DerError::bad_string);
  EXPECT_EQ(w.write_string(tags::bmp_string, "\xf0\x9f\x98\x80").error(), DerError::bad_string);
  EXPECT_EQ(w.write_string(tags::octet_string, "x").error(), DerError::unexpected_tag);
}

TEST(DerWriter, SortsSetOfElements) {
  Writer w;
  w.write_set_of({{0x02, 0x01, 0x05}, {0x01, 0x01, 0xff}, {0x02, 0x01, 0x03}});
  EXPECT_EQ(bytes_of(w), (Bytes{0x31, 0x09, 0x01, 0x01, 0xff, 0x02, 0x01, 0x03, 0x02, 0x01, 0x05}));
}

TEST(DerWriter, RoundTripsEveryType) {
  Writer w;
  w.sequence([](Writer& w) {
    w.write_boolean(false);
    w.write_integer(-300);
    w.write_null();
    (void)w.write_oid("1.3.6.1.5.5.7.3.1");
    (void)w.write_bit_string(Bytes{0x80}, 7);
    w.write_octet_string(Bytes{1, 2, 3});
    w.set([](Writer& w) { w.write_integer(1); });
    w.write_integer(9, context(1, false));
  });
  Reader r(w.bytes());
  auto s = r.read_sequence();
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(*s->read_boolean());
  EXPECT_EQ(*s->read_int64(), -300);
  EXPECT_TRUE(s->read_null().ok());
  EXPECT_EQ(s->read_oid()->dotted(), "1.3.6.1.5.5.7.3.1");
  EXPECT_EQ(s->read_bit_string()->bit_count(), 1u);
  EXPECT_EQ(s->read_octet_string()->size(), 3u);
  auto set = s->read_set();
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(*set->read_int64(), 1);
  EXPECT_EQ(*s->read_int64(context(1, false)), 9);
  EXPECT_TRUE(s->finish().ok());
}

}  // namespace
}  // namespace duplex::x509::der
