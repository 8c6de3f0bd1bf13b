// The upgrade hook (duplex/net/upgrade.hpp): accept, refuse, defer, and what it sees.
#include "duplex/net/upgrade.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "duplex/net/client.hpp"
#include "duplex/net/server.hpp"
#include "net_test_support.hpp"

namespace duplex::net {
namespace {

using namespace std::chrono_literals;
using test::connect_on;
using test::echo_behavior;
using test::local;
using test::LoopThread;
using test::RawPeer;
using test::Recorder;
using test::url;

// What the hook saw, copied out of the request (valid during the call only).
struct Seen {
  std::mutex mutex;
  std::string path, query, token, client_header, session, remote;
  std::vector<std::string> subprotocols;
  bool over_tls = true;
  int calls = 0;
  void record(const UpgradeRequest& request) {
    std::lock_guard lock(mutex);
    ++calls;
    path = request.path();
    query = request.query();
    token = request.query_parameter("token").value_or("<none>");
    client_header = request.header("x-client").value_or("<none>");
    session = std::string(request.cookie("session").value_or("<none>"));
    remote = request.remote_address();
    subprotocols = request.subprotocols();
    over_tls = request.tls() != nullptr;
  }
};

TEST(UpgradeHook, AcceptsChoosingTheSubprotocolAndAddingASetCookie) {
  Server server(local());
  Seen seen;
  Behavior behavior = echo_behavior();
  behavior.handlers.on_upgrade = [&](const UpgradeRequest& request) -> UpgradeDecision {
    seen.record(request);
    return UpgradeAccept{.subprotocol = "v2", .headers = {{"Set-Cookie", "seen=1; HttpOnly"}}};
  };
  server.route("/secure", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  std::promise<std::pair<std::string, std::string>> opened;
  ClientOptions options;
  options.subprotocols = {"chat", "v2"};
  options.headers = {{"X-Client", "test"}, {"Cookie", "theme=dark; session=abc"}};
  connect_on(client, url(server, "/secure?token=t%201&x=2"), recorder.behavior([&](WebSocket& ws) {
               const http::Fields* fields = ws.response_headers();
               opened.set_value({std::string(ws.subprotocol()),
                                 fields ? fields->get("Set-Cookie").value_or("<none>") : "<no fields>"});
             }),
             options);
  auto future = opened.get_future();
  ASSERT_EQ(future.wait_for(test::kWait), std::future_status::ready) << "the client never opened";
  const auto [subprotocol, cookie] = future.get();
  EXPECT_EQ(subprotocol, "v2");
  EXPECT_EQ(cookie, "seen=1; HttpOnly");
  std::lock_guard lock(seen.mutex);
  EXPECT_EQ(seen.calls, 1);
  EXPECT_EQ(seen.path, "/secure");
  EXPECT_EQ(seen.query, "token=t%201&x=2");
  EXPECT_EQ(seen.token, "t 1");
  EXPECT_EQ(seen.client_header, "test");
  EXPECT_EQ(seen.session, "abc");
  EXPECT_EQ(seen.remote.rfind("127.0.0.1:", 0), 0u) << seen.remote;
  EXPECT_EQ(seen.subprotocols, (std::vector<std::string>{"chat", "v2"}));
  EXPECT_FALSE(seen.over_tls);
}

TEST(UpgradeHook, RefusesWithAStatusFieldsAndABody) {
  Server server(local());
  Behavior behavior = echo_behavior();
  behavior.handlers.on_upgrade = [](const UpgradeRequest& request) -> UpgradeDecision {
    if (request.cookie("session")) return UpgradeAccept{};
    return UpgradeRefusal{.status = 401, .body = "log in first\n", .headers = {{"WWW-Authenticate", "Bearer"}}};
  };
  server.route("/private", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  std::string response;
  EXPECT_FALSE(peer.upgrade("/private", &response));
  std::string rest = peer.leftover;
  ASSERT_TRUE(peer.read_to_eof(rest)) << "the server did not close after refusing";
  EXPECT_EQ(response.rfind("HTTP/1.1 401 ", 0), 0u) << response;
  EXPECT_NE(response.find("WWW-Authenticate: Bearer\r\n"), std::string::npos) << response;
  EXPECT_NE(response.find("Connection: close\r\n"), std::string::npos) << response;
  EXPECT_EQ(rest, "log in first\n");
  // Our own client says why.
  Recorder recorder;
  LoopThread client;
  connect_on(client, url(server, "/private"), recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.opened, 0);
    EXPECT_NE(r.errors.at(0).find("401"), std::string::npos) << r.errors[0];
    return 0;
  });
}

TEST(UpgradeHook, DeferredUpgradeIsAnsweredFromAnotherThread) {
  Server server(local());
  std::promise<PendingUpgrade> pending;
  Behavior behavior = echo_behavior();
  behavior.handlers.on_upgrade = [&](const UpgradeRequest& request) -> UpgradeDecision {
    pending.set_value(request.defer());
    return UpgradeDeferred{};
  };
  server.route("/later", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  const ConnectionRef ref =
      connect_on(client, url(server, "/later"), recorder.behavior([](WebSocket& ws) { ws.send_text("after the wait"); }));
  auto future = pending.get_future();
  ASSERT_EQ(future.wait_for(test::kWait), std::future_status::ready) << "the hook was not called";
  EXPECT_EQ(recorder.read([](Recorder& r) { return r.opened; }), 0);
  const PendingUpgrade handle = future.get();
  std::thread([handle] { handle.accept({.headers = {{"X-Checked-By", "auth service"}}}); }).join();
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 1)) << "no echo after the deferred accept";
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.messages[0].second, "after the wait");
    return 0;
  });
  handle.refuse({.status = 403});  // a second answer is ignored: the connection stays open
  ref.send_text("still open");  // its echo comes after the ignored answer was handled
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 2)) << "the connection did not stay open";
  EXPECT_EQ(recorder.close_count(), 0u);
}

