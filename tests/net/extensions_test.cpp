// WebSocket::extensions() and RFC 6455's extension rules end to end: the server accepts none of
// the extensions a client offers, and a client fails a 101 naming one it did not offer.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>

#include "duplex/net/client.hpp"
#include "duplex/net/server.hpp"
#include "net_test_support.hpp"

namespace duplex::net {
namespace {

using test::connect_on;
using test::LoopThread;
using test::RawListener;
using test::RawPeer;
using test::Recorder;
using test::url;

constexpr std::string_view kOffer = "permessage-deflate; client_max_window_bits";

// A route that records how many extensions its connections saw in on_open (-1: none opened).
struct SeenExtensions {
  std::atomic<int> count{-1};
  Behavior behavior() {
    Behavior b;
    b.handlers.on_open = [this](WebSocket& ws) { count = static_cast<int>(ws.extensions().size()); };
    return b;
  }
};

TEST(Extensions, ServerAcceptsNoOfferedExtensionAndItsSideSeesNone) {
  SeenExtensions seen;
  Server server(test::local());
  server.route("/ws", seen.behavior());
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.connected());
  // What browsers and python3-websockets send.
  ASSERT_TRUE(peer.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        "Sec-WebSocket-Extensions: " + std::string(kOffer) + "\r\n\r\n"));
  std::string response;
  ASSERT_TRUE(peer.read_until(response, "\r\n\r\n"));
  EXPECT_TRUE(response.starts_with("HTTP/1.1 101 ")) << response;
  EXPECT_EQ(response.find("Sec-WebSocket-Extensions"), std::string::npos) << response;
  ASSERT_TRUE(WAIT_FOR(seen.count >= 0));
  EXPECT_EQ(seen.count, 0);
}

TEST(Extensions, BothSidesOfADuplexConnectionSeeNone) {
  SeenExtensions server_seen;
  Server server(test::local());
  server.route("/ws", server_seen.behavior());
  ASSERT_TRUE(server.start().ok());
  SeenExtensions client_seen;
  LoopThread client;
  connect_on(client, url(server, "/ws"), client_seen.behavior());
  ASSERT_TRUE(WAIT_FOR(server_seen.count >= 0 && client_seen.count >= 0));
  EXPECT_EQ(server_seen.count, 0);
  EXPECT_EQ(client_seen.count, 0);
}

// A server of its own (a blocking socket on a thread) that answers the upgrade with a 101 naming
// `extensions`, then holds the connection until the test is done.
class RawUpgradeServer {
 public:
  explicit RawUpgradeServer(std::string extensions) : thread_([this, extensions = std::move(extensions)] {
    pollfd incoming{listener_.fd(), POLLIN, 0};
    if (::poll(&incoming, 1, static_cast<int>(test::kWait.count() * 1000)) <= 0) return;
    const int fd = ::accept(listener_.fd(), nullptr, nullptr);
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(test::kWait.count() * 1000)) <= 0) break;
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      head.append(buffer, static_cast<std::size_t>(n));
    }
    auto request = http::parse_request_head(as_bytes(head));
    const std::string key = request ? request->fields.get("Sec-WebSocket-Key").value_or("") : "";
    offered_.set_value(request ? request->fields.get("Sec-WebSocket-Extensions").value_or("") : "<no request>");
    const std::string response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Accept: " + ws::compute_accept(key) +
                                 "\r\nSec-WebSocket-Extensions: " + extensions + "\r\n\r\n";
    (void)::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
    done_.get_future().wait();
    ::close(fd);
  }) {}
  ~RawUpgradeServer() {
    done_.set_value();
    thread_.join();
  }
  std::string url() const { return listener_.url("/ws"); }
  // The client's Sec-WebSocket-Extensions ("" when absent).
  std::string offered() {
    auto future = offered_.get_future();
    return future.wait_for(test::kWait) == std::future_status::ready ? future.get() : "<no request came>";
  }

 private:
  RawListener listener_;
  std::promise<std::string> offered_;
  std::promise<void> done_;
  std::thread thread_;
};

TEST(Extensions, ClientFailsA101NamingAnExtensionItDidNotOffer) {
  Recorder recorder;
  RawUpgradeServer server("permessage-deflate; server_no_context_takeover");
  LoopThread client;
  connect_on(client, server.url(), recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  EXPECT_EQ(server.offered(), "");  // we offer none
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.opened, 0);
    EXPECT_EQ(r.closes[0], ws::CloseCode::abnormal_closure);
    EXPECT_EQ(r.errors, (std::vector<std::string>{
                            "the server accepted the extension 'permessage-deflate', which was not offered "
                            "(RFC 6455 §4.1)"}));
    return 0;
  });
}

}  // namespace
}  // namespace duplex::net
