#include "duplex/net/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "net_test_support.hpp"

namespace duplex::net {
namespace {

using namespace std::chrono_literals;
using test::RawPeer;
using test::local;
using test::echo_behavior;

TEST(Server, AnswersHttpRoutesWithKeepAliveAnd404) {
  Server server(local());
  server.http_route("/hello", [](const http::RequestHead& request) {
    return HttpResponse{.status = 200, .content_type = "text/plain", .body = "hi " + request.method, .fields = {}};
  });
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.connected());
  // Two requests on one connection, the second pipelined right behind the first.
  ASSERT_TRUE(peer.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string got;
  ASSERT_TRUE(peer.read_until(got, "nothing at /nothing\n"));
  EXPECT_EQ(got.find("HTTP/1.1 200 OK\r\n"), 0u) << got;
  EXPECT_NE(got.find("Content-Length: 6\r\n"), std::string::npos);
  EXPECT_NE(got.find("\r\n\r\nhi GET"), std::string::npos);
  EXPECT_NE(got.find("HTTP/1.1 404 Not Found\r\n"), std::string::npos);
  EXPECT_EQ(got.find("Connection: close"), std::string::npos);
  // Still open (keep-alive): a third request, asking to close.
  got.clear();
  ASSERT_TRUE(peer.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  ASSERT_TRUE(peer.read_to_eof(got));
  EXPECT_EQ(got.find("HTTP/1.1 200 OK\r\n"), 0u);
  EXPECT_NE(got.find("Connection: close\r\n"), std::string::npos);
}

TEST(Server, AnswersAnOversizedHeadWith431AndCloses) {
  ServerOptions options = local();
  options.max_head_bytes = 1024;
  Server server(options);
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n"));
  std::string got;
  ASSERT_TRUE(peer.read_to_eof(got));
  EXPECT_EQ(got.find("HTTP/1.1 431 "), 0u) << got;
}

TEST(Server, AnswersAMalformedHeadWith400) {
  Server server(local());
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.send("GET / HTTP/1.1\r\nBad Field: x\r\n\r\n"));
  std::string got;
  ASSERT_TRUE(peer.read_to_eof(got));
  EXPECT_EQ(got.find("HTTP/1.1 400 "), 0u) << got;
}

TEST(Server, ClosesAHandshakeThatDoesNotComplete) {
  ServerOptions options = local();
  options.handshake_timeout = 100ms;
  Server server(options);
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.send("GET / HTTP/1.1\r\nHost:"));  // and then nothing
  std::string got;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(peer.read_to_eof(got));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 90ms);
  EXPECT_TRUE(got.empty());
}

TEST(Server, RejectsAnUpgradeWithABadKeyWith400) {
  Server server(local());
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.send("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n"));
  std::string got;
  ASSERT_TRUE(peer.read_to_eof(got));
  EXPECT_EQ(got.find("HTTP/1.1 400 "), 0u) << got;
}

TEST(Server, AnswersAPlainRequestOnAWebSocketRouteWith426) {
  Server server(local());
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string got;
  ASSERT_TRUE(peer.read_until(got, "\r\n\r\n"));
  EXPECT_EQ(got.find("HTTP/1.1 426 "), 0u) << got;
}

