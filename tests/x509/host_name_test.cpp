#include "duplex/x509/host_name.hpp"

#include <gtest/gtest.h>

namespace duplex::x509 {
namespace {

TEST(HostName, ValidDnsNamesFollowRfc1123) {
  EXPECT_TRUE(is_valid_dns_name("example.com"));
  EXPECT_TRUE(is_valid_dns_name("a-b.example.com."));
  EXPECT_TRUE(is_valid_dns_name("xn--n3h.com"));
  EXPECT_FALSE(is_valid_dns_name(""));
  EXPECT_FALSE(is_valid_dns_name("foo_bar.example.com"));
  EXPECT_FALSE(is_valid_dns_name("-a.example.com"));
  EXPECT_FALSE(is_valid_dns_name("a..example.com"));
  EXPECT_FALSE(is_valid_dns_name(".example.com"));
  EXPECT_FALSE(is_valid_dns_name(std::string(64, 'a') + ".com"));
  EXPECT_FALSE(is_valid_dns_name("*.example.com"));
}

TEST(HostName, PresentedWildcardIsWholeLeftmostLabelOverTwoLabels) {
  EXPECT_TRUE(is_valid_presented_dns_name("*.example.com"));
  EXPECT_FALSE(is_valid_presented_dns_name("*.com"));
  EXPECT_FALSE(is_valid_presented_dns_name("f*.example.com"));
  EXPECT_FALSE(is_valid_presented_dns_name("www.*.example.com"));
  EXPECT_FALSE(is_valid_presented_dns_name("*"));
}

TEST(HostName, MatchesCaseInsensitively) {
  EXPECT_TRUE(matches_dns_name("Example.COM", "example.com"));
  EXPECT_TRUE(matches_dns_name("example.com.", "example.com"));
  EXPECT_FALSE(matches_dns_name("example.com", "www.example.com"));
}

TEST(HostName, WildcardMatchesExactlyOneLabel) {
  EXPECT_TRUE(matches_dns_name("*.example.com", "www.example.com"));
  EXPECT_FALSE(matches_dns_name("*.example.com", "example.com"));
  EXPECT_FALSE(matches_dns_name("*.example.com", "a.b.example.com"));
  EXPECT_FALSE(matches_dns_name("*.com", "example.com"));
  EXPECT_FALSE(matches_dns_name("xn--*.example.com", "xn--a.example.com"));
}

TEST(HostName, ParsesIpv4Strictly) {
  EXPECT_EQ(parse_ipv4("192.0.2.1"), (std::array<std::uint8_t, 4>{192, 0, 2, 1}));
  EXPECT_FALSE(parse_ipv4("192.0.2"));
  EXPECT_FALSE(parse_ipv4("192.0.2.01"));
  EXPECT_FALSE(parse_ipv4("192.0.2.256"));
  EXPECT_FALSE(parse_ipv4("0xc0.0.2.1"));
  EXPECT_FALSE(parse_ipv4("1.2.3.4.5"));
}

TEST(HostName, ParsesIpv6TextForms) {
  auto loopback = parse_ipv6("::1");
  ASSERT_TRUE(loopback);
  EXPECT_EQ((*loopback)[15], 1);
  auto full = parse_ipv6("2001:db8:0:0:0:0:0:1");
  EXPECT_EQ(full, parse_ipv6("2001:DB8::1"));
  auto mapped = parse_ipv6("::ffff:192.0.2.1");
  ASSERT_TRUE(mapped);
  EXPECT_EQ((*mapped)[12], 192);
  EXPECT_FALSE(parse_ipv6("1::2::3"));
  EXPECT_FALSE(parse_ipv6("1:2:3:4:5:6:7"));
  EXPECT_FALSE(parse_ipv6("12345::"));
}

TEST(HostName, PeerNameIsDnsOrIp) {
  auto dns = parse_peer_name("WWW.Example.com.");
  ASSERT_TRUE(dns);
  EXPECT_EQ(std::get<DnsName>(*dns).name, "www.example.com");
  auto ip = parse_peer_name("2001:db8::1");
  ASSERT_TRUE(ip);
  EXPECT_EQ(std::get<IpAddress>(*ip).bytes.size(), 16u);
  EXPECT_FALSE(parse_peer_name("192.168.1.01"));
  EXPECT_FALSE(parse_peer_name("foo_bar.example.com"));
  EXPECT_FALSE(parse_peer_name("[::1]"));
}

}  // namespace
}  // namespace duplex::x509
