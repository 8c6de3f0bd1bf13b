#include "duplex/ws/frame_header.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace duplex::ws {
namespace {

using Bytes = std::vector<std::uint8_t>;

DecodedFrameHeader decode(const Bytes& bytes) { return decode_frame_header(bytes); }

Bytes encode(const FrameHeader& header) {
  std::array<std::uint8_t, max_frame_header_size> out{};
  const std::size_t size = encode_frame_header(header, out);
  return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(size));
}

// RFC 6455 §5.7: "A single-frame unmasked text message: 0x81 0x05 0x48 0x65 0x6c 0x6c 0x6f".
TEST(FrameHeader, DecodesRfcUnmaskedTextHeader) {
  const auto d = decode({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
  ASSERT_EQ(d.status, FrameHeaderStatus::complete);
  EXPECT_EQ(d.size, 2);
  EXPECT_TRUE(d.header.fin);
  EXPECT_EQ(d.header.opcode, Opcode::text);
  EXPECT_FALSE(d.header.masked);
  EXPECT_EQ(d.header.payload_length, 5u);
}

// RFC 6455 §5.7: "A single-frame masked text message: 0x81 0x85 0x37 0xfa 0x21 0x3d ...".
TEST(FrameHeader, DecodesRfcMaskedTextHeader) {
  const auto d = decode({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  ASSERT_EQ(d.status, FrameHeaderStatus::complete);
  EXPECT_EQ(d.size, 6);
  EXPECT_TRUE(d.header.masked);
  EXPECT_EQ(d.header.masking_key, (MaskingKey{0x37, 0xfa, 0x21, 0x3d}));
  EXPECT_EQ(d.header.payload_length, 5u);
}

// RFC 6455 §5.7: "256 bytes binary message in a single unmasked frame: 0x82 0x7E 0x0100".
TEST(FrameHeader, DecodesAndEncodesRfc256ByteHeader) {
  const Bytes wire = {0x82, 0x7E, 0x01, 0x00};
  const auto d = decode(wire);
  ASSERT_EQ(d.status, FrameHeaderStatus::complete);
  EXPECT_EQ(d.size, 4);
  EXPECT_EQ(d.header.opcode, Opcode::binary);
  EXPECT_EQ(d.header.payload_length, 256u);
  EXPECT_EQ(encode({.opcode = Opcode::binary, .payload_length = 256}), wire);
}

// RFC 6455 §5.7: "64KiB binary message in a single unmasked frame: 0x82 0x7F 0x0000000000010000".
TEST(FrameHeader, DecodesAndEncodesRfc64KiBHeader) {
  const Bytes wire = {0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
  const auto d = decode(wire);
  ASSERT_EQ(d.status, FrameHeaderStatus::complete);
  EXPECT_EQ(d.size, 10);
  EXPECT_EQ(d.header.payload_length, 65536u);
  EXPECT_EQ(encode({.opcode = Opcode::binary, .payload_length = 65536}), wire);
}

TEST(FrameHeader, EncodesTheMinimalLengthForm) {
  EXPECT_EQ(encode({.payload_length = 125}).size(), 2u);
  EXPECT_EQ(encode({.payload_length = 126}).size(), 4u);
  EXPECT_EQ(encode({.payload_length = 65535}).size(), 4u);
  EXPECT_EQ(encode({.payload_length = 65536}).size(), 10u);
  EXPECT_EQ(encode({.masked = true, .payload_length = 0}).size(), 6u);
  EXPECT_EQ(encode({.masked = true, .payload_length = 1ull << 40}).size(), 14u);
}

TEST(FrameHeader, RoundTripsEveryField) {
  for (std::uint64_t length : {0ull, 1ull, 125ull, 126ull, 65535ull, 65536ull, (1ull << 63) - 1}) {
    const FrameHeader in{.fin = false,
                         .rsv1 = true,
                         .rsv2 = false,
                         .rsv3 = true,
                         .opcode = Opcode::pong,
                         .masked = true,
                         .masking_key = {1, 2, 3, 4},
                         .payload_length = length};
    const Bytes wire = encode(in);
    EXPECT_EQ(wire.size(), encoded_frame_header_size(in));
    const auto d = decode(wire);
    ASSERT_EQ(d.status, FrameHeaderStatus::complete);
    EXPECT_EQ(d.size, wire.size());
    EXPECT_EQ(d.header.fin, in.fin);
    EXPECT_EQ(d.header.rsv1, in.rsv1);
    EXPECT_EQ(d.header.rsv2, in.rsv2);
    EXPECT_EQ(d.header.rsv3, in.rsv3);
    EXPECT_EQ(d.header.opcode, in.opcode);
    EXPECT_EQ(d.header.masking_key, in.masking_key);
    EXPECT_EQ(d.header.payload_length, length);
  }
}

TEST(FrameHeader, ReportsHowManyBytesItNeeds) {
  EXPECT_EQ(decode({}).status, FrameHeaderStatus::incomplete);
  EXPECT_EQ(decode({}).size, 2);
  EXPECT_EQ(decode({0x82}).size, 2);
  const auto d = decode({0x82, 0xFF, 0x00});
  EXPECT_EQ(d.status, FrameHeaderStatus::incomplete);
  EXPECT_EQ(d.size, 14);  // 2 + 8 bytes of length + 4 of key
  EXPECT_EQ(decode({0x82, 0xFE, 0x00, 0x10, 1, 2, 3}).size, 8);
}

TEST(FrameHeader, RejectsA64BitLengthWithTheTopBitSetAsSoonAsItsFirstByteArrives) {
  EXPECT_EQ(decode({0x82, 0x7F, 0x80}).status, FrameHeaderStatus::length_too_large);
  EXPECT_EQ(decode({0x82, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}).status,
            FrameHeaderStatus::length_too_large);
  // 2^63 - 1 is the largest length allowed.
  const auto d = decode({0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  ASSERT_EQ(d.status, FrameHeaderStatus::complete);
  EXPECT_EQ(d.header.payload_length, (1ull << 63) - 1);
}

// Our documented choice: non-minimal length encodings are accepted (see frame_header.hpp).
TEST(FrameHeader, AcceptsNonMinimalLengthEncodings) {
  const auto d16 = decode({0x82, 0x7E, 0x00, 0x05});
  ASSERT_EQ(d16.status, FrameHeaderStatus::complete);
  EXPECT_EQ(d16.header.payload_length, 5u);
  const auto d64 = decode({0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0x00, 0x7E});
  ASSERT_EQ(d64.status, FrameHeaderStatus::complete);
  EXPECT_EQ(d64.header.payload_length, 126u);
}

TEST(FrameHeader, KeepsReservedOpcodesAndBitsForTheEngineToJudge) {
  const auto d = decode({0x7B, 0x00});  // RSV1-3 set, opcode 0xB
  ASSERT_EQ(d.status, FrameHeaderStatus::complete);
  EXPECT_FALSE(d.header.fin);
  EXPECT_TRUE(d.header.rsv1 && d.header.rsv2 && d.header.rsv3);
  EXPECT_EQ(static_cast<int>(d.header.opcode), 0xB);
  EXPECT_TRUE(is_reserved(d.header.opcode));
}

TEST(Opcode, NamesKnownAndReservedOpcodes) {
  EXPECT_EQ(to_string(Opcode::ping), "ping");
  EXPECT_EQ(to_string(Opcode::continuation), "continuation");
  EXPECT_EQ(to_string(static_cast<Opcode>(0x3)), "reserved 0x3");
  EXPECT_TRUE(is_control(Opcode::close));
  EXPECT_FALSE(is_control(Opcode::binary));
  for (int v = 0; v < 16; ++v) {
    const bool reserved = (v >= 3 && v <= 7) || v >= 0xB;
    EXPECT_EQ(is_reserved(static_cast<Opcode>(v)), reserved) << v;
  }
}

}  // namespace
}  // namespace duplex::ws
