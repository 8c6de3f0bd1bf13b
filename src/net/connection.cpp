// The I/O and WebSocket half of Connection; the HTTP heads are in connection_handshake.cpp.
#include "connection.hpp"

#include <sys/epoll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "duplex/util/asan.hpp"
#include "server_impl.hpp"

namespace duplex::net::detail {

namespace {

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <typename... F>
Overloaded(F...) -> Overloaded<F...>;

// How long an HTTP connection that answered "close" waits for the peer's FIN (lingering close:
// closing with unread input would reset the connection and could destroy the response).
constexpr auto kHttpLinger = std::chrono::seconds(2);
// Reads per connection per iteration before the others get their turn.
constexpr int kReadsPerIteration = 4;

}  // namespace

Connection::Connection(Hub& hub, int fd, const SocketAddress& remote, const Server::Impl& server,
                       std::unique_ptr<tls::Connection> tls)
    : hub(hub), fd_(fd), phase_(Phase::handshake), writable_(true), server_(&server),
      handshake_(std::make_unique<HandshakeState>()), tls_(std::move(tls)), remote_(remote) {
  fire = &Connection::on_timer_entry;
  arm(hub.loop.now() + server.options.handshake_timeout);
}

std::int64_t unix_now() { return unix_now_ms() / 1000; }

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Connection::Connection(Hub& hub, std::unique_ptr<const Behavior> behavior, const ClientOptions& options)
    : hub(hub), phase_(Phase::connecting), client_(true), lifecycle_(true), behavior_(behavior.get()),
      own_behavior_(std::move(behavior)), handshake_(std::make_unique<HandshakeState>()) {
  fire = &Connection::on_timer_entry;
  handshake_->max_head_bytes = options.max_head_bytes;
}

Connection::~Connection() {
  hub.timers.cancel(*this);
  if (fd_ >= 0) ::close(fd_);
  if (topic_count > 0) hub.unsubscribe_all(*this);
}

void Connection::arm(Clock::time_point when) { hub.timers.schedule(*this, when); }

void Connection::on_timer_entry(TimerEntry& entry) { static_cast<Connection&>(entry).on_timer(); }

// --- reading ---

void Connection::on_io(std::uint32_t events) {
  if (phase_ == Phase::finished) return;
  if (phase_ == Phase::connecting) {
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0 || (events & (EPOLLERR | EPOLLHUP))) {
      handshake_->last_connect_error = error_text(error != 0 ? error : ECONNREFUSED);
      ::close(fd_);
      fd_ = -1;
      connect_next();
      return;
    }
    connected();
  }
  if ((events & EPOLLOUT) && !writable_) {
    writable_ = true;
    if (buffered_amount() > 0) want_flush();
  }
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    readable_ = true;
    if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) peer_hung_up_ = true;
    read_available();
  }
}

void Connection::read_available() {
  if (!readable_ || read_paused_ || backpressure_paused_ || fd_ < 0 || phase_ == Phase::finished ||
      phase_ == Phase::connecting)
    return;
  if (phase_ == Phase::handshake && handshake_->output.size() > kHttpOutputLimit) return;
  if (phase_ == Phase::handshake && handshake_->deferred) return;  // the upgrade hook answers first
  const std::span<std::uint8_t> buffer = hub.receive_buffer();
  for (int i = 0; i < kReadsPerIteration; ++i) {
    asan_unpoison(buffer);  // ASan builds: poisoned once the previous read was handled
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n > 0) {
      handle_transport_bytes(buffer.first(static_cast<std::size_t>(n)));
      // Everything in the buffer is dead now: the engine and TLS copied aside what they keep, and
      // every Message view into it has expired. An ASan build reports a view kept past this.
      asan_poison(buffer);
      if (phase_ == Phase::finished || read_paused_ || backpressure_paused_) return;
      // Edge-triggered: a short read emptied the socket, and new bytes raise a new edge.
      if (static_cast<std::size_t>(n) < buffer.size() && !peer_hung_up_) {
        readable_ = false;
        return;
      }
      continue;
    }
    if (n == 0) {
      readable_ = false;
      handle_eof();
      return;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      readable_ = false;
      return;
    }
    transport_failed(error_text(errno));
    return;
  }
  hub.want_read(*this);  // more to read: after the other connections had their turn
}

