// The upgrade hook: a route's Handlers::on_upgrade sees each WebSocket request after RFC 6455's
// own checks and before the 101, on the connection's loop, and decides: accept (choosing the
// subprotocol, adding fields such as Set-Cookie), refuse with an HTTP status, fields and a body
// (401 for a missing token), or defer and answer later from any thread (an auth service's
// reply), still within ServerOptions::handshake_timeout.
//
//   behavior.handlers.on_upgrade = [](const net::UpgradeRequest& request) -> net::UpgradeDecision {
//     if (request.cookie("session") == std::optional<std::string_view>("s3cret"))
//       return net::UpgradeAccept{.headers = {{"Set-Cookie", "seen=1"}}};
//     return net::UpgradeRefusal{.status = 401, .body = "log in first\n"};
//   };
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "duplex/http/head.hpp"
#include "duplex/net/connection_data.hpp"

namespace duplex::tls {
struct HandshakeSummary;  // duplex/tls/connection.hpp
}  // namespace duplex::tls
namespace duplex::ws {
struct ServerUpgrade;  // duplex/ws/handshake.hpp
}  // namespace duplex::ws

namespace duplex::net {

class EventLoop;
namespace detail {
class Connection;
}

struct UpgradeAccept {
  // nullopt: the route's choice (ws::ServerHandshakeOptions::subprotocols); "": none; otherwise
  // one the client offered (UpgradeRequest::subprotocols()), or the upgrade fails with 500.
  std::optional<std::string> subprotocol{};
  // Added to the 101 (Set-Cookie...). Fields the handshake writes itself fail it with 500.
  std::vector<http::Field> headers{};
  // The connection's own state from the start (ws.data<T>() in on_open and after).
  ConnectionData data{};
};

struct UpgradeRefusal {
  int status = 403;                   // 401, 403, 429, 503...
  std::string body{};                 // sent as text/plain
  std::vector<http::Field> headers{};  // WWW-Authenticate, Retry-After...
};

// The hook kept UpgradeRequest::defer()'s handle and will answer through it.
struct UpgradeDeferred {};

using UpgradeDecision = std::variant<UpgradeAccept, UpgradeRefusal, UpgradeDeferred>;

// A deferred upgrade, answered from any thread. The first answer counts; an answer after the
// connection ended (the peer left, or handshake_timeout passed) is ignored.
class PendingUpgrade {
 public:
  PendingUpgrade() = default;
  void accept(UpgradeAccept accept = {}) const;
  void refuse(UpgradeRefusal refusal) const;

 private:
  friend class UpgradeRequest;
  PendingUpgrade(EventLoop* loop, std::uint64_t id) : loop_(loop), id_(id) {}
  EventLoop* loop_ = nullptr;
  std::uint64_t id_ = 0;
};

// A read-only view of the request, valid during the hook's call only.
class UpgradeRequest {
 public:
  UpgradeRequest(const http::RequestHead& head, const ws::ServerUpgrade& upgrade, detail::Connection& connection)
      : head_(head), upgrade_(upgrade), connection_(connection) {}

  std::string_view method() const { return head_.method; }
  std::string_view target() const { return head_.target; }  // "/chat?room=1"
  std::string_view path() const;                            // "/chat"
  std::string_view query() const;                           // "room=1"
  // The first value of a query parameter, percent-decoded (duplex/http/query.hpp).
  std::optional<std::string> query_parameter(std::string_view name) const;
  // A field by name, case-insensitively; repeated fields joined with ", ".
  std::optional<std::string> header(std::string_view name) const { return head_.fields.get(name); }
  const http::Fields& headers() const { return head_.fields; }
  // A cookie by name from the Cookie fields (duplex/http/cookie.hpp).
  std::optional<std::string_view> cookie(std::string_view name) const;
  // The subprotocols the client offered, in its order.
  const std::vector<std::string>& subprotocols() const;
  std::string remote_address() const;
  // Over TLS: what was negotiated, and with mTLS the client's certificates (peer_certificates,
  // DER, end-entity first); nullptr over plain TCP.
  const tls::HandshakeSummary* tls() const;
  // A handle to answer later, from any thread; return UpgradeDeferred{} from the hook.
  PendingUpgrade defer() const;

 private:
  const http::RequestHead& head_;
  const ws::ServerUpgrade& upgrade_;
  detail::Connection& connection_;
};

}  // namespace duplex::net
