// The WebSocket a handler is given, the ConnectionRef that names it from any thread, and the
// per-route behaviour (handlers, limits, backpressure) shared by all its connections.
//
//   net::Behavior echo;
//   echo.handlers.on_message = [](net::WebSocket& ws, const ws::Message& m) { ws.send(m.type, m.payload); };
//   echo.handlers.on_close = [](net::WebSocket&, ws::CloseCode code, std::string_view) { ... };
//   echo.high_watermark = 1 << 20;
//   echo.on_high_watermark = net::BackpressurePolicy::drop;
//   server.route("/echo", std::move(echo));
//
//   // Keep a connection for later, or for another thread:
//   net::ConnectionRef ref = ws.ref();
//   std::thread([ref] { ref.send_text("hello"); }).detach();  // ignored once the connection ended
//
// A WebSocket& is valid on its loop's thread until on_close returns; never keep the reference.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/net/connection_data.hpp"
#include "duplex/net/upgrade.hpp"
#include "duplex/ws/close_code.hpp"
#include "duplex/ws/engine.hpp"
#include "duplex/ws/extension.hpp"
#include "duplex/ws/opcode.hpp"

namespace duplex::tls {
struct HandshakeSummary;  // duplex/tls/connection.hpp
}  // namespace duplex::tls
namespace duplex::http {
class Fields;  // duplex/http/head.hpp
}  // namespace duplex::http

