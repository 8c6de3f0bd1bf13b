#include "duplex/ws/handshake.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <stdexcept>
#include <utility>

#include "duplex/crypto/digest.hpp"
#include "duplex/crypto/random.hpp"
#include "duplex/util/base64.hpp"
#include "duplex/ws/extension.hpp"

namespace duplex::ws {
namespace {

// RFC 6455 §1.3: the GUID appended to the key before hashing.
constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
// RFC 6455 §4.1: "the nonce MUST be a randomly selected 16-byte value".
constexpr std::size_t kKeyBytes = 16;

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The elements of a comma-separated list field (RFC 9110 §5.6.1), over every line of it, empty
// elements dropped.
std::vector<std::string> list_elements(const http::Fields& fields, std::string_view name) {
  std::vector<std::string> elements;
  const auto joined = fields.get(name);
  if (!joined) return elements;
  std::string_view rest = *joined;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view element = trim_ows(rest.substr(0, comma));
    if (!element.empty()) elements.emplace_back(element);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return elements;
}


// A complete response that ends the connection: the status, Content-Length, Connection: close,
// and the cause as a one-line text body.
HandshakeRejection reject(int status, std::string message, std::vector<http::Field> extra = {}) {
  http::ResponseHead head;
  head.status = status;
  head.reason = std::string(http::reason_phrase(status));
  const std::string body = message + "\n";
  head.fields.add("Content-Type", "text/plain; charset=utf-8");
  head.fields.add("Content-Length", std::to_string(body.size()));
  // RFC 9110 §15.5.22: a 426 "MUST send an Upgrade header field", and §7.8 then wants "upgrade"
  // in Connection.
  head.fields.add("Connection", status == 426 ? "Upgrade, close" : "close");
  if (status == 426) head.fields.add("Upgrade", "websocket");
  for (http::Field& field : extra) head.fields.add(std::move(field.name), std::move(field.value));
  std::string response = http::serialize(head) + body;
  return {status, std::move(message), std::move(response)};
}

Failure<HandshakeRejection> refuse(int status, std::string message, std::vector<http::Field> extra = {}) {
  return fail(reject(status, std::move(message), std::move(extra)));
}

Failure<Error> client_error(ClientHandshakeError code, std::string message) {
  return fail(Error{static_cast<int>(code), std::move(message)});
}

void require_field_text(std::string_view what, std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) throw std::invalid_argument(std::string(what) + " contains a control character");
}

// Extra fields an application adds to a head: tokens for names, no control characters in values
// (no field injection), and none of the fields the handshake writes itself.
std::string check_extra_fields(const std::vector<http::Field>& headers, std::span<const std::string_view> ours) {
  for (const http::Field& field : headers) {
    // RFC 9110 §5.1: field-name = token; §5.5: no CR, LF or NUL in a value.
    if (!http::is_token(field.name)) return "the header name '" + field.name + "' is not an HTTP token";
    for (unsigned char c : field.value)
      if ((c < 0x20 && c != '\t') || c == 0x7f) return "the value of header " + field.name + " contains a control character";
    for (std::string_view own : ours)
      if (http::field_names_equal(field.name, own))
        return "the header " + field.name + " is written by the handshake itself and cannot be given as an extra header";
  }
  return {};
}

}  // namespace

std::string check_extra_request_fields(const std::vector<http::Field>& headers) {
  static constexpr std::string_view kOurs[] = {
      "Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol",
      "Sec-WebSocket-Extensions", "Origin", "Content-Length", "Transfer-Encoding"};
  return check_extra_fields(headers, kOurs);
}

std::string check_extra_response_fields(const std::vector<http::Field>& headers) {
  static constexpr std::string_view kOurs[] = {"Upgrade", "Connection", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol",
                                               "Sec-WebSocket-Extensions", "Content-Length", "Transfer-Encoding"};
  return check_extra_fields(headers, kOurs);
}

