#include "duplex/x509/oid.hpp"

#include <gtest/gtest.h>

#include "duplex/x509/der_writer.hpp"

namespace duplex::x509 {
namespace {

TEST(Oid, EveryConstantMatchesItsDottedForm) {
  for (const auto& named : oid::kAll) {
    auto decoded = der::decode_oid(named.oid.contents);
    ASSERT_TRUE(decoded.ok()) << named.dotted;
    EXPECT_EQ(decoded->dotted(), named.dotted);
    auto encoded = der::encode_oid(named.dotted);
    ASSERT_TRUE(encoded.ok()) << named.dotted;
    EXPECT_TRUE(std::ranges::equal(*encoded, named.oid.contents)) << named.dotted;
  }
}

TEST(Oid, ConstantsAreDistinct) {
  for (const auto& a : oid::kAll)
    for (const auto& b : oid::kAll)
      if (&a != &b) {
        EXPECT_FALSE(a.oid == b.oid) << a.dotted << " " << b.dotted;
      }
}

}  // namespace
}  // namespace duplex::x509
