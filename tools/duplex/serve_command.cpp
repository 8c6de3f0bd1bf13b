// duplex serve: an HTTPS + wss:// server (or ws:// with --plain) with /echo, /chat and the chat
// page at /.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "chat_page.hpp"
#include "dev_ca.hpp"
#include "commands.hpp"
#include "duplex/net/server.hpp"
#include "duplex/tls/config.hpp"
#include "options.hpp"
#include "tls_session.hpp"
#include "unix_time.hpp"

namespace duplex::tool {
namespace {

constexpr const char* kServeUsage = R"(usage: duplex serve [OPTIONS]

A WebSocket server over TLS 1.3 and 1.2 (https:// and wss://), or plain TCP with --plain:
  /echo   every message is sent back as received (text as text, binary as binary)
  /chat   a room: every message goes to every member, the sender too
  /       a page whose script joins /chat

options:
  --cert FILE --key FILE     the server's certificate chain and key (PEM); repeat the pair for
                             several certificates (chosen by SNI). Without them: a development
                             certificate for localhost, 127.0.0.1 and ::1, signed by a local
                             development CA made on first run (see `duplex ca`)
  --keylog FILE              append the TLS secrets to FILE (also: SSLKEYLOGFILE)
  --versions 1.2,1.3         the TLS versions to accept (default both; TLS 1.3 when offered)
  --legacy-rsa-key-exchange  also accept TLS 1.2 RSA key transport (no forward secrecy)
  --plain                    no TLS: ws:// and http://
  --listen HOST:PORT         where to listen (default 127.0.0.1:8443, or 127.0.0.1:8080 with
                             --plain; port 0 picks a free one)
  --threads N                event loops, one per thread (default: one per core)
  --max-message-bytes N      larger messages close with 1009 (default 16777216)
  --handshake-timeout S      seconds to wait for a complete request head (default 10)
  --idle-timeout S           close a WebSocket silent this long with 1001 (default 120, 0 = never)
)";

void log_open(net::WebSocket& ws) {
  // With TLS, what was negotiated (tests read "TLS 1.3" or "TLS 1.2" here).
  const std::string tls = ws.tls() ? " " + summary_line(*ws.tls()) : std::string();
  std::fprintf(stderr, "open  %s %.*s%s\n", ws.remote_address().c_str(), static_cast<int>(ws.path().size()),
               ws.path().data(), tls.c_str());
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

// --cert/--key pairs, or the development certificates; SSLKEYLOGFILE or --keylog.
Result<std::shared_ptr<tls::ServerConfig>> server_tls_config(const Options& options) {
  auto config = std::make_shared<tls::ServerConfig>();
  auto certificates = read_certified_keys(options);
  if (!certificates) return fail(certificates.error());
  config->certificates = std::move(*certificates);
  if (config->certificates.empty()) {
    // No certificate given: the development CA's server certificate, made on first run.
    auto directory = dev_certificate_directory();
    if (!directory) return fail(directory.error());
    auto dev = ensure_dev_certificates(*directory, unix_now());
    if (!dev) return fail(dev.error());
    auto certificate_pem = read_file(dev->server_certificate.string());
    if (!certificate_pem) return fail(certificate_pem.error());
    auto key_pem = read_file(dev->server_key.string());
    if (!key_pem) return fail(key_pem.error());
    auto certified = tls::CertifiedKey::from_pem(*certificate_pem, *key_pem);
    if (!certified) return fail(Error{2, dev->server_certificate.string() + ": " + certified.error()});
    config->certificates.push_back(std::move(*certified));
    if (dev->created_ca) std::fprintf(stderr, "created a development CA in %s\n", dev->directory.c_str());
    std::fprintf(stderr, "%s\n", trust_hint(*dev).c_str());
  }
  config->alpn_protocols = {"http/1.1"};
  auto versions = read_version_options(options);
  if (!versions) return fail(versions.error());
  versions->apply_to(*config);
  auto key_log = read_key_log(options);
  if (!key_log) return fail(key_log.error());
  config->key_log = std::move(*key_log);
  return config;
}

}  // namespace

int run_serve(std::span<const std::string_view> args) {
  const OptionSpec spec{
      .with_value = {"--listen", "--threads", "--max-message-bytes", "--handshake-timeout", "--idle-timeout",
                     "--cert", "--key", "--keylog", "--versions"},
      .flags = {"--plain", "--help", "--legacy-rsa-key-exchange"}};
  auto options = Options::parse(args, spec);
  if (!options) {
    std::fprintf(stderr, "duplex serve: %s\n\n%s", options.error().message.c_str(), kServeUsage);
    return 2;
  }
  if (options->has("--help")) {
    std::fputs(kServeUsage, stdout);
    return 0;
  }
  const bool plain = options->has("--plain");
  std::shared_ptr<tls::ServerConfig> tls_config;
  if (!plain) {
    auto loaded = server_tls_config(*options);
    if (!loaded) {
      std::fprintf(stderr, "duplex serve: %s\n", loaded.error().message.c_str());
      return 2;
    }
    tls_config = std::move(*loaded);
  } else if (options->has("--cert") || options->has("--key") || options->has("--keylog")) {
    std::fputs("duplex serve: --cert, --key and --keylog are for TLS; leave out --plain\n", stderr);
    return 2;
  }
  auto listen = parse_host_port(options->value("--listen").value_or(plain ? "127.0.0.1:8080" : "127.0.0.1:8443"));
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
                      .handshake_timeout = to_ms(*handshake_timeout),
                      .tls = tls_config});
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
  std::fprintf(stderr, "listening on %s://%s%s%s:%u (%u threads); open %s://%s%s%s:%u/ to chat\n",
               plain ? "ws" : "wss", v6 ? "[" : "", listen->first.c_str(), v6 ? "]" : "", server.port(),
               server.thread_count(), plain ? "http" : "https", v6 ? "[" : "", listen->first.c_str(), v6 ? "]" : "",
               server.port());
  server.wait();
  std::fputs("shut down\n", stderr);
  return 0;
}

}  // namespace duplex::tool
