// The RFC 6455 §4 opening handshake: src/http parses the heads, this file decides.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/http/head.hpp"
#include "duplex/util/result.hpp"

namespace duplex::ws {

// RFC 6455 §4.2.2: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
std::string compute_accept(std::string_view key);

// True if the request asks for a WebSocket (Upgrade: websocket); anything else is plain HTTP.
bool is_upgrade_request(const http::RequestHead& request);

struct ServerHandshakeOptions {
  // Subprotocols this server speaks, in its order of preference (RFC 6455 §4.2.2 /subprotocol/).
  std::vector<std::string> subprotocols;
  // Called with the Origin field (empty if absent); returning false refuses with 403.
  std::function<bool(std::string_view origin)> check_origin;
};

struct ServerUpgrade {
  std::string response;     // the 101 head to send
  std::string subprotocol;  // the one selected, or empty
  std::string accept;       // the Sec-WebSocket-Accept value
  std::vector<std::string> offered_subprotocols;  // the client's, in its order
};

// The 101 for an accepted upgrade, with this subprotocol (empty: none) and extra fields
// (Set-Cookie...) after ours.
std::string switching_protocols(const ServerUpgrade& upgrade, std::string_view subprotocol,
                                const std::vector<http::Field>& extra = {});

struct HandshakeRejection {
  int status;               // 400, 403, 405, 426...
  std::string message;      // a sentence naming the cause
  std::string response;     // the whole HTTP response to send before closing
};

// Checks, in this order, each failing with a complete response that closes the connection:
//   method GET (405, with Allow: GET); HTTP/1.1 (400: HTTP/1.0 is a version we speak, so 505,
//   which RFC 9110 §15.6.6 keeps for major versions, would mislead); exactly one Host (400);
//   Upgrade has "websocket" and Connection has "upgrade" as tokens (400); Sec-WebSocket-Version
//   is 13 (426, with Sec-WebSocket-Version: 13); one Sec-WebSocket-Key, base64 of 16 bytes (400);
//   options.check_origin (403). Offered extensions are ignored: none is accepted yet, so the 101
//   never has a Sec-WebSocket-Extensions field.
Result<ServerUpgrade, HandshakeRejection> accept_upgrade(const http::RequestHead& request,
                                                         const ServerHandshakeOptions& options);

struct ClientHandshakeOptions {
  std::string host;        // Host field value, with ":port" when not the default
  std::string target = "/";
  std::vector<std::string> subprotocols;
  std::string origin;      // sent when not empty
  // Extra request fields (Authorization, Cookie, User-Agent...), sent after ours, in this order.
  // Those the handshake writes itself cannot be given here (check_extra_request_fields).
  std::vector<http::Field> headers;
};

// Why `headers` cannot go into a client's opening handshake, or an empty string: a name that is
// not a token, a value with a control character, or a field the handshake writes itself (Host,
// Upgrade, Connection, Sec-WebSocket-*, Origin: use the options) or that would give the GET a
// body (Content-Length, Transfer-Encoding).
std::string check_extra_request_fields(const std::vector<http::Field>& headers);
// The same for fields a server adds to its 101 or to a refusal (Set-Cookie, WWW-Authenticate...):
// Upgrade, Connection, Sec-WebSocket-*, Content-Length and Transfer-Encoding are the handshake's.
std::string check_extra_response_fields(const std::vector<http::Field>& headers);

// The codes of the duplex::Error that ClientHandshake::check_response returns; each comes with a
// sentence naming the cause (the status, the missing field...).
enum class ClientHandshakeError : int {
  unexpected_status = 1,       // not 101 Switching Protocols (the message names the status)
  missing_upgrade = 2,         // no "websocket" in Upgrade
  missing_connection = 3,      // no "upgrade" in Connection
  wrong_accept = 4,            // Sec-WebSocket-Accept absent or not compute_accept(key)
  unexpected_subprotocol = 5,  // a subprotocol we did not offer, or more than one
  unexpected_extension = 6,    // an extension in Sec-WebSocket-Extensions: we offer none yet
  malformed_extensions = 7,    // a Sec-WebSocket-Extensions outside RFC 6455 §9.1's grammar
};

struct ClientUpgrade {
  std::string subprotocol;  // selected by the server, or empty
  http::Fields fields;      // the 101's header fields (Set-Cookie...)
};

// The client side: a fresh random key per handshake, and the checks of RFC 6455 §4.1 on the reply.
class ClientHandshake {
 public:
  // Throws std::invalid_argument if an option cannot go into a field (a control character, a
  // subprotocol that is not a token): that is a programming error, not network input.
  explicit ClientHandshake(ClientHandshakeOptions options);
  const std::string& request() const { return request_; }
  const std::string& key() const { return key_; }
  Result<ClientUpgrade> check_response(const http::ResponseHead& response) const;

 private:
  ClientHandshakeOptions options_;
  std::string key_;
  std::string request_;
};

}  // namespace duplex::ws
