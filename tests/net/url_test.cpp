#include "duplex/net/url.hpp"

#include <gtest/gtest.h>

namespace duplex::net {
namespace {

TEST(Url, ParsesHostPortAndTarget) {
  auto url = parse_url("ws://example.com:8080/chat?room=1");
  ASSERT_TRUE(url.ok());
  EXPECT_FALSE(url->secure);
  EXPECT_EQ(url->host, "example.com");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/chat?room=1");
  EXPECT_EQ(url->host_field(), "example.com:8080");
}

TEST(Url, DefaultsPortAndPath) {
  auto url = parse_url("WS://example.com");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/");
  EXPECT_EQ(url->host_field(), "example.com");
  auto secure = parse_url("wss://example.com?x");
  ASSERT_TRUE(secure.ok());
  EXPECT_TRUE(secure->secure);
  EXPECT_EQ(secure->port, 443);
  EXPECT_EQ(secure->target, "/?x");
}

TEST(Url, ParsesBracketedIpv6) {
  auto url = parse_url("ws://[::1]:9000/");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->host_field(), "[::1]:9000");
}

TEST(Url, RejectsWhatIsNotAWebSocketUrl) {
  EXPECT_FALSE(parse_url("http://example.com/").ok());
  EXPECT_FALSE(parse_url("ws:///path").ok());
  EXPECT_FALSE(parse_url("ws://host:99999/").ok());
  EXPECT_FALSE(parse_url("ws://host:x/").ok());
  EXPECT_FALSE(parse_url("ws://host:/").ok());
  EXPECT_FALSE(parse_url("ws://host/#frag").ok());
  EXPECT_FALSE(parse_url("ws://user@host/").ok());
  EXPECT_FALSE(parse_url("ws://[::1/").ok());
  EXPECT_EQ(parse_url("ftp://x").error().message, "the URL must start with ws:// or wss://");
}

}  // namespace
}  // namespace duplex::net
