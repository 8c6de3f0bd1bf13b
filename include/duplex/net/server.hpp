// Server: N threads, one EventLoop each, each with its own listening socket on the same port
// (SO_REUSEPORT), so the kernel spreads connections over the cores and no lock is shared.
//
//   net::ServerOptions options;
//   options.port = 8080;                                       // threads: one per core
//   net::Server server(options);
//   server.route("/echo", std::move(echo_behavior));           // WebSocket upgrades on /echo
//   server.http_route("/", [](const http::RequestHead&) {      // plain HTTP/1.1 (keep-alive)
//     net::HttpResponse response;
//     response.content_type = "text/html";
//     response.body = page;
//     return response;
//   });
//   if (auto started = server.start(); !started) { puts(started.error().message.c_str()); return 1; }
//   server.shutdown_on_signals();   // SIGINT / SIGTERM → graceful shutdown
//   server.wait();                  // until shutdown()
//
// Per connection: the request head is read under max_head_bytes (431 and close beyond it) and
// handshake_timeout; an upgrade on a WebSocket route runs ws::accept_upgrade, then the bytes
// after the head go to the connection's ws::Engine; any other request goes to the HTTP route of
// its path, or gets 404.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/http/head.hpp"
#include "duplex/net/event_loop.hpp"
#include "duplex/net/websocket.hpp"
#include "duplex/util/result.hpp"
#include "duplex/ws/handshake.hpp"

namespace duplex::tls {
struct ServerConfig;  // duplex/tls/config.hpp
}  // namespace duplex::tls

namespace duplex::net {

struct ServerOptions {
  // An IPv4 or IPv6 literal, or a name ("localhost"). Loopback unless told otherwise: a server
  // reachable from other machines should be a decision, not a default ("0.0.0.0" or "::" for all).
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;         // 0: the kernel picks one; port() says which
  unsigned threads = 0;           // 0: one per core (std::thread::hardware_concurrency)
  // RFC 6585 §5: a head over this answers 431. 8 KiB, as most servers use.
  std::size_t max_head_bytes = http::kDefaultMaxHeadBytes;
  // A connection that has not sent a complete head in this time is closed (slowloris); also how
  // long an HTTP keep-alive connection may stay idle between requests.
  std::chrono::milliseconds handshake_timeout{10'000};
  // shutdown(): how long loops wait for the 1001 closes to complete before cutting connections.
  std::chrono::milliseconds shutdown_timeout{2'000};
  int backlog = 1024;
  // TLS 1.3 under HTTP and WebSocket (https://, wss://) with this configuration; nullptr serves
  // plain ws:// and http://.
  std::shared_ptr<const tls::ServerConfig> tls{};
};

// A WebSocket route: what its connections do, and what its upgrade accepts.
struct Route {
  Behavior behavior;
  ws::ServerHandshakeOptions handshake;  // subprotocols, check_origin
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<http::Field> fields{};  // extra fields (Cache-Control...)
};
using HttpHandler = std::function<HttpResponse(const http::RequestHead&)>;

class Server {
 public:
  explicit Server(ServerOptions options = {});
  // Shuts down (if running) and waits for the threads.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Routes are matched on the request target's path, exactly. Register before start().
  void route(std::string path, Route route);
  void route(std::string path, Behavior behavior) { route(std::move(path), Route{std::move(behavior), {}}); }
  void http_route(std::string path, HttpHandler handler);

  // Binds every listening socket (the first with the requested port, the rest with the port it
  // got) and starts the threads. The error names what failed ("cannot bind 0.0.0.0:80: ...").
  Status<> start();
  // The bound port (after start()).
  std::uint16_t port() const;
  // Blocks until every loop has ended (after shutdown()).
  void wait();
  // Any thread, any number of times: stop accepting, close every WebSocket with 1001 (going
  // away) and every HTTP connection, wait up to shutdown_timeout for the closes, end the loops.
  void shutdown();
  // Installs SIGINT/SIGTERM handling (a signalfd watched by the first loop) that calls
  // shutdown(). The signals are blocked in the calling thread, so call it from the main thread
  // before creating other threads (start() blocks them in its own threads).
  void shutdown_on_signals();

  // Any thread: sends to every connection subscribed to `topic`, on every loop.
  void publish(std::string_view topic, ws::MessageType type, std::span<const std::uint8_t> data);
  void publish_text(std::string_view topic, std::string_view text);

  unsigned thread_count() const;
  EventLoop& loop(unsigned index);
  // Open connections (HTTP and WebSocket) over all loops, read without locks (approximate).
  std::size_t connection_count() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace duplex::net
