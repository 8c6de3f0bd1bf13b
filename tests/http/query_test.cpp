#include "duplex/http/query.hpp"

#include <gtest/gtest.h>

namespace duplex::http {
namespace {

TEST(Query, SplitsTheTargetAtTheFirstQuestionMark) {
  EXPECT_EQ(target_path("/chat?room=1?x"), "/chat");
  EXPECT_EQ(target_query("/chat?room=1?x"), "room=1?x");
  EXPECT_EQ(target_path("/chat"), "/chat");
  EXPECT_EQ(target_query("/chat"), "");
}

TEST(Query, FindsTheFirstValueDecoded) {
  const std::string_view query = "token=a%20b%2Bc&room=1&room=2&name=J%C3%BCrgen+M";
  EXPECT_EQ(query_parameter(query, "token"), "a b+c");
  EXPECT_EQ(query_parameter(query, "room"), "1");
  EXPECT_EQ(query_parameter(query, "name"), "J\xc3\xbcrgen M");
  EXPECT_EQ(query_parameter(query, "missing"), std::nullopt);
}

TEST(Query, KeepsBadPercentEscapesAsTheyAre) {
  EXPECT_EQ(query_parameter("a=100%&b=%zz&c=%4", "a"), "100%");
  EXPECT_EQ(query_parameter("a=100%&b=%zz&c=%4", "b"), "%zz");
  EXPECT_EQ(query_parameter("a=100%&b=%zz&c=%4", "c"), "%4");
}

TEST(Query, NamesAreDecodedAndAFlagHasAnEmptyValue) {
  EXPECT_EQ(query_parameter("a%5Bb%5D=1&flag&&=x", "a[b]"), "1");
  EXPECT_EQ(query_parameter("a%5Bb%5D=1&flag&&=x", "flag"), "");
  EXPECT_EQ(query_parameter("a%5Bb%5D=1&flag&&=x", ""), "x");
  EXPECT_EQ(query_parameter("", "a"), std::nullopt);
}

}  // namespace
}  // namespace duplex::http