void Connection::handle_transport_bytes(std::span<std::uint8_t> bytes) {
  if (!tls_) {
    handle_bytes(bytes);
    return;
  }
  // Records are decrypted in the loop's buffer; application data stays there. The wall clock goes
  // with them (certificate times, ticket ages).
  tls_->receive(bytes, unix_now_ms());
  drain_tls();
}

void Connection::drain_tls() {
  while (phase_ != Phase::finished) {
    std::optional<tls::Event> event = tls_->next_event();
    if (!event) break;
    if (auto* data = std::get_if<tls::ApplicationData>(&*event)) {
      handle_bytes(data->data);
    } else if (std::holds_alternative<tls::CloseNotify>(*event)) {
      // RFC 8446 §6.1: the peer will send nothing more, as if its TCP side had ended.
      handle_eof();
    } else if (std::holds_alternative<tls::Failure>(*event)) {
      // Our alert goes out before the socket closes (best effort: one non-blocking write).
      (void)flush_tls();
      const std::string message = "TLS: " + tls::to_string(*event);
      if (phase_ == Phase::handshake && client_)
        fail_before_open(message);
      else
        transport_failed(message);
      return;
    }
    // HandshakeComplete: a client's HTTP request was waiting for it; PeerKeyUpdate: our answer
    // is queued. Both only need a flush.
  }
  // A client's HTTP request waits above TLS until the handshake completes.
  if (phase_ != Phase::finished && buffered_amount() > 0) want_flush();
}

void Connection::handle_bytes(std::span<std::uint8_t> bytes) {
  switch (phase_) {
    case Phase::handshake:
      if (close_after_output_) return;  // answered with an error: the rest is not read
      handshake_->input.append(bytes);
      if (client_)
        process_response();
      else
        process_requests();
      return;
    case Phase::open:
    case Phase::closing:
      last_read_ = hub.loop.now();
      engine_->receive(bytes);
      drain_events();
      return;
    default:
      return;  // lingering: discarded
  }
}

void Connection::handle_eof() {
  switch (phase_) {
    case Phase::handshake:
      if (client_)
        fail_before_open("the server closed the connection during the handshake");
      else
        finish(ws::CloseCode::abnormal_closure, {});
      return;
    case Phase::open:
    case Phase::closing:
      engine_->receive_eof();
      drain_events();
      if (phase_ == Phase::finished) return;
      flush();  // whatever the peer may still read (its write side only may be shut)
      finish(ws::CloseCode::abnormal_closure, "the connection ended before the close handshake");
      return;
    default:
      finish(ws::CloseCode::abnormal_closure, {});
      return;
  }
}

void Connection::drain_events() {
  WebSocket ws(*this);
  const Handlers& handlers = behavior_->handlers;
  while (phase_ != Phase::finished) {
    std::optional<ws::Event> event = engine_->next_event();
    if (!event) break;
    std::visit(Overloaded{
                   [&](const ws::Message& message) {
                     if (handlers.on_message) handlers.on_message(ws, message);
                     expire_view(message.payload);
                   },
                   [&](const ws::Ping& ping) {  // the engine queued the pong
                     if (handlers.on_ping) handlers.on_ping(ws, ping.payload);
                   },
                   [&](const ws::Pong& pong) {
                     if (handlers.on_pong) handlers.on_pong(ws, pong.payload);
                   },
                   [&](const ws::CloseReceived& close) { notify_close(close.code, close.reason); },
                   [&](const ws::Failure& failure) {
                     notify_error(failure.message);
                     notify_close(failure.code, failure.message);
                   },
               },
               *event);
  }
  if (phase_ == Phase::finished) return;
  if (phase_ == Phase::open && engine_->input_closed()) {
    phase_ = Phase::closing;
    arm(hub.loop.now() + behavior_->close_timeout);
  }
  engine_->release_idle_memory();
  // Whatever filled the output (echoes, the pongs of a ping flood), a peer that does not read
  // what it is sent is not read from until the output drains below the low watermark.
  if (buffered_amount() > behavior_->high_watermark) {
    above_high_ = true;
    backpressure_paused_ = true;
  }
  if (buffered_amount() > 0)
    want_flush();
  else
    after_output();
}

