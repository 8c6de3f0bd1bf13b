// WebSocket client: resolve, connect without blocking the loop, RFC 6455 §4.1 handshake, then
// the same WebSocket and handlers as a server connection (frames masked, as a client must).
//
//   net::EventLoop loop;
//   net::Behavior behavior;
//   behavior.handlers.on_open = [](net::WebSocket& ws) { ws.send_text("hello"); };
//   behavior.handlers.on_message = [](net::WebSocket& ws, const ws::Message& m) { ... };
//   behavior.handlers.on_error = [](net::WebSocket&, std::string_view why) { ... };
//   behavior.handlers.on_close = [&](net::WebSocket&, ws::CloseCode, std::string_view) { loop.stop(); };
//   net::ConnectionRef connection = net::connect(loop, "ws://127.0.0.1:8080/echo", std::move(behavior));
//   loop.run();
//
// A bad URL, a failed resolution or connect, a timeout or a refused handshake reach on_error
// with a sentence, then on_close with 1006; on_open is not called.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/http/head.hpp"
#include "duplex/net/event_loop.hpp"
#include "duplex/net/websocket.hpp"

namespace duplex::tls {
struct ClientConfig;  // duplex/tls/config.hpp
}  // namespace duplex::tls

namespace duplex::net {

struct ClientOptions {
  std::vector<std::string> subprotocols;  // offered, in order of preference
  std::string origin;                     // the Origin field, sent when not empty
  // Extra request fields (Authorization, Cookie...), sent in this order. A name that is not a
  // token, a value with a control character, or a field the handshake writes itself fails the
  // connect with a sentence (ws::check_extra_request_fields).
  std::vector<http::Field> headers;
  // From the start of connect() to the 101 (TCP connect and handshake together).
  std::chrono::milliseconds handshake_timeout{10'000};
  std::size_t max_head_bytes = http::kDefaultMaxHeadBytes;  // of the server's response head
  // For wss:// URLs: the TLS configuration, whose verifier decides whether the server is trusted.
  // nullptr: tls::ClientConfig{}, which verifies the server against the system's roots and the
  // URL's host name (duplex never connects unverified by default).
  std::shared_ptr<const tls::ClientConfig> tls{};
};

// Call on the loop's thread (or before loop.run()). The host is resolved here, blocking (the
// one blocking step; IPv4 and IPv6); the connect and the handshake run on the loop. The ref is
// valid at once: sends made before the handshake completes are refused (status closed), so send
// from on_open.
ConnectionRef connect(EventLoop& loop, std::string_view url, Behavior behavior, ClientOptions options = {});

}  // namespace duplex::net