namespace duplex::net {

class EventLoop;
class WebSocket;
namespace detail {
class Connection;
}

enum class SendStatus : std::uint8_t {
  ok,
  backpressure,  // queued, but the buffered amount is above the high watermark (policy wait)
  dropped,       // not queued: above the high watermark with policy drop
  closed,        // not queued: the connection is closing or closed (or policy close just closed it)
  invalid,       // not queued: text that is not UTF-8, a control payload over 125 bytes...
};
const char* to_string(SendStatus status);

// What send() does when the buffered amount would pass the high watermark.
enum class BackpressurePolicy : std::uint8_t {
  // Queue anyway and return backpressure, and stop reading from this connection until its output
  // drains below the low watermark (on_drained says when); a send that would pass
  // Behavior::backpressure_limit while above the high watermark closes the connection instead.
  wait,
  drop,   // do not queue the message; return dropped
  close,  // close the connection with Behavior::backpressure_close_code
};

struct Handlers {
  // Before the 101 (duplex/net/upgrade.hpp): accept, refuse or defer. Unset: every request that
  // passes RFC 6455's checks is accepted.
  std::function<UpgradeDecision(const UpgradeRequest&)> on_upgrade;
  std::function<void(WebSocket&)> on_open;
  // The message's bytes lie in the loop's receive buffer (or the engine's, for a message that
  // came in pieces) and are valid during this call only: copy what you keep. An ASan build
  // (-DDUPLEX_SANITIZE=address) poisons them once the call returns, so a kept view is reported.
  std::function<void(WebSocket&, const ws::Message&)> on_message;
  // Exactly once per connection that opened (and, for a client, also after a failed connect):
  // the peer's close code, the code this side failed with, or 1006 when the transport died.
  std::function<void(WebSocket&, ws::CloseCode, std::string_view reason)> on_close;
  // A sentence naming what went wrong ("connection refused", "the server answered 404 Not
  // Found", a protocol violation by the peer); on_close follows.
  std::function<void(WebSocket&, std::string_view message)> on_error;
  // The buffered amount fell below low_watermark after having passed high_watermark.
  std::function<void(WebSocket&)> on_drained;
  std::function<void(WebSocket&, std::span<const std::uint8_t> payload)> on_pong;
  // A ping from the peer; the pong is already queued (RFC 6455 §5.5.2).
  std::function<void(WebSocket&, std::span<const std::uint8_t> payload)> on_ping;
};

// One per route (or per client connect): every connection of the route shares it.
struct Behavior {
  Handlers handlers;
  // Message size limit and the like (ws::Config::max_message_bytes: 16 MiB).
  ws::Config config;
  // Backpressure on the output waiting for the socket. 1 MiB lets a few large messages queue;
  // a quarter of it as the low mark avoids toggling on every write.
  std::size_t high_watermark = 1024 * 1024;
  std::size_t low_watermark = 256 * 1024;
  BackpressurePolicy on_high_watermark = BackpressurePolicy::wait;
  // Policy wait: the ceiling. A send made above the high watermark that would take the queue past
  // this closes the connection with backpressure_close_code (a subscriber that never reads while
  // a room keeps publishing to it). One message larger than this is still queued when the queue
  // is below the high watermark.
  std::size_t backpressure_limit = 4 * 1024 * 1024;
  // RFC 6455 §7.4.1: 1008 (policy) by default; 1013 (try again later) is the other sensible one.
  ws::CloseCode backpressure_close_code = ws::CloseCode::policy_violation;
  // Nothing received for this long closes with 1001 (zero: never). Two minutes, as browsers and
  // proxies commonly keep idle connections about that long.
  std::chrono::milliseconds idle_timeout{120'000};
  // When not zero, a ping is sent after this long without receiving anything; the pong counts as
  // traffic, so a live peer is never closed by idle_timeout.
  std::chrono::milliseconds ping_interval{0};
  // After sending a close, how long to wait for the peer's close (and, as a client, the server's
  // FIN) before closing the socket anyway (RFC 6455 §7.1.1 wants it bounded).
  std::chrono::milliseconds close_timeout{2'000};
};

// A connection named from anywhere: {loop, id}. Every call is thread-safe: it is posted to the
// connection's loop, where the id is looked up; a stale id (the connection ended) is ignored.
// Calls from one thread reach the connection in the order they were made. Once on_close has run,
// nothing posted through a ref reaches the connection (not even while it lingers for the peer's
// FIN). The loop itself must outlive the ref's use (a Server's loops live as long as the Server).
class ConnectionRef {
 public:
  ConnectionRef() = default;
  ConnectionRef(EventLoop* loop, std::uint64_t id) : loop_(loop), id_(id) {}

  void send_text(std::string text) const;
  void send_binary(std::vector<std::uint8_t> data) const;
  void send(ws::MessageType type, std::span<const std::uint8_t> data) const;
  // invalid (and nothing posted) for a code or reason that may not be sent, as WebSocket::close;
  // otherwise ok: posted (a ref whose connection ended ignores it).
  SendStatus close(ws::CloseCode code = ws::CloseCode::normal, std::string reason = {}) const;
  // Runs `task` on the connection's loop with the connection, if it still exists.
  void post(std::function<void(WebSocket&)> task) const;

  EventLoop* loop() const { return loop_; }
  std::uint64_t id() const { return id_; }
  explicit operator bool() const { return loop_ != nullptr; }
  bool operator==(const ConnectionRef&) const = default;

 private:
  EventLoop* loop_ = nullptr;
  std::uint64_t id_ = 0;
};

class WebSocket {
 public:
  explicit WebSocket(detail::Connection& connection) : connection_(&connection) {}

  // Sends are queued and written once per loop iteration, all of this connection's frames in one
  // write. See BackpressurePolicy for what happens above the high watermark.
  SendStatus send_text(std::string_view text);
  SendStatus send_binary(std::span<const std::uint8_t> data);
  SendStatus send(ws::MessageType type, std::span<const std::uint8_t> data);
  // One fragment of a message (RFC 6455 §5.4), for a large payload sent as it is produced: the
  // first names the type, the last has `fin`; no other message may start in between (invalid).
  // Backpressure applies per fragment: after `backpressure`, wait for on_drained; a `dropped`
  // fragment was not queued and may be sent again.
  SendStatus send_fragment(ws::MessageType type, std::span<const std::uint8_t> data, bool first, bool fin);
  // Control frames are never dropped by backpressure.
  SendStatus ping(std::span<const std::uint8_t> payload = {});
  // Starts the closing handshake; on_close follows once it is done (or close_timeout passed).
  // invalid, and nothing sent, for a code that may not appear on the wire (1004-1006, 1015,
  // 0-999, 5000+...) or a reason over 123 bytes or not UTF-8 (ws::can_send_close); closed when a
  // close was already sent or received.
  SendStatus close(ws::CloseCode code = ws::CloseCode::normal, std::string_view reason = {});

  // Bytes queued and not yet written to the socket.
  std::size_t buffered_amount() const;
  // Stops reading from the socket (messages already read are still delivered); the peer's
  // sends then back up into its own buffers. Timers keep running.
  void pause_reading();
  void resume_reading();
  bool reading_paused() const;

  // Pub/sub on this connection's server: Server::publish(topic, ...) reaches it from any thread.
  // Subscriptions end with the connection.
  void subscribe(std::string_view topic);
  void unsubscribe(std::string_view topic);

  // The application's own per-connection state (duplex/net/connection_data.hpp): the value the
  // upgrade hook gave (UpgradeAccept::data) or set here, if it is a T; nullptr otherwise.
  template <typename T>
  T* data() const {
    return connection_data().get<T>();
  }
  // Replaces it (the old value is destroyed) and returns the new one.
  template <typename T, typename... Args>
  T& emplace_data(Args&&... args) {
    set_data(ConnectionData::make<T>(std::forward<Args>(args)...));
    return *data<T>();
  }
  void set_data(ConnectionData data);

  // "192.0.2.1:52100" or "[2001:db8::1]:52100".
  std::string remote_address() const;
  // The subprotocol agreed in the handshake, or empty.
  std::string_view subprotocol() const;
  // The extensions in use: the 101's Sec-WebSocket-Extensions, parsed (RFC 6455 §9.1). Empty
  // today on both sides: a server accepts no offered extension yet, and a client fails a 101
  // that names one it did not offer (RFC 6455 §4.1), which is any.
  std::vector<ws::Extension> extensions() const;
  // The request target's path ("/chat"), without the query.
  std::string_view path() const;
  // The request target's query, without the '?' ("room=1"; http::query_parameter reads it).
  std::string_view query() const;
  // A client's: the header fields of the server's 101 (Set-Cookie...), from on_open on. nullptr on
  // a server's connection.
  const http::Fields* response_headers() const;
  // True once a close was sent or received, or the connection failed.
  bool closing() const;
  // What TLS negotiated (version, cipher suite, group, ALPN, peer certificates), or nullptr on a
  // plain ws:// connection.
  const tls::HandshakeSummary* tls() const;

  ConnectionRef ref() const;
  EventLoop& loop() const;

 private:
  const ConnectionData& connection_data() const;
  detail::Connection* connection_;
};

}  // namespace duplex::net