// ASan builds: a received message's bytes are valid during on_message only (websocket.hpp).
// Those in the loop's buffer are poisoned as soon as the handler returns (ws::Engine poisons its
// own); the rest of the buffer, still being parsed, stays as it is until the read is handled.
void Connection::expire_view(std::span<const std::uint8_t> bytes) {
  if constexpr (kAsanBuild) {
    const std::span<const std::uint8_t> buffer = hub.receive_buffer();
    const auto at = reinterpret_cast<std::uintptr_t>(bytes.data());
    const auto start = reinterpret_cast<std::uintptr_t>(buffer.data());
    if (at >= start && at + bytes.size() <= start + buffer.size()) asan_poison(bytes);
  }
}

// --- writing ---

void Connection::flush() {
  if (fd_ < 0 || !writable_ || phase_ == Phase::finished || phase_ == Phase::connecting) return;
  if (!(tls_ ? flush_tls() : flush_plain())) return;
  flush_done();
}

bool Connection::flush_tls() {
  if (tls_->can_send()) {
    // Everything waiting at once, so records are full (2^14 bytes) rather than one per message.
    if (handshake_ && !handshake_->output.empty()) {
      if (auto sent = tls_->send(handshake_->output.data()); !sent) {
        transport_failed("TLS: " + sent.error().message);
        return false;
      }
      handshake_->output.consume(handshake_->output.size());
    }
    if (engine_ && engine_->buffered_amount() > 0) {
      const auto bytes = engine_->pending_output();
      if (auto sent = tls_->send(bytes); !sent) {
        transport_failed("TLS: " + sent.error().message);
        return false;
      }
      engine_->consume_output(bytes.size());
    }
  }
  while (!tls_->pending_output().empty()) {
    const auto bytes = tls_->pending_output();
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        writable_ = false;
        return true;
      }
      transport_failed(error_text(errno));
      return false;
    }
    tls_->consume_output(static_cast<std::size_t>(n));
  }
  return true;
}

bool Connection::flush_plain() {
  for (;;) {
    iovec iov[2];
    int count = 0;
    if (handshake_ && !handshake_->output.empty()) {
      auto bytes = handshake_->output.data();
      iov[count++] = {bytes.data(), bytes.size()};
    }
    if (engine_ && engine_->buffered_amount() > 0) {
      auto bytes = engine_->pending_output();
      iov[count++] = {const_cast<std::uint8_t*>(bytes.data()), bytes.size()};
    }
    if (count == 0) break;
    msghdr message{};
    message.msg_iov = iov;
    message.msg_iovlen = static_cast<std::size_t>(count);
    // MSG_NOSIGNAL: a peer that went away is an error value here, not a SIGPIPE.
    const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        writable_ = false;  // EPOLLOUT will come
        break;
      }
      transport_failed(error_text(errno));
      return false;
    }
    auto written = static_cast<std::size_t>(n);
    if (handshake_ && !handshake_->output.empty()) {
      const std::size_t part = std::min(written, handshake_->output.size());
      handshake_->output.consume(part);
      written -= part;
    }
    if (written > 0) engine_->consume_output(written);
  }
  return true;
}

void Connection::flush_done() {
  if (tls_ && tls_->pending_output().empty()) tls_->release_idle_memory();
  if (phase_ == Phase::handshake && !client_ && handshake_->output.size() <= kHttpOutputLimit) {
    // Requests held back while the answers piled up: go on with them.
    if (!handshake_->input.empty() && !close_after_output_) process_requests();
    if (readable_) hub.want_read(*this);
    if (phase_ == Phase::finished) return;
  }
  if (handshake_) {
    if (engine_ && handshake_->output.empty()) {
      handshake_.reset();  // the 101 is out: an open connection keeps no handshake state
    } else {
      handshake_->output.release_if_large(4096);
      handshake_->input.release_if_large(4096);
    }
  }
  if (engine_) {
    engine_->release_idle_memory();
    // Everything queued counts, the TLS records too: with TLS the engine's output is handed to
    // the records at each flush, so the engine alone would look drained at once.
    if (above_high_ && buffered_amount() < behavior_->low_watermark) {
      above_high_ = false;
      if (backpressure_paused_) {
        backpressure_paused_ = false;
        if (readable_) hub.want_read(*this);
      }
      WebSocket ws(*this);
      if (behavior_->handlers.on_drained && lifecycle_ && !close_notified_) behavior_->handlers.on_drained(ws);
    }
  }
  if (phase_ != Phase::finished && buffered_amount() == 0) after_output();
}

