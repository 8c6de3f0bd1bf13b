// The HTTP half of Connection: request heads on the server (upgrade, plain HTTP with keep-alive,
// 404/426/431), and the connect and the 101 on the client.
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "connection.hpp"
#include "duplex/http/query.hpp"
#include "server_impl.hpp"

namespace duplex::net::detail {

// --- server ---

void Connection::process_requests() {
  if (handshake_->deferred) return;  // the hook answers first
  // Several requests may have arrived at once (pipelining): answer them in order.
  while (phase_ == Phase::handshake && !close_after_output_) {
    if (handshake_->output.size() > kHttpOutputLimit) return;  // flush() resumes
    const http::HeadScan scan = http::scan_head(handshake_->input.data(), server_->options.max_head_bytes);
    if (scan.state == http::HeadScan::State::need_more) return;
    if (scan.state == http::HeadScan::State::too_large) {
      // RFC 6585 §5.
      respond(431, "text/plain; charset=utf-8",
              "the request head is larger than " + std::to_string(server_->options.max_head_bytes) + " bytes\n",
              false);
      return;
    }
    if (!answer_request(scan.length)) return;
  }
}

bool Connection::answer_request(std::size_t head_length) {
  auto parsed = http::parse_request_head(handshake_->input.data().first(head_length));
  if (!parsed) {
    respond(parsed.error().status, "text/plain; charset=utf-8", parsed.error().message + "\n", false);
    return false;
  }
  const http::RequestHead& request = *parsed;
  const std::string_view target = request.target;
  const std::string_view path = http::target_path(target);
  const Route* route = server_->find_route(path);
  if (route && ws::is_upgrade_request(request)) {
    auto accepted = ws::accept_upgrade(request, route->handshake);
    if (!accepted) {
      handshake_->output.append(accepted.error().response);
      close_after_output_ = true;
      want_flush();
      return false;
    }
    if (const auto& hook = route->behavior.handlers.on_upgrade) {
      UpgradeDecision decision = hook(UpgradeRequest(request, *accepted, *this));
      decide_upgrade(*route, std::string(target), std::move(accepted).value(), head_length, std::move(decision));
      return false;
    }
    upgrade(*route, std::string(target), std::move(accepted).value(), head_length);
    return false;
  }
  // Plain HTTP/1.1 (RFC 9112 §9.3: persistent unless "Connection: close"; 1.0 closes).
  const bool keep_alive = request.version_minor >= 1 && !request.fields.has_token("Connection", "close");
  const bool head_only = request.method == "HEAD";
  const auto content_length = request.fields.get("Content-Length");
  if (request.fields.count("Transfer-Encoding") > 0 || (content_length && *content_length != "0")) {
    // Our routes take no bodies; reading one only to drop it would invite abuse.
    respond(413, "text/plain; charset=utf-8", "request bodies are not accepted\n", false);
    return false;
  }
  if (const HttpHandler* handler = server_->find_http_route(path)) {
    const HttpResponse response = (*handler)(request);
    respond(response.status, response.content_type, response.body, keep_alive, response.fields, head_only);
  } else if (route) {
    // RFC 9110 §15.5.22: this path speaks WebSocket only.
    const http::Field upgrade_field{"Upgrade", "websocket"};
    respond(426, "text/plain; charset=utf-8", "this path accepts WebSocket connections only\n", keep_alive,
            {&upgrade_field, 1}, head_only);
  } else {
    respond(404, "text/plain; charset=utf-8", "nothing at " + std::string(path) + "\n", keep_alive, {}, head_only);
  }
  handshake_->input.consume(head_length);
  // Keep-alive: the next request must come within the handshake timeout too.
  arm(hub.loop.now() + server_->options.handshake_timeout);
  return keep_alive;
}

void Connection::respond(int status, std::string_view content_type, std::string_view body, bool keep_alive,
                         std::span<const http::Field> fields, bool head_only) {
  http::ResponseHead head;
  head.status = status;
  head.reason = std::string(http::reason_phrase(status));
  head.fields.add("Content-Type", std::string(content_type));
  head.fields.add("Content-Length", std::to_string(body.size()));
  for (const http::Field& field : fields) head.fields.add(field.name, field.value);
  if (!keep_alive) head.fields.add("Connection", "close");
  handshake_->output.append(http::serialize(head));
  if (!head_only) handshake_->output.append(body);
  if (!keep_alive) close_after_output_ = true;
  want_flush();
}

void Connection::upgrade(const Route& route, std::string target, ws::ServerUpgrade accepted, std::size_t head_length) {
  handshake_->output.append(accepted.response);
  behavior_ = &route.behavior;
  target_ = std::move(target);
  subprotocol_ = std::move(accepted.subprotocol);
  want_flush();
  open_engine(ws::Role::server, head_length);
}

void Connection::decide_upgrade(const Route& route, std::string target, ws::ServerUpgrade accepted,
                                std::size_t head_length, UpgradeDecision decision) {
  if (std::holds_alternative<UpgradeDeferred>(decision)) {
    // Nothing more is read until the answer; the handshake timeout still runs.
    handshake_->deferred.emplace(DeferredUpgrade{&route, std::move(target), std::move(accepted), head_length});
    return;
  }
  auto cannot_send = [&](const std::string& why) {
    respond(500, "text/plain; charset=utf-8", "the upgrade hook's answer cannot be sent: " + why + "\n", false);
  };
  if (const auto* refusal = std::get_if<UpgradeRefusal>(&decision)) {
    if (refusal->status < 400 || refusal->status > 599)
      return cannot_send("a refusal's status must be 4xx or 5xx, not " + std::to_string(refusal->status));
    if (std::string why = ws::check_extra_response_fields(refusal->headers); !why.empty()) return cannot_send(why);
    respond(refusal->status, "text/plain; charset=utf-8", refusal->body, false, refusal->headers);
    return;
  }
  auto& accept = std::get<UpgradeAccept>(decision);
  if (std::string why = ws::check_extra_response_fields(accept.headers); !why.empty()) return cannot_send(why);
  if (accept.subprotocol) {
    const auto& offered = accepted.offered_subprotocols;
    // RFC 6455 §4.2.2: the server's choice is one of the client's, or none.
    if (!accept.subprotocol->empty() && std::find(offered.begin(), offered.end(), *accept.subprotocol) == offered.end())
      return cannot_send("it chose subprotocol '" + *accept.subprotocol + "', which the client did not offer");
    accepted.subprotocol = *accept.subprotocol;
  }
  accepted.response = ws::switching_protocols(accepted, accepted.subprotocol, accept.headers);
  data = std::move(accept.data);  // on_open already sees it
  upgrade(route, std::move(target), std::move(accepted), head_length);
}

void Connection::answer_deferred_upgrade(UpgradeDecision decision) {
  if (phase_ != Phase::handshake || client_ || !handshake_ || !handshake_->deferred) return;
  if (std::holds_alternative<UpgradeDeferred>(decision)) return;  // still waiting
  DeferredUpgrade deferred = std::move(*handshake_->deferred);
  handshake_->deferred.reset();
  decide_upgrade(*deferred.route, std::move(deferred.target), std::move(deferred.accepted), deferred.head_length,
                 std::move(decision));
  if (phase_ != Phase::finished && readable_) hub.want_read(*this);
}

// The handshake is done: from here on, the engine. Bytes that came after the head are its first.
void Connection::open_engine(ws::Role role, std::size_t leftover_from) {
  engine_.emplace(role, behavior_->config);
  phase_ = Phase::open;
  lifecycle_ = true;
  last_read_ = last_ping_ = hub.loop.now();
  arm_open_timer();
  WebSocket ws(*this);
  if (behavior_->handlers.on_open) behavior_->handlers.on_open(ws);
  if (phase_ == Phase::finished) return;
  const std::span<std::uint8_t> rest = handshake_->input.data().subspan(leftover_from);
  if (!rest.empty()) {
    engine_->receive(rest);
    drain_events();  // views into `rest` die here, before the buffer is released
  }
  if (!handshake_) return;
  handshake_->input.clear();
  handshake_->input.release_if_large();
  if (handshake_->output.empty()) handshake_.reset();
}

// --- client ---

void Connection::start_connect(std::vector<SocketAddress> addresses, std::string host_field, std::string target,
                               const ClientOptions& options, std::string tls_server_name) {
  if (!tls_server_name.empty()) {
    tls_client_config_ = options.tls;
    tls_server_name_ = std::move(tls_server_name);
  }
  target_ = target;
  handshake_->client.emplace(ws::ClientHandshakeOptions{
      .host = std::move(host_field), .target = std::move(target), .subprotocols = options.subprotocols,
      .origin = options.origin, .headers = options.headers});
  handshake_->addresses = std::move(addresses);
  arm(hub.loop.now() + options.handshake_timeout);
  connect_next();
}

void Connection::connect_next() {
  while (handshake_->next_address < handshake_->addresses.size()) {
    const SocketAddress address = handshake_->addresses[handshake_->next_address++];
    remote_ = address;
    const int fd = ::socket(address.any.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      handshake_->last_connect_error = error_text(errno);
      continue;
    }
    set_no_delay(fd);
    if (::connect(fd, &address.any, address.length()) != 0 && errno != EINPROGRESS) {
      handshake_->last_connect_error = error_text(errno);
      ::close(fd);
      continue;
    }
    fd_ = fd;
    phase_ = Phase::connecting;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.ptr = static_cast<IoHandler*>(this);
    epoll_ctl(hub.loop.epoll_fd(), EPOLL_CTL_ADD, fd, &event);
    return;  // EPOLLOUT says when it is done (SO_ERROR says how)
  }
  fail_before_open("cannot connect to " + remote_.to_string() + ": " + handshake_->last_connect_error);
}

void Connection::connected() {
  phase_ = Phase::handshake;
  writable_ = true;
  if (tls_client_config_) {
    auto connection = tls::Connection::client(std::move(tls_client_config_), tls_server_name_, unix_now());
    if (!connection) {
      fail_before_open("TLS: " + tls::to_string(connection.error()));
      return;
    }
    tls_ = std::make_unique<tls::Connection>(std::move(*connection));
  }
  handshake_->output.append(handshake_->client->request());
  want_flush();
}

void Connection::process_response() {
  const http::HeadScan scan = http::scan_head(handshake_->input.data(), handshake_->max_head_bytes);
  if (scan.state == http::HeadScan::State::need_more) return;
  if (scan.state == http::HeadScan::State::too_large) {
    fail_before_open("the server's response head is larger than " + std::to_string(handshake_->max_head_bytes) +
                     " bytes");
    return;
  }
  auto head = http::parse_response_head(handshake_->input.data().first(scan.length));
  if (!head) {
    fail_before_open("the server's response is not valid HTTP: " + head.error().message);
    return;
  }
  auto upgrade = handshake_->client->check_response(*head);
  if (!upgrade) {
    fail_before_open(upgrade.error().message);
    return;
  }
  subprotocol_ = std::move(upgrade->subprotocol);
  response_fields_ = std::make_unique<const http::Fields>(std::move(upgrade->fields));
  handshake_->client.reset();
  handshake_->addresses = {};
  open_engine(ws::Role::client, scan.length);
}

}  // namespace duplex::net::detail
