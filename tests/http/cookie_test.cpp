#include "duplex/http/cookie.hpp"

#include <gtest/gtest.h>

namespace duplex::http {
namespace {

Fields cookies(std::initializer_list<std::string> values) {
  Fields fields;
  fields.add("Host", "example.com");
  for (const std::string& value : values) fields.add("cookie", value);
  return fields;
}

TEST(Cookie, FindsANameAmongPairs) {
  const Fields fields = cookies({"theme=dark; session=abc123; lang=en"});
  EXPECT_EQ(find_cookie(fields, "session"), "abc123");
  EXPECT_EQ(find_cookie(fields, "theme"), "dark");
  EXPECT_EQ(find_cookie(fields, "lang"), "en");
  EXPECT_EQ(find_cookie(fields, "Session"), std::nullopt);  // names compare exactly
}

TEST(Cookie, SearchesEveryCookieFieldAndTakesTheFirst) {
  const Fields fields = cookies({"a=1", "session=first", "session=second"});
  EXPECT_EQ(find_cookie(fields, "session"), "first");
}

TEST(Cookie, ToleratesOddSpacingQuotesAndPairsWithoutValues) {
  const Fields fields = cookies({"  flag ;broken; quoted=\"v a l\";empty=;eq=a=b ;  spaced  =  x  "});
  EXPECT_EQ(find_cookie(fields, "quoted"), "v a l");
  EXPECT_EQ(find_cookie(fields, "empty"), "");
  EXPECT_EQ(find_cookie(fields, "eq"), "a=b");
  EXPECT_EQ(find_cookie(fields, "spaced"), "x");
  EXPECT_EQ(find_cookie(fields, "flag"), std::nullopt);
  EXPECT_EQ(find_cookie(fields, "broken"), std::nullopt);
}

TEST(Cookie, NoCookieFieldFindsNothing) { EXPECT_EQ(find_cookie(cookies({}), "session"), std::nullopt); }

}  // namespace
}  // namespace duplex::http
