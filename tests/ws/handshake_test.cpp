#include "duplex/ws/handshake.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "duplex/util/base64.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::ws {
namespace {

// RFC 6455 §1.3's example request.
http::RequestHead sample_request() {
  http::RequestHead request;
  request.method = "GET";
  request.target = "/chat";
  request.fields.add("Host", "server.example.com");
  request.fields.add("Upgrade", "websocket");
  request.fields.add("Connection", "Upgrade");
  request.fields.add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
  request.fields.add("Origin", "http://example.com");
  request.fields.add("Sec-WebSocket-Version", "13");
  return request;
}

http::RequestHead without(http::RequestHead request, std::string_view name) {
  http::Fields kept;
  for (const http::Field& field : request.fields.list())
    if (!(field.name == name)) kept.add(field.name, field.value);
  request.fields = kept;
  return request;
}

http::RequestHead with(http::RequestHead request, std::string_view name, std::string value) {
  request = without(std::move(request), name);
  request.fields.add(std::string(name), std::move(value));
  return request;
}

int rejection_status(const http::RequestHead& request, const ServerHandshakeOptions& options = {}) {
  auto result = accept_upgrade(request, options);
  return result ? 101 : result.error().status;
}

// The response text of a rejection, parsed back.
http::ResponseHead rejection_head(const HandshakeRejection& rejection) {
  auto end = http::find_head_end(as_bytes(rejection.response));
  EXPECT_TRUE(end.has_value());
  auto head = http::parse_response_head(as_bytes(rejection.response).first(*end));
  EXPECT_TRUE(head.ok());
  return *head;
}

// --- compute_accept ---

TEST(ComputeAccept, MatchesRfc6455Example) {
  // RFC 6455 §1.3.
  EXPECT_EQ(compute_accept("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

// --- is_upgrade_request ---

TEST(IsUpgradeRequest, LooksForWebsocketInUpgrade) {
  EXPECT_TRUE(is_upgrade_request(sample_request()));
  EXPECT_TRUE(is_upgrade_request(with(sample_request(), "Upgrade", "h2c, WebSocket")));
  EXPECT_FALSE(is_upgrade_request(without(sample_request(), "Upgrade")));
}

// --- accept_upgrade ---

TEST(AcceptUpgrade, AnswersRfc6455Example) {
  auto result = accept_upgrade(sample_request(), {});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->response,
            "HTTP/1.1 101 Switching Protocols\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            "\r\n");
  EXPECT_EQ(result->subprotocol, "");
}

TEST(AcceptUpgrade, AcceptsTokenListsInAnyCase) {
  auto request = with(sample_request(), "Connection", "keep-alive, UPGRADE");
  request = with(std::move(request), "Upgrade", "WebSocket");
  EXPECT_EQ(rejection_status(request), 101);
}

TEST(AcceptUpgrade, RefusesOtherMethodsWith405AndAllow) {
  auto request = sample_request();
  request.method = "POST";
  auto result = accept_upgrade(request, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().status, 405);
  EXPECT_EQ(rejection_head(result.error()).fields.get("Allow"), "GET");
}

TEST(AcceptUpgrade, RefusesHttp10With400) {
  auto request = sample_request();
  request.version_minor = 0;
  EXPECT_EQ(rejection_status(request), 400);
}

TEST(AcceptUpgrade, RefusesMissingHostWith400) {
  EXPECT_EQ(rejection_status(without(sample_request(), "Host")), 400);
}

TEST(AcceptUpgrade, RefusesMissingUpgradeWith400) {
  EXPECT_EQ(rejection_status(without(sample_request(), "Upgrade")), 400);
  EXPECT_EQ(rejection_status(with(sample_request(), "Upgrade", "websockets")), 400);
}

TEST(AcceptUpgrade, RefusesMissingConnectionUpgradeWith400) {
  EXPECT_EQ(rejection_status(without(sample_request(), "Connection")), 400);
  EXPECT_EQ(rejection_status(with(sample_request(), "Connection", "keep-alive")), 400);
}

TEST(AcceptUpgrade, RefusesMissingKeyWith400) {
  EXPECT_EQ(rejection_status(without(sample_request(), "Sec-WebSocket-Key")), 400);
}

TEST(AcceptUpgrade, RefusesKeyThatIsNotSixteenBytesWith400) {
  // 15 and 17 bytes, valid base64.
  EXPECT_EQ(rejection_status(with(sample_request(), "Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA")), 400);
  EXPECT_EQ(rejection_status(with(sample_request(), "Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAA=")), 400);
  EXPECT_EQ(rejection_status(with(sample_request(), "Sec-WebSocket-Key", "not base64 at all")), 400);
  // Non-zero padding bits: not canonical base64.
  EXPECT_EQ(rejection_status(with(sample_request(), "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZR==")), 400);
}

TEST(AcceptUpgrade, RefusesRepeatedKeyWith400) {
  auto request = sample_request();
  request.fields.add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(rejection_status(request), 400);
}

TEST(AcceptUpgrade, RefusesOtherVersionsWith426AndVersion13) {
  for (const char* version : {"8", "14", "13, 8", ""}) {
    auto result = accept_upgrade(with(sample_request(), "Sec-WebSocket-Version", version), {});
    ASSERT_FALSE(result.ok()) << version;
    EXPECT_EQ(result.error().status, 426) << version;
    auto head = rejection_head(result.error());
    EXPECT_EQ(head.fields.get("Sec-WebSocket-Version"), "13");
    EXPECT_TRUE(head.fields.has_token("Upgrade", "websocket"));
  }
  EXPECT_EQ(rejection_status(without(sample_request(), "Sec-WebSocket-Version")), 426);
}

TEST(AcceptUpgrade, RefusesOriginThatCheckOriginRejectsWith403) {
  ServerHandshakeOptions options;
  options.check_origin = [](std::string_view origin) { return origin == "https://good.example"; };
  EXPECT_EQ(rejection_status(sample_request(), options), 403);
  EXPECT_EQ(rejection_status(with(sample_request(), "Origin", "https://good.example"), options), 101);
}

TEST(AcceptUpgrade, PassesEmptyOriginWhenAbsent) {
  std::string seen = "unset";
  ServerHandshakeOptions options;
  options.check_origin = [&](std::string_view origin) {
    seen = origin;
    return true;
  };
  EXPECT_EQ(rejection_status(without(sample_request(), "Origin"), options), 101);
  EXPECT_EQ(seen, "");
}

TEST(AcceptUpgrade, RejectionIsACompleteResponseThatCloses) {
  auto result = accept_upgrade(without(sample_request(), "Host"), {});
  ASSERT_FALSE(result.ok());
  const HandshakeRejection& rejection = result.error();
  EXPECT_FALSE(rejection.message.empty());
  auto end = http::find_head_end(as_bytes(rejection.response));
  ASSERT_TRUE(end.has_value());
  auto head = rejection_head(rejection);
  EXPECT_EQ(head.status, 400);
  EXPECT_EQ(head.reason, "Bad Request");
  EXPECT_TRUE(head.fields.has_token("Connection", "close"));
  const std::string body = rejection.response.substr(*end);
  EXPECT_EQ(head.fields.get("Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(body, rejection.message + "\n");
}

TEST(AcceptUpgrade, SelectsServersFirstPreferenceAmongOffered) {
  ServerHandshakeOptions options;
  options.subprotocols = {"v2.chat", "v1.chat"};
  auto request = sample_request();
  request.fields.add("Sec-WebSocket-Protocol", "v1.chat, other");
  request.fields.add("Sec-WebSocket-Protocol", "v2.chat");
  auto result = accept_upgrade(request, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->subprotocol, "v2.chat");
  EXPECT_NE(result->response.find("\r\nSec-WebSocket-Protocol: v2.chat\r\n"), std::string::npos);
}

TEST(AcceptUpgrade, SelectsNoSubprotocolWhenNoneMatches) {
  ServerHandshakeOptions options;
  options.subprotocols = {"chat"};
  auto result = accept_upgrade(with(sample_request(), "Sec-WebSocket-Protocol", "Chat, superchat"), options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->subprotocol, "");
  EXPECT_EQ(result->response.find("Sec-WebSocket-Protocol"), std::string::npos);
}

TEST(AcceptUpgrade, IgnoresOfferedExtensions) {
  auto request = with(sample_request(), "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
  auto result = accept_upgrade(request, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->response.find("Sec-WebSocket-Extensions"), std::string::npos);
}

// --- ClientHandshake ---

ClientHandshakeOptions client_options() {
  ClientHandshakeOptions options;
  options.host = "example.com:8080";
  options.target = "/echo?x=1";
  return options;
}

// A server's valid answer to `client`.
http::ResponseHead answer(const ClientHandshake& client) {
  http::ResponseHead response;
  response.status = 101;
  response.reason = "Switching Protocols";
  response.fields.add("Upgrade", "websocket");
  response.fields.add("Connection", "Upgrade");
  response.fields.add("Sec-WebSocket-Accept", compute_accept(client.key()));
  return response;
}

int client_error(const ClientHandshake& client, const http::ResponseHead& response) {
  auto result = client.check_response(response);
  return result ? 0 : result.error().code;
}

TEST(ClientHandshake, KeyIsFreshBase64OfSixteenBytes) {
  std::set<std::string> keys;
  for (int i = 0; i < 8; ++i) {
    ClientHandshake client(client_options());
    auto nonce = base64_decode(client.key());
    ASSERT_TRUE(nonce.has_value());
    EXPECT_EQ(nonce->size(), 16u);
    keys.insert(client.key());
  }
  EXPECT_EQ(keys.size(), 8u);
}

TEST(ClientHandshake, RequestIsAcceptedByOurServer) {
  ClientHandshakeOptions options = client_options();
  options.subprotocols = {"chat", "superchat"};
  options.origin = "http://example.com";
  ClientHandshake client(options);
  auto request = http::parse_request_head(as_bytes(client.request()));
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->target, "/echo?x=1");
  EXPECT_EQ(request->fields.get("Host"), "example.com:8080");
  EXPECT_EQ(request->fields.get("Sec-WebSocket-Key"), client.key());
  EXPECT_EQ(request->fields.get("Sec-WebSocket-Version"), "13");
  EXPECT_EQ(request->fields.get("Sec-WebSocket-Protocol"), "chat, superchat");
  EXPECT_EQ(request->fields.get("Origin"), "http://example.com");

  ServerHandshakeOptions server;
  server.subprotocols = {"superchat"};
  auto upgrade = accept_upgrade(*request, server);
  ASSERT_TRUE(upgrade.ok());
  auto response = http::parse_response_head(as_bytes(upgrade->response));
  ASSERT_TRUE(response.ok());
  auto result = client.check_response(*response);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->subprotocol, "superchat");
}

TEST(ClientHandshake, OmitsProtocolAndOriginWhenUnset) {
  ClientHandshake client(client_options());
  EXPECT_EQ(client.request().find("Sec-WebSocket-Protocol"), std::string::npos);
  EXPECT_EQ(client.request().find("Origin"), std::string::npos);
}

TEST(ClientHandshake, SendsExtraHeadersAfterItsOwnInOrder) {
  ClientHandshakeOptions options = client_options();
  options.headers = {{"Authorization", "Bearer t0k3n"}, {"Cookie", "a=1; b=2"}, {"X-Trace", "one"},
                     {"x-trace", "two"}};
  ClientHandshake client(options);
  auto request = http::parse_request_head(as_bytes(client.request()));
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->fields.get("Authorization"), "Bearer t0k3n");
  EXPECT_EQ(request->fields.get("Cookie"), "a=1; b=2");
  EXPECT_EQ(request->fields.get("X-Trace"), "one, two");  // repeated fields kept, in order
  EXPECT_LT(client.request().find("Sec-WebSocket-Version"), client.request().find("Authorization"));
  EXPECT_TRUE(accept_upgrade(*request, {}).ok());
}

TEST(ClientHandshake, RefusesExtraHeadersItCannotSend) {
  const std::vector<std::vector<http::Field>> refused = {
      {{"Host", "elsewhere"}},           {{"sec-websocket-key", "x"}},   {{"Connection", "close"}},
      {{"Origin", "http://a"}},          {{"Content-Length", "3"}},       {{"Bad Name", "v"}},
      {{"X-Split", "a\r\nInjected: 1"}}, {{"", "empty name"}},
  };
  for (const auto& headers : refused) {
    EXPECT_FALSE(check_extra_request_fields(headers).empty()) << headers[0].name;
    ClientHandshakeOptions options = client_options();
    options.headers = headers;
    EXPECT_THROW(ClientHandshake{options}, std::invalid_argument) << headers[0].name;
  }
  EXPECT_TRUE(check_extra_request_fields({{"User-Agent", "duplex\ttest"}}).empty());
}

TEST(ClientHandshake, KeepsTheResponsesFields) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.fields.add("Set-Cookie", "session=abc; HttpOnly");
  auto result = client.check_response(response);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->fields.get("Set-Cookie"), "session=abc; HttpOnly");
}

TEST(ClientHandshake, AcceptsValidAnswer) {
  ClientHandshake client(client_options());
  EXPECT_EQ(client_error(client, answer(client)), 0);
}

TEST(ClientHandshake, RefusesOtherStatusNamingIt) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.status = 403;
  response.reason = "Forbidden";
  auto result = client.check_response(response);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, static_cast<int>(ClientHandshakeError::unexpected_status));
  EXPECT_NE(result.error().message.find("403 Forbidden"), std::string::npos);
}

