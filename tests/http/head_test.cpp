#include "duplex/http/head.hpp"

#include <gtest/gtest.h>

#include <string>

#include "duplex/util/byte_reader.hpp"

namespace duplex::http {
namespace {

using namespace std::literals;

Result<RequestHead, HeadError> request(std::string_view text) { return parse_request_head(as_bytes(text)); }
Result<ResponseHead, HeadError> response(std::string_view text) { return parse_response_head(as_bytes(text)); }

// The status a request head is refused with, or 0 when it parses.
int request_status(std::string_view text) {
  auto head = request(text);
  return head ? 0 : head.error().status;
}
int response_status(std::string_view text) {
  auto head = response(text);
  return head ? 0 : head.error().status;
}

constexpr std::string_view kUpgrade =
    "GET /chat HTTP/1.1\r\n"
    "Host: server.example.com\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Origin: http://example.com\r\n"
    "Sec-WebSocket-Protocol: chat, superchat\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n";

// --- find_head_end / scan_head ---

TEST(FindHeadEnd, FindsTheBlankLine) {
  const std::string bytes = std::string(kUpgrade) + "trailing frame bytes";
  auto end = find_head_end(as_bytes(bytes));
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(*end, kUpgrade.size());
}

TEST(FindHeadEnd, NeedsMoreWithoutTheBlankLine) {
  EXPECT_FALSE(find_head_end(as_bytes("GET / HTTP/1.1\r\nHost: a\r\n")).has_value());
  EXPECT_FALSE(find_head_end(as_bytes("GET / HTTP/1.1\r\nHost: a\r\n\r")).has_value());
  EXPECT_FALSE(find_head_end(as_bytes("")).has_value());
}

TEST(FindHeadEnd, IgnoresBareLineFeeds) {
  EXPECT_FALSE(find_head_end(as_bytes("GET / HTTP/1.1\nHost: a\n\n")).has_value());
}

TEST(ScanHead, CompleteWithinTheLimit) {
  auto scan = scan_head(as_bytes(kUpgrade));
  EXPECT_EQ(scan.state, HeadScan::State::complete);
  EXPECT_EQ(scan.length, kUpgrade.size());
}

TEST(ScanHead, NeedsMoreBelowTheLimit) {
  EXPECT_EQ(scan_head(as_bytes("GET / HTTP/1.1\r\n")).state, HeadScan::State::need_more);
}

TEST(ScanHead, TooLargeWhenNoEndWithinTheLimit) {
  std::string big = "GET / HTTP/1.1\r\nX: " + std::string(kDefaultMaxHeadBytes, 'a');
  EXPECT_EQ(scan_head(as_bytes(big)).state, HeadScan::State::too_large);
  // The end exists but lies past the limit: still too large.
  big += "\r\n\r\n";
  EXPECT_EQ(scan_head(as_bytes(big)).state, HeadScan::State::too_large);
}

TEST(ScanHead, HeadOfExactlyTheLimitIsComplete) {
  std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
  head += std::string(100 - head.size() - 4, 'a') + "\r\n\r\n";
  ASSERT_EQ(head.size(), 100u);
  EXPECT_EQ(scan_head(as_bytes(head), 100).state, HeadScan::State::complete);
  EXPECT_EQ(scan_head(as_bytes(head), 99).state, HeadScan::State::too_large);
}

// --- requests ---

TEST(ParseRequestHead, ParsesTheRfc6455Example) {
  auto head = request(kUpgrade);
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->method, "GET");
  EXPECT_EQ(head->target, "/chat");
  EXPECT_EQ(head->version_minor, 1);
  EXPECT_EQ(head->fields.list().size(), 7u);
  EXPECT_EQ(head->fields.get("host"), "server.example.com");
  EXPECT_EQ(head->fields.get("SEC-WEBSOCKET-KEY"), "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(head->fields.list()[0].name, "Host");  // names kept as received
}

TEST(ParseRequestHead, AcceptsHttp10WithoutHost) {
  auto head = request("GET / HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->version_minor, 0);
}

TEST(ParseRequestHead, TrimsOptionalWhiteSpaceAroundValues) {
  auto head = request("GET / HTTP/1.1\r\nHost: \t a b \t \r\nX-Empty:\r\nX-Tight:v\r\n\r\n");
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->fields.get("Host"), "a b");
  EXPECT_EQ(head->fields.get("X-Empty"), "");
  EXPECT_EQ(head->fields.get("X-Tight"), "v");
}

TEST(ParseRequestHead, AcceptsObsTextInValues) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n"), 0);
}

TEST(ParseRequestHead, RejectsBareLineFeed) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsBareCarriageReturn) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsHeadWithoutBlankLine) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\n"), 400);
  EXPECT_EQ(request_status(""), 400);
}

