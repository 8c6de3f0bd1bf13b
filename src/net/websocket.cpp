// WebSocket (the handle given to handlers) and ConnectionRef (the one for other threads).
#include "duplex/net/websocket.hpp"

#include <memory>

#include "connection.hpp"
#include "duplex/http/head.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::net {

const char* to_string(SendStatus status) {
  switch (status) {
    case SendStatus::ok: return "ok";
    case SendStatus::backpressure: return "backpressure";
    case SendStatus::dropped: return "dropped";
    case SendStatus::closed: return "closed";
    case SendStatus::invalid: return "invalid";
  }
  return "unknown";
}

SendStatus WebSocket::send_text(std::string_view text) { return connection_->send(ws::MessageType::text, as_bytes(text)); }
SendStatus WebSocket::send_binary(std::span<const std::uint8_t> data) {
  return connection_->send(ws::MessageType::binary, data);
}
SendStatus WebSocket::send(ws::MessageType type, std::span<const std::uint8_t> data) {
  return connection_->send(type, data);
}
SendStatus WebSocket::send_fragment(ws::MessageType type, std::span<const std::uint8_t> data, bool first, bool fin) {
  return connection_->send_fragment(type, data, first, fin);
}
SendStatus WebSocket::ping(std::span<const std::uint8_t> payload) { return connection_->ping(payload); }
SendStatus WebSocket::close(ws::CloseCode code, std::string_view reason) { return connection_->close(code, reason); }
std::size_t WebSocket::buffered_amount() const { return connection_->buffered_amount(); }
void WebSocket::pause_reading() { connection_->pause_reading(); }
void WebSocket::resume_reading() { connection_->resume_reading(); }
bool WebSocket::reading_paused() const { return connection_->reading_paused(); }

void WebSocket::subscribe(std::string_view topic) {
  // A finished connection has left every topic for good.
  if (connection_->phase() == detail::Connection::Phase::finished) return;
  connection_->hub.subscribe(*connection_, topic);
}
void WebSocket::unsubscribe(std::string_view topic) { connection_->hub.unsubscribe(*connection_, topic); }

const ConnectionData& WebSocket::connection_data() const { return connection_->data; }
void WebSocket::set_data(ConnectionData data) { connection_->data = std::move(data); }
std::string WebSocket::remote_address() const { return connection_->remote().to_string(); }
std::string_view WebSocket::subprotocol() const { return connection_->subprotocol(); }
std::string_view WebSocket::path() const { return connection_->path(); }
std::string_view WebSocket::query() const { return connection_->query(); }
const http::Fields* WebSocket::response_headers() const { return connection_->response_fields(); }

std::vector<ws::Extension> WebSocket::extensions() const {
  // A server accepts no extension yet: its 101 never names one (ws::accept_upgrade, and the hook
  // cannot add the field). A client's 101 passed ClientHandshake::check_response.
  const http::Fields* fields = connection_->response_fields();
  const auto value = fields ? fields->get("Sec-WebSocket-Extensions") : std::nullopt;
  if (!value) return {};
  auto extensions = ws::parse_extensions(*value);
  return extensions ? std::move(extensions).value() : std::vector<ws::Extension>{};
}

const tls::HandshakeSummary* WebSocket::tls() const {
  return connection_->tls() ? &connection_->tls()->summary() : nullptr;
}
bool WebSocket::closing() const { return connection_->closing(); }
ConnectionRef WebSocket::ref() const { return {&connection_->hub.loop, connection_->id}; }
EventLoop& WebSocket::loop() const { return connection_->hub.loop; }

// --- ConnectionRef: everything goes through the loop's queue, so calls keep their order ---

namespace {
// The contract: once on_close has run, nothing posted through a ref reaches the connection, even
// while it still lingers for the peer's FIN.
detail::Connection* find_live(EventLoop* loop, std::uint64_t id) {
  detail::Connection* connection = loop->hub().find(id);
  return connection && !connection->close_notified() ? connection : nullptr;
}
}  // namespace

void ConnectionRef::post(std::function<void(WebSocket&)> task) const {
  if (!loop_) return;
  loop_->post([loop = loop_, id = id_, task = std::move(task)] {
    if (detail::Connection* connection = find_live(loop, id)) {
      WebSocket ws(*connection);
      task(ws);
    }
  });
}

void ConnectionRef::send_text(std::string text) const {
  if (!loop_) return;
  loop_->post([loop = loop_, id = id_, text = std::move(text)] {
    if (detail::Connection* connection = find_live(loop, id)) connection->send(ws::MessageType::text, as_bytes(text));
  });
}

void ConnectionRef::send_binary(std::vector<std::uint8_t> data) const {
  if (!loop_) return;
  loop_->post([loop = loop_, id = id_, data = std::move(data)] {
    if (detail::Connection* connection = find_live(loop, id)) connection->send(ws::MessageType::binary, data);
  });
}

void ConnectionRef::send(ws::MessageType type, std::span<const std::uint8_t> data) const {
  if (!loop_) return;
  loop_->post([loop = loop_, id = id_, type, data = std::vector<std::uint8_t>(data.begin(), data.end())] {
    if (detail::Connection* connection = find_live(loop, id)) connection->send(type, data);
  });
}

SendStatus ConnectionRef::close(ws::CloseCode code, std::string reason) const {
  if (!ws::can_send_close(code, reason)) return SendStatus::invalid;
  if (!loop_) return SendStatus::closed;
  loop_->post([loop = loop_, id = id_, code, reason = std::move(reason)] {
    if (detail::Connection* connection = find_live(loop, id)) (void)connection->close(code, reason);
  });
  return SendStatus::ok;
}

}  // namespace duplex::net