TEST(ClientHandshake, RefusesMissingUpgrade) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.fields = {};
  response.fields.add("Connection", "Upgrade");
  response.fields.add("Sec-WebSocket-Accept", compute_accept(client.key()));
  EXPECT_EQ(client_error(client, response), static_cast<int>(ClientHandshakeError::missing_upgrade));
}

TEST(ClientHandshake, RefusesMissingConnection) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.fields = {};
  response.fields.add("Upgrade", "websocket");
  response.fields.add("Sec-WebSocket-Accept", compute_accept(client.key()));
  EXPECT_EQ(client_error(client, response), static_cast<int>(ClientHandshakeError::missing_connection));
}

TEST(ClientHandshake, RefusesWrongAccept) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.fields = {};
  response.fields.add("Upgrade", "websocket");
  response.fields.add("Connection", "Upgrade");
  response.fields.add("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  auto result = client.check_response(response);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, static_cast<int>(ClientHandshakeError::wrong_accept));
  EXPECT_EQ(result.error().message, "wrong Sec-WebSocket-Accept");
}

TEST(ClientHandshake, RefusesMissingAccept) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.fields = {};
  response.fields.add("Upgrade", "websocket");
  response.fields.add("Connection", "Upgrade");
  EXPECT_EQ(client_error(client, response), static_cast<int>(ClientHandshakeError::wrong_accept));
}