// Everything queued is written: time to close the transport, if the exchange is over.
void Connection::after_output() {
  if (phase_ == Phase::handshake && close_after_output_) {
    begin_linger(true);
    return;
  }
  if ((phase_ == Phase::open || phase_ == Phase::closing) && engine_->input_closed()) {
    // RFC 6455 §7.1.1: the server closes the TCP connection first; the client waits for it.
    const bool wait_for_server = client_ && engine_->close_received();
    begin_linger(!wait_for_server);
  }
}

void Connection::begin_linger(bool shut_write) {
  if (shut_write && tls_) {
    // RFC 8446 §6.1: close_notify before closing the write side (best effort: the peer may be gone).
    tls_->send_close_notify();
    if (!flush_tls()) return;
  }
  if (shut_write) ::shutdown(fd_, SHUT_WR);
  if (hub.draining) {  // shutting down: the exchange is over, do not wait for the FIN
    finish(ws::CloseCode::abnormal_closure, {});
    return;
  }
  phase_ = Phase::lingering;
  read_paused_ = false;
  backpressure_paused_ = false;
  arm(hub.loop.now() + (behavior_ ? std::chrono::duration_cast<Clock::duration>(behavior_->close_timeout)
                                  : std::chrono::duration_cast<Clock::duration>(kHttpLinger)));
  if (readable_) hub.want_read(*this);
}

// --- the WebSocket API ---

std::size_t Connection::buffered_amount() const {
  return (engine_ ? engine_->buffered_amount() : 0) + (handshake_ ? handshake_->output.size() : 0) +
         (tls_ ? tls_->pending_output().size() : 0);
}

static SendStatus status_of(ws::SendResult result) {
  switch (result) {
    case ws::SendResult::ok: return SendStatus::ok;
    case ws::SendResult::closed: return SendStatus::closed;
    default: return SendStatus::invalid;
  }
}

template <typename Write>
SendStatus Connection::send_data(std::size_t size, Write write) {
  if (phase_ != Phase::open) return SendStatus::closed;
  const std::size_t queued = buffered_amount();
  const bool over = queued + size > behavior_->high_watermark;
  if (over) {
    above_high_ = true;
    switch (behavior_->on_high_watermark) {
      case BackpressurePolicy::drop:
        return SendStatus::dropped;
      case BackpressurePolicy::close:
        close(behavior_->backpressure_close_code, "too much output waiting (backpressure)");
        return SendStatus::closed;
      case BackpressurePolicy::wait:
        // Past the ceiling, a peer that reads nothing while others keep sending to it (a room it
        // subscribed to) is closed: memory stays bounded whatever the application does.
        if (queued > behavior_->high_watermark && queued + size > behavior_->backpressure_limit) {
          close(behavior_->backpressure_close_code, "the peer does not read what it is sent (backpressure limit)");
          return SendStatus::closed;
        }
        // Stop reading from this peer until its output drains below the low watermark: a peer
        // that sends without reading (an echo) is held back by TCP, not queued for.
        backpressure_paused_ = true;
        break;
    }
  }
  const SendStatus status = status_of(write());
  if (status != SendStatus::ok) return status;
  want_flush();
  return over ? SendStatus::backpressure : SendStatus::ok;
}

SendStatus Connection::send(ws::MessageType type, std::span<const std::uint8_t> data) {
  return send_data(data.size(), [&] { return engine_->send(type, data); });
}

SendStatus Connection::send_fragment(ws::MessageType type, std::span<const std::uint8_t> data, bool first, bool fin) {
  return send_data(data.size(), [&] { return engine_->send_fragment(type, data, first, fin); });
}

SendStatus Connection::ping(std::span<const std::uint8_t> payload) {
  if (phase_ != Phase::open) return SendStatus::closed;
  const SendStatus status = status_of(engine_->send_ping(payload));
  if (status == SendStatus::ok) want_flush();
  return status;
}

SendStatus Connection::close(ws::CloseCode code, std::string_view reason) {
  // A code not allowed on the wire (1004-1006, 1015...), or a reason over 123 bytes or not UTF-8,
  // is refused, never rewritten: the caller learns at once, and nothing is sent.
  if (!ws::can_send_close(code, reason)) return SendStatus::invalid;
  if (client_ && (phase_ == Phase::connecting || phase_ == Phase::handshake)) {
    finish(ws::CloseCode::abnormal_closure, "closed before the handshake completed");
    return SendStatus::ok;
  }
  if (phase_ != Phase::open) return SendStatus::closed;
  (void)engine_->send_close(code, reason);
  phase_ = Phase::closing;
  arm(hub.loop.now() + behavior_->close_timeout);
  want_flush();
  return SendStatus::ok;
}

