#include "duplex/ws/extension.hpp"

#include <gtest/gtest.h>

namespace duplex::ws {
namespace {

std::vector<Extension> parsed(std::string_view value) {
  auto result = parse_extensions(value);
  EXPECT_TRUE(result.ok()) << value << ": " << (result.ok() ? "" : result.error().message);
  return result.ok() ? result.value() : std::vector<Extension>{};
}

std::string error_of(std::string_view value) {
  auto result = parse_extensions(value);
  EXPECT_FALSE(result.ok()) << value;
  return result.ok() ? "" : result.error().message;
}

TEST(ParseExtensions, ReadsWhatBrowsersOffer) {
  EXPECT_EQ(parsed("permessage-deflate; client_max_window_bits"),
            (std::vector<Extension>{{"permessage-deflate", {{"client_max_window_bits", std::nullopt}}}}));
}

// RFC 6455 §9.1's examples: "Sec-WebSocket-Extensions: foo" and "bar; baz=2", one line or two.
TEST(ParseExtensions, ReadsTheRfcExampleAsOneListInOrder) {
  const std::vector<Extension> expected{{"foo", {}}, {"bar", {{"baz", "2"}}}};
  EXPECT_EQ(parsed("foo, bar; baz=2"), expected);
  EXPECT_EQ(parsed("foo,bar;baz=2"), expected);
}

TEST(ParseExtensions, UnquotesAQuotedTokenValue) {
  EXPECT_EQ(parsed(R"(permessage-deflate; server_max_window_bits="10"; x="a\bc")"),
            (std::vector<Extension>{{"permessage-deflate", {{"server_max_window_bits", "10"}, {"x", "abc"}}}}));
}

// RFC 9110 §5.6.1: a recipient ignores empty list elements.
TEST(ParseExtensions, SkipsEmptyElementsAndReadsAnEmptyValueAsNone) {
  EXPECT_EQ(parsed(" , foo ,, "), (std::vector<Extension>{{"foo", {}}}));
  EXPECT_TRUE(parsed("").empty());
}

TEST(ParseExtensions, RefusesWhatIsOutsideTheGrammar) {
  EXPECT_EQ(error_of("; foo"), "the Sec-WebSocket-Extensions field has no extension name (a token) at byte 0 (RFC 6455 §9.1)");
  EXPECT_NE(error_of("foo;"), "");
  EXPECT_NE(error_of("foo; =1"), "");
  EXPECT_NE(error_of("foo bar"), "");
  EXPECT_NE(error_of("foo; a=\"unterminated"), "");
  EXPECT_NE(error_of("foo; a=\"two words\""), "");  // §9.1: the unquoted value must be a token
  EXPECT_NE(error_of("foo; a="), "");
  EXPECT_NE(error_of("f\xc3\xa9"), "");
}

}  // namespace
}  // namespace duplex::ws