// RFC 6455 §4.1: an extension the client did not offer fails the connection; we offer none.
TEST(ClientHandshake, RefusesAnyExtensionNamingIt) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.fields.add("Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover");
  auto result = client.check_response(response);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, static_cast<int>(ClientHandshakeError::unexpected_extension));
  EXPECT_EQ(result.error().message,
            "the server accepted the extension 'permessage-deflate', which was not offered (RFC 6455 §4.1)");
}

TEST(ClientHandshake, RefusesMalformedExtensions) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.fields.add("Sec-WebSocket-Extensions", "permessage-deflate; =15");
  EXPECT_EQ(client_error(client, response), static_cast<int>(ClientHandshakeError::malformed_extensions));
}

TEST(ClientHandshake, AcceptsAnEmptyExtensionsField) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.fields.add("Sec-WebSocket-Extensions", "");
  EXPECT_TRUE(client.check_response(response).ok());
}

TEST(ClientHandshake, RefusesSubprotocolNotOffered) {
  ClientHandshakeOptions options = client_options();
  options.subprotocols = {"chat"};
  ClientHandshake client(options);
  auto response = answer(client);
  response.fields.add("Sec-WebSocket-Protocol", "superchat");
  EXPECT_EQ(client_error(client, response), static_cast<int>(ClientHandshakeError::unexpected_subprotocol));
}

