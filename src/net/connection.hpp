// Connection: one TCP connection of a loop, from accept (or connect) to close. It reads the HTTP
// head (server) or the 101 (client), then drives a ws::Engine: bytes from the loop's receive
// buffer go to engine.receive(), events go to the route's handlers, sends append to the engine's
// output, and the loop flushes that output once per iteration.
//
// Lifecycle (phase_):
//   connecting ─► handshake ─► open ─► closing ─► lingering ─► finished
//   (client)      (HTTP heads)  (ws)   (close sent,  (output written, write side shut,
//                                       waiting)      waiting for the peer's FIN, bounded)
// Memory: an open idle connection is this object (engine inline) and nothing on the heap; the
// handshake buffers live in `handshake_` and are freed once the 101 is written.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "duplex/http/query.hpp"
#include "duplex/net/client.hpp"
#include "duplex/net/server.hpp"
#include "duplex/net/websocket.hpp"
#include "duplex/tls/connection.hpp"
#include "duplex/util/byte_buffer.hpp"
#include "duplex/ws/engine.hpp"
#include "duplex/ws/handshake.hpp"
#include "hub.hpp"
#include "socket_address.hpp"
#include "timer_wheel.hpp"

namespace duplex::net::detail {

// An HTTP peer that pipelines requests without reading the answers stops being read (and its
// requests stop being answered) once this much output waits.
inline constexpr std::size_t kHttpOutputLimit = 1024 * 1024;

// An upgrade the route's hook deferred: what completing it needs.
struct DeferredUpgrade {
  const Route* route;
  std::string target;
  ws::ServerUpgrade accepted;
  std::size_t head_length;
};

// What only the handshake needs; freed when the connection opens (or, for plain HTTP, kept with
// empty buffers between keep-alive requests).
struct HandshakeState {
  ByteBuffer input;   // bytes of the head (and whatever came after it)
  ByteBuffer output;  // HTTP responses, the 101, the client's request
  // Client only.
  std::optional<ws::ClientHandshake> client;
  std::vector<SocketAddress> addresses;  // resolved, tried in order
  std::size_t next_address = 0;
  std::size_t max_head_bytes = 0;
  std::string last_connect_error;
  // Server only: nothing more is read or answered until PendingUpgrade answers.
  std::optional<DeferredUpgrade> deferred;
};

// Seconds since the Unix epoch: the time TLS checks certificates against.
std::int64_t unix_now();
std::int64_t unix_now_ms();

class Connection final : public IoHandler, private TimerEntry {
 public:
  enum class Phase : std::uint8_t { connecting, handshake, open, closing, lingering, finished };

  // Server side: an accepted socket, with its TLS state when the server speaks TLS (the listener
  // closes a socket whose TLS state cannot be made: it is never served in clear).
  Connection(Hub& hub, int fd, const SocketAddress& remote, const Server::Impl& server,
             std::unique_ptr<tls::Connection> tls);
  // Client side: connect() fills in the rest.
  Connection(Hub& hub, std::unique_ptr<const Behavior> behavior, const ClientOptions& options);
  ~Connection();

  void on_io(std::uint32_t epoll_events) override;
  static void on_timer_entry(TimerEntry& entry);

  // --- the WebSocket API (loop thread) ---
  SendStatus send(ws::MessageType type, std::span<const std::uint8_t> data);
  SendStatus send_fragment(ws::MessageType type, std::span<const std::uint8_t> data, bool first, bool fin);
  SendStatus ping(std::span<const std::uint8_t> payload);
  SendStatus close(ws::CloseCode code, std::string_view reason);
  std::size_t buffered_amount() const;
  void pause_reading();
  void resume_reading();
  bool reading_paused() const { return read_paused_; }
  bool closing() const { return phase_ != Phase::open; }

  // --- for the hub and the front ends ---
  void read_available();  // a deferred read (cap reached, or resume_reading)
  void flush();
  // Server shutdown: WebSockets get `code`, connections still in their handshake are cut.
  void go_away();
  // The end of the bounded wait: cut whatever is left (on_close 1006).
  void abort(std::string_view why);
  // Client: start connecting to the resolved addresses (or fail with `error`).
  void start_connect(std::vector<SocketAddress> addresses, std::string target_host, std::string request_target,
                     const ClientOptions& options, std::string tls_server_name = {});
  void fail_before_open(std::string message);