std::string compute_accept(std::string_view key) {
  std::string input(key);
  input += kAcceptGuid;
  const auto digest = crypto::sha1({reinterpret_cast<const std::uint8_t*>(input.data()), input.size()});
  return base64_encode(digest);
}

bool is_upgrade_request(const http::RequestHead& request) {
  return request.fields.has_token("Upgrade", "websocket");
}

Result<ServerUpgrade, HandshakeRejection> accept_upgrade(const http::RequestHead& request,
                                                         const ServerHandshakeOptions& options) {
  const http::Fields& fields = request.fields;
  // RFC 6455 §4.2.1: "An HTTP/1.1 or higher GET request".
  if (request.method != "GET")
    return refuse(405, "a WebSocket handshake must use GET, not " + request.method, {{"Allow", "GET"}});
  if (request.version_minor < 1) return refuse(400, "a WebSocket handshake needs HTTP/1.1");
  if (fields.count("Host") != 1) return refuse(400, "the request needs exactly one Host field");
  if (!fields.has_token("Upgrade", "websocket")) return refuse(400, "the Upgrade field does not name websocket");
  if (!fields.has_token("Connection", "upgrade")) return refuse(400, "the Connection field does not name Upgrade");
  // RFC 6455 §4.2.2: an unsupported version is answered with 426 and the versions we speak.
  const auto version = fields.get("Sec-WebSocket-Version");
  if (!version) return refuse(426, "the Sec-WebSocket-Version field is missing", {{"Sec-WebSocket-Version", "13"}});
  if (*version != "13")
    return refuse(426, "Sec-WebSocket-Version " + *version + " is not supported, only 13",
                  {{"Sec-WebSocket-Version", "13"}});
  // RFC 6455 §11.3.1: Sec-WebSocket-Key "MUST NOT appear more than once in an HTTP request".
  if (fields.count("Sec-WebSocket-Key") != 1) return refuse(400, "the request needs exactly one Sec-WebSocket-Key");
  const std::string key = *fields.get("Sec-WebSocket-Key");
  const auto nonce = base64_decode(key);
  if (!nonce || nonce->size() != kKeyBytes)
    return refuse(400, "the Sec-WebSocket-Key is not the base64 of 16 bytes");
  if (options.check_origin) {
    const std::string origin = fields.get("Origin").value_or("");
    if (!options.check_origin(origin)) return refuse(403, "the origin '" + origin + "' is not allowed");
  }

  // RFC 6455 §4.2.2 /subprotocol/: one of the client's, or none; we take the first in the
  // server's order of preference. Subprotocol names are compared exactly (RFC 6455 §11.5).
  ServerUpgrade upgrade;
  upgrade.offered_subprotocols = list_elements(fields, "Sec-WebSocket-Protocol");
  const std::vector<std::string>& offered = upgrade.offered_subprotocols;
  for (const std::string& ours : options.subprotocols) {
    if (std::find(offered.begin(), offered.end(), ours) != offered.end()) {
      upgrade.subprotocol = ours;
      break;
    }
  }
  upgrade.accept = compute_accept(key);
  upgrade.response = switching_protocols(upgrade, upgrade.subprotocol);
  return upgrade;
}

std::string switching_protocols(const ServerUpgrade& upgrade, std::string_view subprotocol,
                                const std::vector<http::Field>& extra) {
  http::ResponseHead head;
  head.status = 101;
  head.reason = std::string(http::reason_phrase(101));
  head.fields.add("Upgrade", "websocket");
  head.fields.add("Connection", "Upgrade");
  head.fields.add("Sec-WebSocket-Accept", upgrade.accept);
  if (!subprotocol.empty()) head.fields.add("Sec-WebSocket-Protocol", std::string(subprotocol));
  for (const http::Field& field : extra) head.fields.add(field.name, field.value);
  return http::serialize(head);
}

