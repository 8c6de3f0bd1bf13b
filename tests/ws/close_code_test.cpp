#include "duplex/ws/close_code.hpp"

#include <gtest/gtest.h>

namespace duplex::ws {
namespace {

// RFC 6455 §7.4.1-§7.4.2 and the IANA registry.
TEST(CloseCode, KnowsWhichCodesMayAppearOnTheWire) {
  for (int code = 0; code <= 65535; ++code) {
    const bool expected = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
                          (code >= 3000 && code <= 4999);
    ASSERT_EQ(is_valid_on_wire(static_cast<std::uint16_t>(code)), expected) << code;
  }
}

TEST(CloseCode, NeverOnTheWireCodesAreRefused) {
  EXPECT_FALSE(is_valid_on_wire(1004));  // reserved
  EXPECT_FALSE(is_valid_on_wire(1005));  // no status received
  EXPECT_FALSE(is_valid_on_wire(1006));  // abnormal closure
  EXPECT_FALSE(is_valid_on_wire(1015));  // TLS handshake
  EXPECT_FALSE(is_valid_on_wire(2999));
  EXPECT_FALSE(is_valid_on_wire(5000));
}

TEST(CloseCode, PrintsTheNameOrTheRange) {
  EXPECT_EQ(to_string(CloseCode::normal), "1000 (normal)");
  EXPECT_EQ(to_string(CloseCode::protocol_error), "1002 (protocol error)");
  EXPECT_EQ(to_string(CloseCode::message_too_big), "1009 (message too big)");
  EXPECT_EQ(to_string(CloseCode{3001}), "3001 (registered)");
  EXPECT_EQ(to_string(CloseCode{4321}), "4321 (application)");
  EXPECT_EQ(to_string(CloseCode{1099}), "1099 (unassigned)");
}

}  // namespace
}  // namespace duplex::ws