TEST(ClientHandshake, RefusesSubprotocolWhenNoneOffered) {
  ClientHandshake client(client_options());
  auto response = answer(client);
  response.fields.add("Sec-WebSocket-Protocol", "chat");
  EXPECT_EQ(client_error(client, response), static_cast<int>(ClientHandshakeError::unexpected_subprotocol));
}

TEST(ClientHandshake, RefusesSeveralSubprotocols) {
  ClientHandshakeOptions options = client_options();
  options.subprotocols = {"a", "b"};
  ClientHandshake client(options);
  auto response = answer(client);
  response.fields.add("Sec-WebSocket-Protocol", "a, b");
  EXPECT_EQ(client_error(client, response), static_cast<int>(ClientHandshakeError::unexpected_subprotocol));
}

TEST(ClientHandshake, AcceptsNoSubprotocolSelected) {
  ClientHandshakeOptions options = client_options();
  options.subprotocols = {"chat"};
  ClientHandshake client(options);
  auto result = client.check_response(answer(client));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->subprotocol, "");
}

TEST(ClientHandshake, ThrowsOnOptionsThatCannotBeSent) {
  ClientHandshakeOptions options = client_options();
  options.host = "example.com\r\nX-Injected: 1";
  EXPECT_THROW(ClientHandshake{options}, std::invalid_argument);
  options = client_options();
  options.subprotocols = {"two words"};
  EXPECT_THROW(ClientHandshake{options}, std::invalid_argument);
  options = client_options();
  options.target = "/a b";
  EXPECT_THROW(ClientHandshake{options}, std::invalid_argument);
}

}  // namespace
}  // namespace duplex::ws