ClientHandshake::ClientHandshake(ClientHandshakeOptions options) : options_(std::move(options)) {
  require_field_text("the host", options_.host);
  require_field_text("the origin", options_.origin);
  if (options_.host.empty()) throw std::invalid_argument("the host is empty");
  if (options_.target.empty()) throw std::invalid_argument("the request target is empty");
  for (unsigned char c : options_.target)
    if (c < 0x21 || c > 0x7e) throw std::invalid_argument("the request target contains an invalid character");
  for (const std::string& subprotocol : options_.subprotocols)
    if (!http::is_token(subprotocol)) throw std::invalid_argument("the subprotocol '" + subprotocol + "' is not a token");
  if (std::string why = check_extra_request_fields(options_.headers); !why.empty()) throw std::invalid_argument(why);

  std::array<std::uint8_t, kKeyBytes> nonce{};
  crypto::random_bytes(nonce);
  key_ = base64_encode(nonce);

  http::RequestHead head;
  head.method = "GET";
  head.target = options_.target;
  head.fields.add("Host", options_.host);
  head.fields.add("Upgrade", "websocket");
  head.fields.add("Connection", "Upgrade");
  head.fields.add("Sec-WebSocket-Key", key_);
  head.fields.add("Sec-WebSocket-Version", "13");
  if (!options_.subprotocols.empty()) {
    std::string list;
    for (const std::string& subprotocol : options_.subprotocols) {
      if (!list.empty()) list += ", ";
      list += subprotocol;
    }
    head.fields.add("Sec-WebSocket-Protocol", std::move(list));
  }
  if (!options_.origin.empty()) head.fields.add("Origin", options_.origin);
  for (const http::Field& field : options_.headers) head.fields.add(field.name, field.value);
  request_ = http::serialize(head);
}

// RFC 6455 §4.1: the client's checks of the server's handshake, each failing the connection.
Result<ClientUpgrade> ClientHandshake::check_response(const http::ResponseHead& response) const {
  if (response.status != 101) {
    std::string status = std::to_string(response.status);
    if (!response.reason.empty()) status += " " + response.reason;
    return client_error(ClientHandshakeError::unexpected_status,
                        "the server answered " + status + " instead of 101 Switching Protocols");
  }
  const http::Fields& fields = response.fields;
  if (!fields.has_token("Upgrade", "websocket"))
    return client_error(ClientHandshakeError::missing_upgrade, "the Upgrade field does not name websocket");
  if (!fields.has_token("Connection", "upgrade"))
    return client_error(ClientHandshakeError::missing_connection, "the Connection field does not name Upgrade");
  if (fields.count("Sec-WebSocket-Accept") != 1 || *fields.get("Sec-WebSocket-Accept") != compute_accept(key_))
    return client_error(ClientHandshakeError::wrong_accept, "wrong Sec-WebSocket-Accept");
  // RFC 6455 §4.1: the 101's Sec-WebSocket-Extensions (§9.1) names the extensions in use, and one
  // "not present in the client's handshake" fails the connection. We offer none yet.
  if (const auto value = fields.get("Sec-WebSocket-Extensions")) {
    auto extensions = parse_extensions(*value);
    if (!extensions) return client_error(ClientHandshakeError::malformed_extensions, extensions.error().message);
    if (!extensions->empty())
      return client_error(ClientHandshakeError::unexpected_extension,
                          "the server accepted the extension '" + extensions->front().name +
                              "', which was not offered (RFC 6455 §4.1)");
  }

  ClientUpgrade upgrade;
  // RFC 6455 §4.1: a subprotocol "not present in the client's handshake" fails the connection.
  // A server that selects none is allowed; the application sees an empty subprotocol.
  if (fields.count("Sec-WebSocket-Protocol") != 0) {
    const std::string selected = *fields.get("Sec-WebSocket-Protocol");
    const auto& offered = options_.subprotocols;
    if (fields.count("Sec-WebSocket-Protocol") != 1 ||
        std::find(offered.begin(), offered.end(), selected) == offered.end())
      return client_error(ClientHandshakeError::unexpected_subprotocol,
                          "the server selected subprotocol '" + selected + "', which was not offered");
    upgrade.subprotocol = selected;
  }
  upgrade.fields = fields;
  return upgrade;
}

}  // namespace duplex::ws
