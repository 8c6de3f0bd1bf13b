#include "duplex/x509/name_constraints.hpp"

#include <gtest/gtest.h>

#include "duplex/x509/der_writer.hpp"
#include "duplex/x509/oid.hpp"

namespace duplex::x509 {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes name_of(std::initializer_list<std::string> common_names) {
  der::Writer w;
  w.sequence([&](der::Writer& w) {
    for (const auto& cn : common_names)
      w.set([&](der::Writer& w) {
        w.sequence([&](der::Writer& w) {
          w.write_oid(oid::common_name);
          (void)w.write_string(der::tags::utf8_string, cn);
        });
      });
  });
  return w.take();
}

TEST(NameConstraints, DnsSubtreeAddsLabelsOnTheLeft) {
  EXPECT_TRUE(dns_name_within("example.com", "example.com"));
  EXPECT_TRUE(dns_name_within("www.Example.com", "example.COM"));
  EXPECT_FALSE(dns_name_within("badexample.com", "example.com"));
  EXPECT_FALSE(dns_name_within("example.com", "www.example.com"));
  EXPECT_TRUE(dns_name_within("anything.test", ""));
}

TEST(NameConstraints, EmailMailboxHostAndDomain) {
  EXPECT_TRUE(email_within("user@example.com", "user@example.com"));
  EXPECT_FALSE(email_within("User@example.com", "user@example.com"));
  EXPECT_TRUE(email_within("user@EXAMPLE.com", "user@example.com"));
  EXPECT_TRUE(email_within("any@example.com", "example.com"));
  EXPECT_FALSE(email_within("any@mail.example.com", "example.com"));
  EXPECT_TRUE(email_within("any@mail.example.com", ".example.com"));
  EXPECT_FALSE(email_within("any@example.com", ".example.com"));
  EXPECT_TRUE(email_within("*@example.com", "*@example.com"));
  EXPECT_FALSE(email_within("user@example.com", "*@example.com"));
}

TEST(NameConstraints, IpAddressUnderMask) {
  const Bytes net = {10, 1, 0, 0, 255, 255, 0, 0};
  EXPECT_TRUE(ip_within(Bytes{10, 1, 2, 3}, net));
  EXPECT_FALSE(ip_within(Bytes{10, 2, 2, 3}, net));
  EXPECT_FALSE(ip_within(Bytes(16, 0), net));  // IPv6 never inside an IPv4 subtree
}

TEST(NameConstraints, DirectoryNameIsRdnPrefix) {
  EXPECT_TRUE(directory_name_within(name_of({"A", "B"}), name_of({"A"})));
  EXPECT_TRUE(directory_name_within(name_of({"A"}), name_of({"A"})));
  EXPECT_FALSE(directory_name_within(name_of({"B", "A"}), name_of({"A"})));
  EXPECT_FALSE(directory_name_within(name_of({"A"}), name_of({"A", "B"})));
}

TEST(NameConstraints, LeadingPeriodDnsConstraintIsInvalid) {
  const std::string text = ".example.com";
  NameConstraints constraints;
  constraints.permitted = std::vector<GeneralName>{
      {GeneralNameType::dns_name, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}}};
  auto checked = check_constraints_syntax(constraints);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().code, NameConstraintError::invalid_constraint);
}

}  // namespace
}  // namespace duplex::x509