TEST(ParseRequestHead, RejectsEmptyLineBeforeTheEnd) {
  EXPECT_EQ(request_status("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\n\r\nHost: a\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsMethodThatIsNotAToken) {
  EXPECT_EQ(request_status("G(ET / HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(request_status(" / HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsEmptyRequestTarget) {
  EXPECT_EQ(request_status("GET  HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsExtraSpacesInRequestLine) {
  EXPECT_EQ(request_status("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/1.1 \r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET /\r\nHost: a\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsControlCharacterInTarget) {
  EXPECT_EQ(request_status("GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n"sv), 400);
  EXPECT_EQ(request_status("GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsMalformedVersionWith400) {
  EXPECT_EQ(request_status("GET / http/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/1.11\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/x.1\r\nHost: a\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsUnsupportedVersionWith505) {
  EXPECT_EQ(request_status("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505);
  EXPECT_EQ(request_status("GET / HTTP/0.9\r\nHost: a\r\n\r\n"), 505);
  EXPECT_EQ(request_status("GET / HTTP/1.2\r\nHost: a\r\n\r\n"), 505);
}

TEST(ParseRequestHead, RejectsObsFold) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\tc\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsWhiteSpaceBeforeColon) {
  auto head = request("GET / HTTP/1.1\r\nHost : a\r\n\r\n");
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.error().status, 400);
  EXPECT_NE(head.error().message.find("colon"), std::string::npos);
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nX\t: b\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsFieldNameThatIsNotAToken) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nX(y): b\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nX\xc3\xa9: b\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsFieldLineWithoutColon) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsControlCharacterInValue) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nX: b\0c\r\n\r\n"sv), 400);
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nX: b\x01\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nX: b\x7f\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsHttp11WithoutHost) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"), 400);
}

TEST(ParseRequestHead, RejectsRepeatedHost) {
  EXPECT_EQ(request_status("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n"), 400);
  EXPECT_EQ(request_status("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n"), 400);
}

// --- responses ---

TEST(ParseResponseHead, ParsesSwitchingProtocols) {
  auto head = response(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->status, 101);
  EXPECT_EQ(head->reason, "Switching Protocols");
  EXPECT_EQ(head->version_minor, 1);
  EXPECT_EQ(head->fields.get("sec-websocket-accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(ParseResponseHead, AcceptsEmptyOrMissingReason) {
  auto with_space = response("HTTP/1.1 404 \r\n\r\n");
  ASSERT_TRUE(with_space.ok());
  EXPECT_EQ(with_space->status, 404);
  EXPECT_EQ(with_space->reason, "");
  auto without = response("HTTP/1.0 200\r\n\r\n");
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->version_minor, 0);
}

TEST(ParseResponseHead, RejectsMalformedStatusCode) {
  EXPECT_EQ(response_status("HTTP/1.1 10 Short\r\n\r\n"), 400);
  EXPECT_EQ(response_status("HTTP/1.1 1011 Long\r\n\r\n"), 400);
  EXPECT_EQ(response_status("HTTP/1.1 abc Letters\r\n\r\n"), 400);
  EXPECT_EQ(response_status("HTTP/1.1 099 Low\r\n\r\n"), 400);
  EXPECT_EQ(response_status("HTTP/1.1 600 High\r\n\r\n"), 400);
  EXPECT_EQ(response_status("HTTP/1.1  101 Two spaces\r\n\r\n"), 400);
}

TEST(ParseResponseHead, RejectsUnsupportedVersionWith505) {
  EXPECT_EQ(response_status("HTTP/2.0 101 Switching Protocols\r\n\r\n"), 505);
  EXPECT_EQ(response_status("HTTPS/1.1 101 Switching Protocols\r\n\r\n"), 400);
}

TEST(ParseResponseHead, RejectsControlCharacterInReason) {
  EXPECT_EQ(response_status("HTTP/1.1 101 Switching\x01Protocols\r\n\r\n"), 400);
}

TEST(ParseResponseHead, AppliesTheFieldRules) {
  EXPECT_EQ(response_status("HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n"), 400);
  EXPECT_EQ(response_status("HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n folded\r\n\r\n"), 400);
  EXPECT_EQ(response_status("HTTP/1.1 101 OK\nUpgrade: websocket\r\n\r\n"), 400);
}

// --- fields ---

TEST(Fields, JoinsRepeatedFields) {
  Fields fields;
  fields.add("Sec-WebSocket-Protocol", "a, b");
  fields.add("sec-websocket-protocol", "c");
  EXPECT_EQ(fields.get("Sec-WebSocket-Protocol"), "a, b, c");
  EXPECT_EQ(fields.count("SEC-WEBSOCKET-PROTOCOL"), 2u);
  EXPECT_FALSE(fields.get("Missing").has_value());
  EXPECT_EQ(fields.count("Missing"), 0u);
}

TEST(Fields, HasTokenComparesListElementsCaseInsensitively) {
  Fields fields;
  fields.add("Connection", "keep-alive, Upgrade");
  fields.add("Upgrade", "h2c");
  fields.add("upgrade", " WebSocket ");
  EXPECT_TRUE(fields.has_token("connection", "upgrade"));
  EXPECT_TRUE(fields.has_token("Connection", "KEEP-ALIVE"));
  EXPECT_TRUE(fields.has_token("Upgrade", "websocket"));
  EXPECT_FALSE(fields.has_token("Connection", "close"));
  EXPECT_FALSE(fields.has_token("Connection", "upgrad"));
  EXPECT_FALSE(fields.has_token("Missing", "x"));
}

TEST(Fields, HasTokenDoesNotMatchSubstrings) {
  Fields fields;
  fields.add("Connection", "Upgrade-Insecure");
  EXPECT_FALSE(fields.has_token("Connection", "upgrade"));
}

// --- serialization ---

TEST(Serialize, RequestRoundTrips) {
  auto head = request(kUpgrade);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(serialize(*head),
            "GET /chat HTTP/1.1\r\n"
            "Host: server.example.com\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Origin: http://example.com\r\n"
            "Sec-WebSocket-Protocol: chat, superchat\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            "\r\n");
}

TEST(Serialize, ResponseEndsWithBlankLine) {
  ResponseHead head;
  head.status = 404;
  head.reason = std::string(reason_phrase(404));
  head.fields.add("Content-Length", "0");
  const std::string text = serialize(head);
  EXPECT_EQ(text, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  auto parsed = response(text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->status, 404);
}

TEST(ReasonPhrase, NamesTheStatusesWeSend) {
  EXPECT_EQ(reason_phrase(101), "Switching Protocols");
  EXPECT_EQ(reason_phrase(400), "Bad Request");
  EXPECT_EQ(reason_phrase(403), "Forbidden");
  EXPECT_EQ(reason_phrase(405), "Method Not Allowed");
  EXPECT_EQ(reason_phrase(426), "Upgrade Required");
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(505), "HTTP Version Not Supported");
  EXPECT_EQ(reason_phrase(299), "");
}

}  // namespace
}  // namespace duplex::http