TEST(UpgradeHook, DeferredUpgradeEndsAtTheHandshakeTimeout) {
  ServerOptions options = local();
  options.handshake_timeout = 200ms;
  Server server(options);
  std::promise<PendingUpgrade> pending;
  Behavior behavior = echo_behavior();
  behavior.handlers.on_upgrade = [&](const UpgradeRequest& request) -> UpgradeDecision {
    pending.set_value(request.defer());
    return UpgradeDeferred{};
  };
  server.route("/never", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  std::string response;
  EXPECT_FALSE(peer.upgrade("/never", &response));
  EXPECT_EQ(response, "") << "the server answered a request its hook never answered";
  auto future = pending.get_future();
  ASSERT_EQ(future.wait_for(test::kWait), std::future_status::ready);
  ASSERT_TRUE(WAIT_FOR(server.connection_count() == 0)) << "the deferred connection outlived the handshake timeout";
  future.get().accept();  // too late: ignored
}

// The hook constructs the connection's typed state; handlers read it by type; it dies with the
// connection.
struct Session {
  std::string user;
  int messages = 0;
  std::atomic<int>* destroyed;
  Session(std::string user, std::atomic<int>* destroyed) : user(std::move(user)), destroyed(destroyed) {}
  ~Session() { ++*destroyed; }
};

TEST(UpgradeHook, GivesTheConnectionTypedDataThatDiesWithIt) {
  Server server(local());
  std::atomic<int> destroyed{0};
  std::mutex mutex;
  std::vector<std::string> seen;
  Behavior behavior;
  behavior.handlers.on_upgrade = [&](const UpgradeRequest& request) -> UpgradeDecision {
    return UpgradeAccept{.data = ConnectionData::make<Session>(request.query_parameter("user").value_or("?"), &destroyed)};
  };
  behavior.handlers.on_message = [&](WebSocket& ws, const ws::Message&) {
    Session* session = ws.data<Session>();
    std::lock_guard lock(mutex);
    if (!session || ws.data<int>() != nullptr) {  // another type never reinterprets the value
      seen.push_back("<wrong>");
      return;
    }
    seen.push_back(session->user + ":" + std::to_string(++session->messages));
    ws.send_text("ok");
  };
  server.route("/chat", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  {
    LoopThread client;
    Recorder recorder;
    const ConnectionRef ref = connect_on(client, url(server, "/chat?user=ada"), recorder.behavior([](WebSocket& ws) {
                                           ws.send_text("one");
                                           ws.send_text("two");
                                         }));
    ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 2));
    ref.close();
    ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  }
  ASSERT_TRUE(WAIT_FOR(destroyed == 1)) << "the connection's data was not destroyed with it";
  std::lock_guard lock(mutex);
  EXPECT_EQ(seen, (std::vector<std::string>{"ada:1", "ada:2"}));
}

TEST(ConnectionData, EmplacedInOnOpenWithoutAHook) {
  Server server(local());
  Behavior behavior;
  behavior.handlers.on_open = [](WebSocket& ws) { ws.emplace_data<std::string>("opened"); };
  behavior.handlers.on_message = [](WebSocket& ws, const ws::Message&) {
    const std::string* state = ws.data<std::string>();
    ws.send_text(state ? *state : "<none>");
    ws.emplace_data<int>(7);  // replaces the string
    ws.send_text(ws.data<std::string>() == nullptr && *ws.data<int>() == 7 ? "replaced" : "<kept>");
  };
  server.route("/state", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  connect_on(client, url(server, "/state"), recorder.behavior([](WebSocket& ws) { ws.send_text("hi"); }));
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 2));
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.messages[0].second, "opened");
    EXPECT_EQ(r.messages[1].second, "replaced");
    return 0;
  });
}

TEST(UpgradeHook, AnAnswerThatCannotBeSentIs500) {
  Server server(local());
  Behavior behavior = echo_behavior();
  behavior.handlers.on_upgrade = [](const UpgradeRequest& request) -> UpgradeDecision {
    if (request.path() == "/bad-subprotocol") return UpgradeAccept{.subprotocol = "never-offered"};
    if (request.path() == "/bad-header") return UpgradeAccept{.headers = {{"Sec-WebSocket-Accept", "forged"}}};
    return UpgradeRefusal{.status = 200};
  };
  for (const char* path : {"/bad-subprotocol", "/bad-header", "/bad-status"}) server.route(path, behavior);
  ASSERT_TRUE(server.start().ok());
  for (const char* path : {"/bad-subprotocol", "/bad-header", "/bad-status"}) {
    RawPeer peer(server.port());
    std::string response;
    EXPECT_FALSE(peer.upgrade(path, &response));
    EXPECT_EQ(response.rfind("HTTP/1.1 500 ", 0), 0u) << path << ": " << response;
  }
}

}  // namespace
}  // namespace duplex::net