TEST(Server, KeepsFramesSentRightBehindTheHead) {
  Server server(local());
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  // The request and two frames in one write: the frames must not be lost with the head.
  ws::ClientHandshakeOptions handshake_options;
  handshake_options.host = "127.0.0.1";
  handshake_options.target = "/echo";
  ws::ClientHandshake handshake(handshake_options);
  (void)peer.engine.send_text("one");
  (void)peer.engine.send_text("two");
  std::string bytes = handshake.request() + std::string(as_text(peer.engine.pending_output()));
  peer.engine.consume_output(peer.engine.pending_output().size());
  ASSERT_TRUE(peer.send(bytes));
  std::string response;
  ASSERT_TRUE(peer.read_until(response, "\r\n\r\n"));
  EXPECT_EQ(response.find("HTTP/1.1 101 "), 0u);
  peer.leftover = response.substr(response.find("\r\n\r\n") + 4);
  auto events = peer.read_events(2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(test::message_text(events[0]), "one");
  EXPECT_EQ(test::message_text(events[1]), "two");
}

TEST(Server, ReassemblesInputArrivingOneByteAtATime) {
  Server server(local());
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ws::ClientHandshakeOptions handshake_options;
  handshake_options.host = "127.0.0.1";
  handshake_options.target = "/echo";
  ws::ClientHandshake handshake(handshake_options);
  // A fragmented message (RFC 6455 §5.4) and a ping between its fragments.
  const std::string_view a = "frag", b = "mented";
  (void)peer.engine.send_fragment(ws::MessageType::text, as_bytes(a), true, false);
  (void)peer.engine.send_ping(as_bytes(std::string_view("p")));
  (void)peer.engine.send_fragment(ws::MessageType::text, as_bytes(b), false, true);
  const std::string bytes = handshake.request() + std::string(as_text(peer.engine.pending_output()));
  peer.engine.consume_output(peer.engine.pending_output().size());
  for (char c : bytes) ASSERT_TRUE(peer.send(std::string_view(&c, 1)));
  std::string response;
  ASSERT_TRUE(peer.read_until(response, "\r\n\r\n"));
  peer.leftover = response.substr(response.find("\r\n\r\n") + 4);
  auto events = peer.read_events(2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<ws::Pong>(events[0]));
  EXPECT_EQ(test::message_text(events[1]), "fragmented");
}

TEST(Server, PortZeroWithTwoThreadsSharesOnePort) {
  Server server(local(2));
  std::mutex mutex;
  std::set<std::thread::id> threads;
  Behavior behavior = echo_behavior();
  behavior.handlers.on_open = [&](WebSocket&) {
    std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
  };
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  ASSERT_NE(server.port(), 0);
  EXPECT_EQ(server.thread_count(), 2u);
  // The kernel spreads connections over the two sockets by hash: with 64, both get some.
  std::vector<std::unique_ptr<RawPeer>> peers;
  for (int i = 0; i < 64; ++i) {
    peers.push_back(std::make_unique<RawPeer>(server.port()));
    ASSERT_TRUE(peers.back()->upgrade("/echo"));
  }
  ASSERT_TRUE(test::wait_for(
      [&] {
        std::lock_guard lock(mutex);
        return threads.size() == 2;
      },
      "connections on both loops"));
  EXPECT_TRUE(WAIT_FOR(server.connection_count() == 64));
}

TEST(Server, ShutdownClosesEveryWebSocketWith1001) {
  ServerOptions options = local(2);
  Server server(options);
  std::atomic<int> closed{0};
  Behavior behavior = echo_behavior();
  behavior.handlers.on_close = [&](WebSocket&, ws::CloseCode, std::string_view) { ++closed; };
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  std::vector<std::unique_ptr<RawPeer>> peers;
  for (int i = 0; i < 8; ++i) {
    peers.push_back(std::make_unique<RawPeer>(server.port()));
    ASSERT_TRUE(peers.back()->upgrade("/echo"));
  }
  ASSERT_TRUE(WAIT_FOR(server.connection_count() == 8));
  server.shutdown();
  for (auto& peer : peers) {
    auto events = peer->read_events(1);
    ASSERT_EQ(events.size(), 1u);
    auto* close = std::get_if<ws::CloseReceived>(&events[0]);
    ASSERT_NE(close, nullptr);
    EXPECT_EQ(close->code, ws::CloseCode::going_away);
    ASSERT_TRUE(peer->send_frames());  // the echo of the close
  }
  server.wait();  // returns: every close completed
  EXPECT_EQ(closed.load(), 8);
  for (auto& peer : peers) {
    std::string rest;
    EXPECT_TRUE(peer->read_to_eof(rest));
  }
}

TEST(Server, ShutdownEndsEvenIfPeersNeverAnswer) {
  ServerOptions options = local();
  options.shutdown_timeout = 200ms;
  Server server(options);
  std::atomic<int> abnormal{0};
  Behavior behavior = echo_behavior();
  behavior.handlers.on_close = [&](WebSocket&, ws::CloseCode code, std::string_view) {
    if (code == ws::CloseCode::abnormal_closure) ++abnormal;
  };
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.upgrade("/echo"));
  ASSERT_TRUE(WAIT_FOR(server.connection_count() == 1));
  server.shutdown();
  server.wait();
  EXPECT_EQ(abnormal.load(), 1);
}

TEST(Server, AnswersEveryPipelinedRequestOfASlowReader) {
  Server server(local());
  const std::string page(64 * 1024, 'p');
  server.http_route("/page", [&](const http::RequestHead&) {
    return HttpResponse{.status = 200, .content_type = "text/plain", .body = page, .fields = {}};
  });
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  // 200 requests for 64 KiB each (12.8 MiB of answers) before reading any: the server must
  // hold back rather than buffer them all, and still answer every one once we read.
  std::string requests;
  for (int i = 0; i < 200; ++i) requests += "GET /page HTTP/1.1\r\nHost: x\r\n\r\n";
  std::thread writer([&] { peer.send(requests); });
  std::size_t answers = 0;
  std::string got;
  while (answers < 200) {
    auto more = peer.read_some();
    ASSERT_TRUE(more && !more->empty());
    got += *more;
    for (std::size_t at; (at = got.find("HTTP/1.1 200 OK")) != std::string::npos; got.erase(0, at + 1)) ++answers;
  }
  writer.join();
  EXPECT_EQ(answers, 200u);
}

TEST(Server, StartReportsAPortInUse) {
  Server first(local());
  ASSERT_TRUE(first.start().ok());
  // Without SO_REUSEPORT on the other side, binding the same port fails.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ServerOptions options = local();
  options.port = ntohs(address.sin_port);
  Server second(options);
  auto started = second.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("cannot listen on 127.0.0.1:"), std::string::npos) << started.error().message;
  ::close(fd);
}

}  // namespace
}  // namespace duplex::net