void Connection::pause_reading() {
  if (phase_ == Phase::open || phase_ == Phase::closing) read_paused_ = true;
}

void Connection::resume_reading() {
  if (!read_paused_) return;
  read_paused_ = false;
  if (readable_) hub.want_read(*this);
}

// --- timers and endings ---

void Connection::on_timer() {
  switch (phase_) {
    case Phase::connecting:
      fail_before_open("connecting to " + remote_.to_string() + " timed out");
      return;
    case Phase::handshake:
      if (client_)
        fail_before_open("the server did not complete the handshake in time");
      else
        finish(ws::CloseCode::abnormal_closure, {});  // a slow or idle HTTP peer
      return;
    case Phase::open: {
      const Behavior& b = *behavior_;
      const Clock::time_point now = hub.loop.now();
      const auto idle = b.idle_timeout.count() > 0 ? b.idle_timeout : 2 * b.ping_interval;
      if (idle.count() > 0 && now - last_read_ >= idle) {
        close(ws::CloseCode::going_away, "idle timeout");
        return;
      }
      if (b.ping_interval.count() > 0 && now - std::max(last_read_, last_ping_) >= b.ping_interval) {
        (void)engine_->send_ping();
        last_ping_ = now;
        want_flush();
      }
      arm_open_timer();
      return;
    }
    case Phase::closing:
      notify_error("the peer did not complete the close handshake in time");
      finish(ws::CloseCode::abnormal_closure, "the peer did not complete the close handshake in time");
      return;
    case Phase::lingering:
      finish(ws::CloseCode::abnormal_closure, {});
      return;
    case Phase::finished:
      return;
  }
}

void Connection::arm_open_timer() {
  const Behavior& b = *behavior_;
  const auto idle = b.idle_timeout.count() > 0 ? b.idle_timeout : 2 * b.ping_interval;
  std::optional<Clock::time_point> when;
  if (idle.count() > 0) when = last_read_ + idle;
  if (b.ping_interval.count() > 0) {
    const Clock::time_point ping_at = std::max(last_read_, last_ping_) + b.ping_interval;
    if (!when || ping_at < *when) when = ping_at;
  }
  if (when)
    arm(*when);
  else
    hub.timers.cancel(*this);
}

void Connection::go_away() {
  switch (phase_) {
    case Phase::open:
      close(ws::CloseCode::going_away, "the server is shutting down");
      return;
    case Phase::connecting:
      fail_before_open("shutting down");
      return;
    case Phase::handshake:
      if (client_)
        fail_before_open("shutting down");
      else
        finish(ws::CloseCode::abnormal_closure, {});
      return;
    case Phase::lingering:
      finish(ws::CloseCode::abnormal_closure, {});  // the exchange is over; no need to wait
      return;
    default:
      return;  // already closing
  }
}

void Connection::abort(std::string_view why) { finish(ws::CloseCode::abnormal_closure, why); }

void Connection::transport_failed(std::string_view message) {
  notify_error(message);
  finish(ws::CloseCode::abnormal_closure, message);
}

void Connection::fail_before_open(std::string message) {
  notify_error(message);
  finish(ws::CloseCode::abnormal_closure, message);
}

void Connection::notify_error(std::string_view message) {
  if (!lifecycle_ || close_notified_ || !behavior_->handlers.on_error) return;
  WebSocket ws(*this);
  behavior_->handlers.on_error(ws, message);
}

void Connection::notify_close(ws::CloseCode code, std::string_view reason) {
  if (!lifecycle_ || close_notified_) return;
  close_notified_ = true;
  if (!behavior_->handlers.on_close) return;
  WebSocket ws(*this);
  behavior_->handlers.on_close(ws, code, reason);
}

void Connection::finish(ws::CloseCode code, std::string_view reason) {
  if (phase_ == Phase::finished) return;
  phase_ = Phase::finished;  // before the handler: sends from on_close return closed
  hub.timers.cancel(*this);
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (topic_count > 0) hub.unsubscribe_all(*this);
  notify_close(code, reason);
  hub.retire(*this);
}

}  // namespace duplex::net::detail
