// Helpers for the runtime's tests: a loop on its own thread, bounded waits, and a blocking raw
// TCP peer that can speak WebSocket through the sans-I/O engine (to send odd byte patterns).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "duplex/http/head.hpp"
#include "duplex/net/client.hpp"
#include "duplex/net/event_loop.hpp"
#include "duplex/net/server.hpp"
#include "duplex/net/websocket.hpp"
#include "duplex/util/byte_reader.hpp"
#include "duplex/ws/engine.hpp"
#include "duplex/ws/handshake.hpp"

namespace duplex::net::test {

using namespace std::chrono_literals;

// Generous: the tests wait for events, they never sleep to assert that nothing happened.
inline constexpr auto kWait = std::chrono::seconds(10);

// Polls `condition` until it holds or `limit` passes.
inline bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit = kWait) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// wait_until for assertions: a failure names what was waited for and for how long.
inline ::testing::AssertionResult wait_for(const std::function<bool()>& condition, std::string_view what,
                                           std::chrono::milliseconds limit = kWait) {
  if (wait_until(condition, limit)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "waited " << limit.count() << " ms for: " << what;
}
// ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 2)) fails with the condition's own text.
#define WAIT_FOR(...) ::duplex::net::test::wait_for([&] { return static_cast<bool>(__VA_ARGS__); }, #__VA_ARGS__)

// An EventLoop running on its own thread for the test's lifetime. Declare it after whatever its
// handlers write to (Recorders...), so that its loop stops before those are destroyed.
class LoopThread {
 public:
  LoopThread() : thread_([this] { loop_.run(); }) {}
  ~LoopThread() {
    loop_.stop();
    thread_.join();
  }
  EventLoop& loop() { return loop_; }
  // Runs `f` on the loop and waits for it.
  template <typename F>
  auto call(F&& f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::forward<F>(f));
    auto future = task.get_future();
    loop_.post([&task] { task(); });
    return future.get();
  }

 private:
  EventLoop loop_;
  std::thread thread_;
};

// A listening TCP socket on 127.0.0.1 (port from the kernel) that the test accepts from itself, or
// never: the kernel completes connects into the backlog either way.
class RawListener {
 public:
  explicit RawListener(int backlog = 4) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    listening_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                 ::listen(fd_, backlog) == 0 &&
                 ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    port_ = ntohs(address.sin_port);
  }
  ~RawListener() { ::close(fd_); }
  RawListener(const RawListener&) = delete;
  RawListener& operator=(const RawListener&) = delete;
  bool listening() const { return listening_; }
  int fd() const { return fd_; }
  std::string url(std::string_view path = "/") const {
    return "ws://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

 private:
  int fd_ = -1;
  bool listening_ = false;
  std::uint16_t port_ = 0;
};