  std::uint64_t id = 0;
  Hub& hub;
  ConnectionData data;  // the application's (WebSocket::data<T>())
  std::uint16_t topic_count = 0;
  bool in_flush_list = false;
  bool in_read_list = false;

  const SocketAddress& remote() const { return remote_; }
  std::string_view subprotocol() const { return subprotocol_; }
  std::string_view path() const { return http::target_path(target_); }
  std::string_view query() const { return http::target_query(target_); }
  const http::Fields* response_fields() const { return response_fields_.get(); }
  // PendingUpgrade's answer, on the loop: ignored unless an upgrade is deferred.
  void answer_deferred_upgrade(UpgradeDecision decision);
  Phase phase() const { return phase_; }
  // on_close has run: ConnectionRef tasks no longer reach the connection.
  bool close_notified() const { return close_notified_; }
  WebSocket handle() { return WebSocket(*this); }
  // TLS under HTTP and WebSocket: a server's from accept, a client's once TCP connects.
  const tls::Connection* tls() const { return tls_.get(); }

 private:
  // Bytes off the socket: through TLS when there is TLS, then handle_bytes.
  void handle_transport_bytes(std::span<std::uint8_t> bytes);
  void drain_tls();
  // Plaintext waiting above TLS goes into records, then the records to the socket.
  bool flush_tls();
  bool flush_plain();
  void flush_done();  // what follows a write: releasing buffers, on_drained, closing
  void handle_bytes(std::span<std::uint8_t> bytes);
  void handle_eof();
  void process_requests();                     // server handshake phase
  bool answer_request(std::size_t head_length);  // false: stop processing input
  void respond(int status, std::string_view content_type, std::string_view body, bool keep_alive,
               std::span<const http::Field> fields = {}, bool head_only = false);
  void upgrade(const Route& route, std::string target, ws::ServerUpgrade accepted, std::size_t head_length);
  // The hook's decision (or the deferred one's answer): the 101, a refusal, or waiting.
  void decide_upgrade(const Route& route, std::string target, ws::ServerUpgrade accepted, std::size_t head_length,
                      UpgradeDecision decision);
  void process_response();                     // client handshake phase
  void connect_next();
  void connected();
  void open_engine(ws::Role role, std::size_t leftover_from);
  void drain_events();
  void expire_view(std::span<const std::uint8_t> bytes);  // a Message's bytes, after on_message
  void after_output();
  void begin_linger(bool shut_write);
  void finish(ws::CloseCode code, std::string_view reason);
  void notify_close(ws::CloseCode code, std::string_view reason);
  void notify_error(std::string_view message);
  void on_timer();
  void transport_failed(std::string_view message);
  void connect_to(const SocketAddress& address);
  void arm_open_timer();
  void arm(Clock::time_point when);
  void want_flush() { hub.want_flush(*this); }
  // send and send_fragment: the backpressure policy for `size` more bytes, then `write` (the
  // engine's call) unless the policy refused them.
  template <typename Write>
  SendStatus send_data(std::size_t size, Write write);

  int fd_ = -1;
  Phase phase_ = Phase::handshake;
  bool client_ = false;
  bool readable_ = false;         // edge-triggered: data may be waiting
  bool peer_hung_up_ = false;     // EPOLLRDHUP seen: read on to the end of file
  bool writable_ = false;         // edge-triggered: the last write did not hit EAGAIN
  bool read_paused_ = false;          // by the application (pause_reading)
  bool backpressure_paused_ = false;  // by policy wait, until the output drains below low_watermark
  bool above_high_ = false;       // passed the high watermark; on_drained is owed
  bool close_after_output_ = false;  // HTTP: "Connection: close", an error status
  bool lifecycle_ = false;        // on_close is owed (a WebSocket, or a client from the start)
  bool close_notified_ = false;
  const Server::Impl* server_ = nullptr;
  const Behavior* behavior_ = nullptr;
  std::unique_ptr<const Behavior> own_behavior_;  // a client's
  std::unique_ptr<HandshakeState> handshake_;
  std::optional<ws::Engine> engine_;
  std::unique_ptr<tls::Connection> tls_;
  std::shared_ptr<const tls::ClientConfig> tls_client_config_;  // a wss:// client until TCP connects
  std::string tls_server_name_;
  Clock::time_point last_read_;
  Clock::time_point last_ping_;
  SocketAddress remote_{};
  std::string target_;  // the request target: path and query
  std::string subprotocol_;
  std::unique_ptr<const http::Fields> response_fields_;  // a client's: the 101's fields
};

}  // namespace duplex::net::detail
