// duplex connect URL: standard input lines out as text messages, received messages printed.
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>

#include "commands.hpp"
#include "duplex/http/head.hpp"
#include "duplex/net/client.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/ws/handshake.hpp"
#include "options.hpp"
#include "tls_session.hpp"

namespace duplex::tool {
namespace {

constexpr const char* kConnectUsage = R"(usage: duplex connect URL [OPTIONS]

Connects to a WebSocket server (ws://HOST:PORT/PATH). Each line of standard input is sent as a
text message; each message received is printed on its own line. At the end of standard input the
connection is closed with 1000. Exit status 0 after a normal close (1000 or 1001).

options:
  --echo             send every received message back unchanged until the server closes
                     (standard input is not read)
  --subprotocol P    offer subprotocol P (may be repeated)
  --header 'N: V'    send the request header N with value V (may be repeated), e.g.
                     --header 'Authorization: Bearer t0k3n' --header 'Cookie: session=abc'

wss:// (TLS 1.3, or 1.2 with a server that stops there):
  --versions 1.2,1.3            the TLS versions to offer (default both)
  --legacy-rsa-key-exchange     also offer TLS 1.2 RSA key transport (no forward secrecy)
trust (one of; by default chains to the system's roots):
  --pin-sha256 BASE64           trust the server whose key has this SPKI SHA-256 (repeatable)
  --cafile FILE                 trust chains to the roots in FILE (PEM)
  --insecure-no-verification    check nothing: anyone on the path can pose as the server
  --keylog FILE                 append the TLS secrets to FILE (also: SSLKEYLOGFILE)

  --trace                       print every WebSocket frame (direction, opcode, FIN, mask, length,
                                the payload shortened) and, with TLS, the handshake summary, on
                                standard error
)";

// `--trace`: one line per frame, as a person reading the protocol wants it.
class FrameTracer final : public ws::FrameObserver {
 public:
  void on_frame(ws::FrameDirection direction, const ws::FrameHeader& header,
                std::span<const std::uint8_t> payload) override {
    std::string line = direction == ws::FrameDirection::sent ? ">>> " : "<<< ";
    line += ws::to_string(header.opcode);
    line += header.fin ? " FIN" : " (more)";
    line += header.masked ? " masked" : " unmasked";
    line += " " + std::to_string(header.payload_length) + " bytes";
    if (header.payload_length > 0) line += ": " + preview(header, payload);
    std::fprintf(stderr, "%s\n", line.c_str());
  }

 private:
  static std::string preview(const ws::FrameHeader& header, std::span<const std::uint8_t> payload) {
    constexpr std::size_t kShown = 48;
    const std::size_t shown = std::min(payload.size(), kShown);
    const bool cut = header.payload_length > shown;
    std::string out;
    if (header.opcode == ws::Opcode::text) {
      out = "\"";
      for (std::uint8_t byte : payload.first(shown)) {
        if (byte == '"' || byte == '\\') out += '\\';
        if (byte >= 0x20 && byte != 0x7f) {
          out += static_cast<char>(byte);
        } else {
          char escaped[5];
          std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
          out += escaped;
        }
      }
      out += cut ? "\"…" : "\"";
    } else {
      for (std::size_t i = 0; i < std::min<std::size_t>(shown, 16); ++i) {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%02x ", payload[i]);
        out += hex;
      }
      if (!out.empty()) out.pop_back();
      if (header.payload_length > std::min<std::size_t>(shown, 16)) out += " …";
    }
    return out;
  }
};

// Reads standard input on its own thread (it may be a file, a pipe or a terminal, which epoll
// cannot all watch) and hands each line to the connection's loop: the library's cross-thread path.
// It polls so that it can be told to stop (and joined) when the connection ends first.
void pump_stdin(net::ConnectionRef connection, const std::atomic<bool>& stop) {
  std::string pending;
  char chunk[16384];
  while (!stop.load()) {
    pollfd input{.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
    const int ready = ::poll(&input, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t got = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    pending.append(chunk, static_cast<std::size_t>(got));
    std::size_t start = 0;
    for (std::size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
      std::size_t length = end - start;
      if (length > 0 && pending[start + length - 1] == '\r') --length;
      connection.send_text(pending.substr(start, length));
    }
    pending.erase(0, start);
  }
  if (stop.load()) return;
  if (!pending.empty()) connection.send_text(std::move(pending));
  connection.close(ws::CloseCode::normal);
}

}  // namespace

int run_connect(std::span<const std::string_view> args) {
  const OptionSpec spec{.with_value = {"--subprotocol", "--header", "--pin-sha256", "--cafile", "--keylog", "--versions"},
                        .flags = {"--echo", "--help", "--insecure-no-verification", "--trace", "--legacy-rsa-key-exchange"}};
  auto options = Options::parse(args, spec);
  if (!options || (!options->has("--help") && options->positional().size() != 1)) {
    std::fprintf(stderr, "duplex connect: %s\n\n%s",
                 options ? "give exactly one URL" : options.error().message.c_str(), kConnectUsage);
    return 2;
  }
  if (options->has("--help")) {
    std::fputs(kConnectUsage, stdout);
    return 0;
  }
  const bool echo = options->has("--echo");
  for (const std::string& subprotocol : options->values("--subprotocol")) {
    // RFC 6455 §4.1: each subprotocol offered must be a token.
    if (!http::is_token(subprotocol)) {
      std::fprintf(stderr, "duplex connect: the subprotocol '%s' is not an HTTP token\n", subprotocol.c_str());
      return 2;
    }
  }

  std::vector<http::Field> headers;
  for (const std::string& header : options->values("--header")) {
    const std::size_t colon = header.find(':');
    if (colon == std::string::npos || colon == 0) {
      std::fprintf(stderr, "duplex connect: --header '%s' is not 'Name: value'\n", header.c_str());
      return 2;
    }
    std::string value = header.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    headers.push_back({header.substr(0, colon), std::move(value)});
  }
  if (std::string why = ws::check_extra_request_fields(headers); !why.empty()) {
    std::fprintf(stderr, "duplex connect: %s\n", why.c_str());
    return 2;
  }

  std::shared_ptr<tls::ClientConfig> tls_config;
  if (options->positional()[0].starts_with("wss://")) {
    auto verifier = read_verifier(*options);
    if (!verifier) {
      std::fprintf(stderr, "duplex connect: %s\n", verifier.error().message.c_str());
      return 2;
    }
    tls_config = std::make_shared<tls::ClientConfig>();
    tls_config->verifier = *verifier;
    auto versions = read_version_options(*options);
    if (!versions) {
      std::fprintf(stderr, "duplex connect: %s\n", versions.error().message.c_str());
      return 2;
    }
    versions->apply_to(*tls_config);
    // RFC 8441 aside, a WebSocket handshake is HTTP/1.1: say so, as browsers do.
    tls_config->alpn_protocols = {"http/1.1"};
    auto key_log = read_key_log(*options);
    if (!key_log) {
      std::fprintf(stderr, "duplex connect: %s\n", key_log.error().message.c_str());
      return 2;
    }
    tls_config->key_log = std::move(*key_log);
  }
  const bool trace = options->has("--trace");

  net::EventLoop loop;
  bool opened = false;
  std::optional<ws::CloseCode> close_code;
  std::string close_reason;
  std::string error;
  std::thread reader;
  std::atomic<bool> stop_reader{false};

  FrameTracer tracer;
  net::Behavior behavior;
  behavior.idle_timeout = std::chrono::milliseconds(0);  // a person may type slowly
  if (trace) behavior.config.observer = &tracer;
  behavior.handlers.on_open = [&](net::WebSocket& ws) {
    opened = true;
    if (trace && ws.tls()) std::fputs(describe_summary(*ws.tls(), true).c_str(), stderr);
    if (!echo) reader = std::thread(pump_stdin, ws.ref(), std::cref(stop_reader));
  };
  behavior.handlers.on_message = [&](net::WebSocket& ws, const ws::Message& message) {
    if (echo) {
      ws.send(message.type, message.payload);
      return;
    }
    std::fwrite(message.payload.data(), 1, message.payload.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  };
  behavior.handlers.on_error = [&](net::WebSocket&, std::string_view message) { error = message; };
  behavior.handlers.on_close = [&](net::WebSocket&, ws::CloseCode code, std::string_view reason) {
    close_code = code;
    close_reason = reason;
    loop.stop();
  };

  net::ClientOptions client_options;
  client_options.subprotocols = options->values("--subprotocol");
  client_options.headers = std::move(headers);
  client_options.tls = tls_config;
  net::connect(loop, options->positional()[0], std::move(behavior), std::move(client_options));
  loop.run();
  stop_reader = true;
  if (reader.joinable()) reader.join();

  const auto code = close_code.value_or(ws::CloseCode::abnormal_closure);
  if (code == ws::CloseCode::normal || code == ws::CloseCode::going_away) return 0;
  if (!error.empty()) std::fprintf(stderr, "duplex connect: %s\n", error.c_str());
  // A connection that never opened has no close code to speak of: the error says it all.
  if (!opened && !error.empty()) return 1;
  const bool reason_is_new = !close_reason.empty() && close_reason != error;
  std::fprintf(stderr, "duplex connect: closed with %s%s%s\n", ws::to_string(code).c_str(),
               reason_is_new ? ": " : "", reason_is_new ? close_reason.c_str() : "");
  return 1;
}

}  // namespace duplex::tool
