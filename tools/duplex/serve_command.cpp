// duplex serve --plain: a ws:// server with /echo, /chat and the chat page at /.
#include <cstdio>
#include <string>
#include <thread>

#include "chat_page.hpp"
#include "commands.hpp"
#include "duplex/net/server.hpp"
#include "options.hpp"

namespace duplex::tool {
namespace {

constexpr const char* kServeUsage = R"(usage: duplex serve --plain [OPTIONS]

A WebSocket server over plain TCP (ws://):
  /echo   every message is sent back as received (text as text, binary as binary)
  /chat   a room: every message goes to every member, the sender too
  /       a page whose script joins /chat

options:
  --plain                    no TLS (required until TLS lands; it will keep this meaning)
  --listen HOST:PORT         where to listen (default 127.0.0.1:8080; port 0 picks a free one)
  --threads N                event loops, one per thread (default: one per core)
  --max-message-bytes N      larger messages close with 1009 (default 16777216)
  --handshake-timeout S      seconds to wait for a complete request head (default 10)
  --idle-timeout S           close a WebSocket silent this long with 1001 (default 120, 0 = never)
)";

void log_open(net::WebSocket& ws) {
  std::fprintf(stderr, "open  %s %.*s\n", ws.remote_address().c_str(), static_cast<int>(ws.path().size()),
               ws.path().data());
}

void log_close(net::WebSocket& ws, ws::CloseCode code, std::string_view reason) {
  std::fprintf(stderr, "close %s %.*s %s%s%.*s\n", ws.remote_address().c_str(),
               static_cast<int>(ws.path().size()), ws.path().data(), ws::to_string(code).c_str(),
               reason.empty() ? "" : " ", static_cast<int>(reason.size()), reason.data());
}

void log_error(net::WebSocket& ws, std::string_view message) {
  std::fprintf(stderr, "error %s %.*s: %.*s\n", ws.remote_address().c_str(), static_cast<int>(ws.path().size()),
               ws.path().data(), static_cast<int>(message.size()), message.data());
}

net::Behavior logged_behavior(const ws::Config& config, std::chrono::milliseconds idle_timeout) {
  net::Behavior behavior;
  behavior.config = config;
  behavior.idle_timeout = idle_timeout;
  behavior.handlers.on_open = log_open;
  behavior.handlers.on_close = log_close;
  behavior.handlers.on_error = log_error;
  return behavior;
}

net::HttpResponse serve_page(const http::RequestHead& request) {
  // RFC 9110 §15.5.6: 405 names the allowed methods.
  if (request.method != "GET")
    return {.status = 405, .body = "only GET is served here\n", .fields = {{"Allow", "GET"}}};
  return {.content_type = "text/html; charset=utf-8", .body = std::string(chat_page_html()),
          .fields = {{"Cache-Control", "no-cache"}}};
}

}  // namespace

int run_serve(std::span<const std::string_view> args) {
  const OptionSpec spec{
      .with_value = {"--listen", "--threads", "--max-message-bytes", "--handshake-timeout", "--idle-timeout"},
      .flags = {"--plain", "--help"}};
  auto options = Options::parse(args, spec);
  if (!options) {
    std::fprintf(stderr, "duplex serve: %s\n\n%s", options.error().message.c_str(), kServeUsage);
    return 2;
  }
  if (options->has("--help")) {
    std::fputs(kServeUsage, stdout);
    return 0;
  }
  if (!options->has("--plain")) {
    std::fputs("duplex serve: TLS is not built yet; pass --plain for a ws:// server\n", stderr);
    return 2;
  }
  auto listen = parse_host_port(options->value("--listen").value_or("127.0.0.1:8080"));
  auto threads = options->unsigned_value("--threads", std::thread::hardware_concurrency());
  auto max_message = options->unsigned_value("--max-message-bytes", ws::Config{}.max_message_bytes);
  // Defaults are the library's own, so the command line and the API cannot drift apart.
  const auto seconds = [](auto duration) { return std::chrono::duration<double>(duration).count(); };
  auto handshake_timeout =
      options->seconds_value("--handshake-timeout", seconds(net::ServerOptions{}.handshake_timeout));
  auto idle_timeout = options->seconds_value("--idle-timeout", seconds(net::Behavior{}.idle_timeout));
  for (const Error* error : {listen ? nullptr : &listen.error(), threads ? nullptr : &threads.error(),
                             max_message ? nullptr : &max_message.error(),
                             handshake_timeout ? nullptr : &handshake_timeout.error(),
                             idle_timeout ? nullptr : &idle_timeout.error()}) {
    if (error) {
      std::fprintf(stderr, "duplex serve: %s\n", error->message.c_str());
      return 2;
    }
  }
  if (*threads == 0 || *threads > 1024 || *max_message == 0) {
    std::fputs("duplex serve: --threads wants 1 to 1024 and --max-message-bytes more than 0\n", stderr);
    return 2;
  }

  const auto to_ms = [](double seconds) { return std::chrono::milliseconds(static_cast<long long>(seconds * 1000)); };
  net::Server server({.host = listen->first,
                      .port = listen->second,
                      .threads = static_cast<unsigned>(*threads),
                      .handshake_timeout = to_ms(*handshake_timeout)});
  const ws::Config config{.max_message_bytes = *max_message};

  net::Behavior echo = logged_behavior(config, to_ms(*idle_timeout));
  echo.handlers.on_message = [](net::WebSocket& ws, const ws::Message& message) {
    ws.send(message.type, message.payload);
  };
  server.route("/echo", std::move(echo));

  net::Behavior chat = logged_behavior(config, to_ms(*idle_timeout));
  chat.handlers.on_open = [](net::WebSocket& ws) {
    log_open(ws);
    ws.subscribe("chat");
  };
  chat.handlers.on_message = [&server](net::WebSocket&, const ws::Message& message) {
    server.publish("chat", message.type, message.payload);
  };
  server.route("/chat", std::move(chat));
  server.http_route("/", serve_page);

  if (auto started = server.start(); !started) {
    std::fprintf(stderr, "duplex serve: %s\n", started.error().message.c_str());
    return 1;
  }
  server.shutdown_on_signals();
  const bool v6 = listen->first.find(':') != std::string::npos;
  std::fprintf(stderr, "listening on ws://%s%s%s:%u (%u threads); open http://%s%s%s:%u/ to chat\n",
               v6 ? "[" : "", listen->first.c_str(), v6 ? "]" : "", server.port(), server.thread_count(),
               v6 ? "[" : "", listen->first.c_str(), v6 ? "]" : "", server.port());
  server.wait();
  std::fputs("shut down\n", stderr);
  return 0;
}

}  // namespace duplex::tool
