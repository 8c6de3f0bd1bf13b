#include "duplex/util/base64.hpp"

#include <gtest/gtest.h>

#include "duplex/util/byte_reader.hpp"

namespace duplex {
namespace {

// RFC 4648 §10 test vectors.
TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(as_bytes("")), "");
  EXPECT_EQ(base64_encode(as_bytes("f")), "Zg==");
  EXPECT_EQ(base64_encode(as_bytes("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(as_bytes("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(as_bytes("foob")), "Zm9vYg==");
  EXPECT_EQ(base64_encode(as_bytes("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64_encode(as_bytes("foobar")), "Zm9vYmFy");
}

TEST(Base64, DecodesRfc4648Vectors) {
  for (std::string_view text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    auto decoded = base64_decode(base64_encode(as_bytes(text)));
    ASSERT_TRUE(decoded.has_value()) << text;
    EXPECT_EQ(as_text(*decoded), text);
  }
}

TEST(Base64, RejectsNonCanonicalInput) {
  EXPECT_FALSE(base64_decode("Zg=").has_value());      // length not a multiple of 4
  EXPECT_FALSE(base64_decode("Zh==").has_value());     // padding bits not zero
  EXPECT_FALSE(base64_decode("Zm9=v").has_value());    // bad length
  EXPECT_FALSE(base64_decode("Z=9v").has_value());     // padding in the middle
  EXPECT_FALSE(base64_decode("Zm9v\n").has_value());   // white space
  EXPECT_FALSE(base64_decode("Zm-v").has_value());     // URL alphabet
  EXPECT_FALSE(base64_decode("====").has_value());
}

}  // namespace
}  // namespace duplex
