// RFC 8446 §4/§5.1 handshake framing and reassembly.
#include "duplex/tls/handshake.hpp"

#include <gtest/gtest.h>

#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;

TEST(Handshake, EncodesTheHeader) {
  const auto body = hex("0102");
  EXPECT_EQ(encode_handshake(HandshakeType::key_update, body), hex("18 000002 0102"));
}

TEST(HandshakeReassembler, JoinsAMessageSplitAcrossRecords) {
  HandshakeReassembler reassembler;
  const auto message = encode_handshake(HandshakeType::finished, std::vector<std::uint8_t>(32, 7));
  for (std::size_t i = 0; i < message.size(); ++i) {
    EXPECT_FALSE(reassembler.next());
    ASSERT_TRUE(reassembler.receive(std::span(message).subspan(i, 1)));
    EXPECT_EQ(reassembler.has_partial_message(), i + 1 < message.size());
  }
  auto out = reassembler.next();
  ASSERT_TRUE(out);
  EXPECT_EQ(out->msg_type, HandshakeType::finished);
  EXPECT_EQ(out->encoded, message);
  EXPECT_EQ(out->body().size(), 32u);
  EXPECT_FALSE(reassembler.has_partial_message());
  EXPECT_FALSE(reassembler.next());
}

TEST(HandshakeReassembler, SplitsSeveralMessagesInOneRecord) {
  HandshakeReassembler reassembler;
  auto record = encode_handshake(HandshakeType::encrypted_extensions, hex("0000"));
  const auto second = encode_handshake(HandshakeType::finished, hex("aabb"));
  record.insert(record.end(), second.begin(), second.end());
  record.push_back(0x14);  // the start of a third
  ASSERT_TRUE(reassembler.receive(record));
  auto first = reassembler.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->msg_type, HandshakeType::encrypted_extensions);
  EXPECT_EQ(first->body().size(), 2u);
  auto next = reassembler.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->encoded, second);
  EXPECT_FALSE(reassembler.next());
  EXPECT_TRUE(reassembler.has_partial_message());
}

TEST(HandshakeReassembler, AcceptsAnEmptyBody) {
  HandshakeReassembler reassembler;
  ASSERT_TRUE(reassembler.receive(hex("05 000000")));  // end_of_early_data
  auto out = reassembler.next();
  ASSERT_TRUE(out);
  EXPECT_EQ(out->msg_type, HandshakeType::end_of_early_data);
  EXPECT_TRUE(out->body().empty());
}

TEST(HandshakeReassembler, RejectsAnEmptyFragmentWithUnexpectedMessage) {
  HandshakeReassembler reassembler;
  auto status = reassembler.receive({});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().alert, AlertDescription::unexpected_message);
}

TEST(HandshakeReassembler, RejectsAMessageOverTheLimitBeforeItsBodyArrives) {
  HandshakeReassembler reassembler(1024);
  ASSERT_TRUE(reassembler.receive(hex("0b 0004")));
  auto status = reassembler.receive(hex("01"));  // length 1025
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().alert, AlertDescription::decode_error);
  EXPECT_NE(status.error().message.find("1025"), std::string::npos);
  EXPECT_FALSE(reassembler.next());
}

TEST(HandshakeReassembler, AcceptsAMessageAtTheLimit) {
  HandshakeReassembler reassembler(1024);
  ASSERT_TRUE(reassembler.receive(encode_handshake(HandshakeType::certificate,
                                                   std::vector<std::uint8_t>(1024, 1))));
  EXPECT_TRUE(reassembler.next());
}

TEST(HandshakeReassembler, DefaultLimitIs64KiB) {
  HandshakeReassembler reassembler;
  auto status = reassembler.receive(hex("0b 010001"));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().alert, AlertDescription::decode_error);
  HandshakeReassembler fits;
  EXPECT_TRUE(fits.receive(hex("0b 010000")));
}

}  // namespace
}  // namespace duplex::tls