// A blocking TCP peer on 127.0.0.1.
class RawPeer {
 public:
  explicit RawPeer(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawPeer() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  bool send(std::string_view bytes) { return send(as_bytes(bytes)); }
  bool send(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads what is available, waiting up to `limit` for something. nullopt on EOF or error;
  // an empty string on timeout.
  std::optional<std::string> read_some(std::chrono::milliseconds limit = kWait) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return std::string();
    char buffer[65536];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
  }
  // Reads until `text` has arrived (true), EOF, or the limit.
  bool read_until(std::string& into, std::string_view text, std::chrono::milliseconds limit = kWait) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (into.find(text) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      auto got = read_some(left);
      if (!got) return false;
      into += *got;
    }
    return true;
  }
  // Reads until the peer closes (true) or the limit.
  bool read_to_eof(std::string& into, std::chrono::milliseconds limit = kWait) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      auto got = read_some(left);
      if (!got) return true;
      into += *got;
    }
  }

  // The client side of the opening handshake; true on a 101. Bytes after the head stay in
  // `leftover`.
  bool upgrade(const std::string& target, std::string* response_out = nullptr) {
    ws::ClientHandshakeOptions options;
    options.host = "127.0.0.1";
    options.target = target;
    ws::ClientHandshake handshake(std::move(options));
    if (!send(handshake.request())) return false;
    std::string response;
    if (!read_until(response, "\r\n\r\n")) return false;
    const std::size_t end = response.find("\r\n\r\n") + 4;
    leftover = response.substr(end);
    if (response_out) *response_out = response.substr(0, end);
    auto head = http::parse_response_head(as_bytes(std::string_view(response).substr(0, end)));
    return head && handshake.check_response(*head).ok();
  }

  // Reads WebSocket events with a client engine until `count` have come (or EOF / the limit).
  std::vector<ws::Event> read_events(std::size_t count, std::chrono::milliseconds limit = kWait) {
    std::vector<ws::Event> out;
    auto feed = [&](std::string bytes) {
      held_.push_back(std::move(bytes));
      auto& data = held_.back();
      engine.receive({reinterpret_cast<std::uint8_t*>(data.data()), data.size()});
      while (auto event = engine.next_event()) out.push_back(own(*event));
    };
    if (!leftover.empty()) feed(std::exchange(leftover, {}));
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (out.size() < count) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      auto got = read_some(left);
      if (!got) {
        engine.receive_eof();
        while (auto event = engine.next_event()) out.push_back(own(*event));
        break;
      }
      feed(std::move(*got));
    }
    return out;
  }
  bool send_frames() {
    auto bytes = engine.pending_output();
    const bool ok = send(bytes);
    engine.consume_output(bytes.size());
    return ok;
  }

  ws::Config config;
  ws::Engine engine{ws::Role::client, config};
  std::string leftover;

 private:
  // Events hold views; keep their bytes alive by copying messages into owned storage.
  ws::Event own(const ws::Event& event) {
    if (auto* m = std::get_if<ws::Message>(&event)) {
      owned_.emplace_back(m->payload.begin(), m->payload.end());
      return ws::Message{m->type, owned_.back()};
    }
    if (auto* c = std::get_if<ws::CloseReceived>(&event)) {
      owned_.emplace_back(c->reason.begin(), c->reason.end());
      return ws::CloseReceived{c->code, as_text(owned_.back())};
    }
    return event;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::vector<std::string> held_;
  std::deque<std::vector<std::uint8_t>> owned_;
};

inline std::string message_text(const ws::Event& event) {
  if (auto* m = std::get_if<ws::Message>(&event)) return std::string(m->text());
  return "<not a message>";
}

// A server on 127.0.0.1, port chosen by the kernel.
inline ServerOptions local(unsigned threads = 1) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.threads = threads;
  return options;
}

// Every message goes back to its sender, as it came.
inline Behavior echo_behavior() {
  Behavior echo;
  echo.handlers.on_message = [](WebSocket& ws, const ws::Message& message) { ws.send(message.type, message.payload); };
  return echo;
}

// What a client saw, written on its loop's thread and read by the test's.
struct Recorder {
  std::mutex mutex;
  int opened = 0;
  std::vector<std::pair<ws::MessageType, std::string>> messages;
  std::size_t message_bytes = 0;
  std::vector<std::string> errors;
  std::vector<ws::CloseCode> closes;
  std::string close_reason;

  // Handlers that record into this; `on_open` runs after recording the open.
  Behavior behavior(std::function<void(WebSocket&)> on_open = {}) {
    Behavior b;
    b.handlers.on_open = [this, on_open](WebSocket& ws) {
      {
        std::lock_guard lock(mutex);
        ++opened;
      }
      if (on_open) on_open(ws);
    };
    b.handlers.on_message = [this](WebSocket&, const ws::Message& m) {
      std::lock_guard lock(mutex);
      messages.emplace_back(m.type, std::string(m.text()));
      message_bytes += m.payload.size();
    };
    b.handlers.on_error = [this](WebSocket&, std::string_view message) {
      std::lock_guard lock(mutex);
      errors.emplace_back(message);
    };
    b.handlers.on_close = [this](WebSocket&, ws::CloseCode code, std::string_view reason) {
      std::lock_guard lock(mutex);
      closes.push_back(code);
      close_reason = reason;
    };
    return b;
  }
  template <typename F>
  auto read(F f) {
    std::lock_guard lock(mutex);
    return f(*this);
  }
  std::size_t message_count() { return read([](Recorder& r) { return r.messages.size(); }); }
  std::size_t close_count() { return read([](Recorder& r) { return r.closes.size(); }); }
};

inline std::string url(const Server& server, std::string_view path, std::string_view scheme = "ws") {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(server.port()) + std::string(path);
}

inline ConnectionRef connect_on(LoopThread& client, const std::string& to, Behavior behavior, ClientOptions options = {}) {
  return client.call([&] { return connect(client.loop(), to, std::move(behavior), options); });
}

}  // namespace duplex::net::test
