// duplex tls serve: a TLS 1.3 server that echoes bytes, or (--www) answers an HTTP GET with a
// page naming what was negotiated, like `openssl s_server -www`. One thread per connection: it is
// a tool for trying peers and certificates, not the production runtime (that is src/net).
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "commands.hpp"
#include "duplex/tls/trace.hpp"
#include "duplex/tls/x509_verifier.hpp"
#include "tls_session.hpp"
#include "unix_time.hpp"

namespace duplex::tool {
namespace {

constexpr const char* kTlsServeUsage = R"(usage: duplex tls serve --cert FILE --key FILE [OPTIONS]

A TLS server (1.3, and 1.2 for clients that stop there). Without --www every byte received is sent back. One log line per connection
on standard error: the negotiated parameters, or the alert that ended the handshake.

options:
  --listen HOST:PORT          where to listen (default 127.0.0.1:4433)
  --cert FILE --key FILE      a certificate chain (PEM, end-entity first) and its key (PKCS #8 or
                              traditional PEM); repeat the pair for several certificates: the
                              one whose names match the client's SNI is used, the first otherwise
  --www                       answer an HTTP GET with a page naming the negotiated parameters
  --alpn P1,P2                application protocols, in our order of preference
  --require-client-cert FILE  ask for a client certificate and require one that chains to a
                              root in FILE (PEM)
  --client-pin-sha256 BASE64  ask for a client certificate and require this SPKI SHA-256
  --ciphers A,B  --groups A,B  --sigalgs A,B
                              our preferences (RFC names)
  --versions 1.2,1.3          the TLS versions to accept (default both; TLS 1.3 when offered)
  --legacy-rsa-key-exchange   also accept TLS 1.2 RSA key transport (TLS_RSA_WITH_AES_*_GCM_*):
                              no forward secrecy; for old clients only
  --record-size-limit N       advertise RFC 8449's record_size_limit
  --key-update                send a KeyUpdate (update_requested) on each connection once connected
  --keylog FILE               append the TLS secrets to FILE (NSS key log format)
  --trace                     print every handshake message, decoded, on standard error
  --max-connections N         exit after serving N connections (for tests)
)";

std::mutex log_mutex;

void log_line(const std::string& line) {
  const std::lock_guard lock(log_mutex);
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

std::string www_page(const tls::HandshakeSummary& summary) {
  std::string body = "<!doctype html>\n<title>duplex tls serve</title>\n<pre>\n";
  const bool rsa_key_transport = summary.group == tls::NamedGroup{};
  // OpenSSL's -www spelling of the version ("TLSv1.3"), so scripts read both pages alike.
  body += std::string("Protocol      : ") +
          (summary.version == tls::ProtocolVersion::tls1_2 ? "TLSv1.2" : "TLSv1.3") + "\n";
  body += "Cipher        : " + tls::to_string(summary.cipher_suite) + "\n";
  body += "Key exchange  : " + key_exchange_name(summary) + (summary.hello_retry_request ? " (HelloRetryRequest)" : "") + "\n";
  body += "Signature     : " +
          (rsa_key_transport ? std::string("(none: the key exchange authenticates the server)")
                             : tls::to_string(summary.server_signature_scheme)) + "\n";
  if (summary.version == tls::ProtocolVersion::tls1_2)
    body += std::string("Extended MS   : ") + (summary.extended_master_secret ? "yes" : "no") + "\n";
  body += "ALPN          : " + (summary.alpn_protocol.empty() ? std::string("(none)") : summary.alpn_protocol) + "\n";
  body += "Server name   : " + (summary.server_name.empty() ? std::string("(none)") : summary.server_name) + "\n";
  body += "Client cert   : " + std::string(summary.peer_certificates.empty() ? "(none)" : "yes") + "\n";
  body += "</pre>\n";
  return "HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

struct ServeSettings {
  std::shared_ptr<const tls::ServerConfig> config;
  bool www = false;
  bool key_update = false;
};

void serve_connection(int fd, std::string peer, const ServeSettings& settings) {
  auto connection = tls::Connection::server(settings.config, unix_now());
  if (!connection) {
    log_line("duplex tls: " + peer + " " + tls::to_string(connection.error()));
    ::close(fd);
    return;
  }
  TlsSocket socket(fd, std::move(*connection));
  std::string request;  // --www: the request head so far
  bool done = false;
  auto on_event = [&](const tls::Event& event) {
    tls::Connection& tls = socket.connection();
    if (std::holds_alternative<tls::HandshakeComplete>(event)) {
      log_line("duplex tls: " + peer + " " + summary_line(tls.summary()));
      if (settings.key_update) (void)tls.send_key_update(tls::KeyUpdateRequest::update_requested);
    } else if (const auto* data = std::get_if<tls::ApplicationData>(&event)) {
      if (!settings.www) {
        (void)tls.send(data->data);
        return;
      }
      request.append(reinterpret_cast<const char*>(data->data.data()), data->data.size());
      if (request.find("\r\n\r\n") != std::string::npos || request.find("\n\n") != std::string::npos) {
        const std::string page = www_page(tls.summary());
        (void)tls.send(std::span(reinterpret_cast<const std::uint8_t*>(page.data()), page.size()));
        tls.send_close_notify();
      } else if (request.size() > 16 * 1024) {
        tls.send_close_notify();
      }
    } else if (std::holds_alternative<tls::CloseNotify>(event)) {
      tls.send_close_notify();
      done = true;
    } else if (std::holds_alternative<tls::PeerKeyUpdate>(event)) {
      log_line("duplex tls: " + peer + " " + tls::to_string(event));
    } else if (std::holds_alternative<tls::Failure>(event)) {
      log_line("duplex tls: " + peer + " " + tls::to_string(event));
      done = true;
    }
  };
  while (!done && socket.pump(on_event)) {
  }
  (void)socket.flush_all();
  ::shutdown(fd, SHUT_WR);
  ::close(fd);
}

int listen_on(const std::string& host, std::uint16_t port, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
  addrinfo* found = nullptr;
  if (const int status = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); status != 0) {
    error = "cannot listen on " + host + ": " + ::gai_strerror(status);
    return -1;
  }
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || ::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
    error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
    ::freeaddrinfo(found);
    if (fd >= 0) ::close(fd);
    return -1;
  }
  ::freeaddrinfo(found);
  return fd;
}

std::string describe_peer(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = "?";
  std::uint16_t port = 0;
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, host, sizeof host);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof host);
    port = ntohs(v6.sin6_port);
  }
  return std::string(host) + ":" + std::to_string(port);
}

}  // namespace

int run_tls_serve(std::span<const std::string_view> args) {
  OptionSpec spec{{"--listen", "--cert", "--key", "--require-client-cert", "--client-pin-sha256", "--max-connections"},
                  {"--help", "--www", "--key-update"}};
  add_common_tls_options(spec);
  auto options = Options::parse(args, spec);
  if (!options) {
    std::fprintf(stderr, "duplex tls serve: %s\n\n%s", options.error().message.c_str(), kTlsServeUsage);
    return 2;
  }
  if (options->has("--help")) {
    std::fputs(kTlsServeUsage, stdout);
    return 0;
  }
  auto usage_error = [](const std::string& message) {
    std::fprintf(stderr, "duplex tls serve: %s\n", message.c_str());
    return 2;
  };
  if (!options->positional().empty()) return usage_error("unexpected argument '" + options->positional()[0] + "'");
  auto listen = parse_host_port(options->value("--listen").value_or("127.0.0.1:4433"));
  if (!listen) return usage_error(listen.error().message);
  auto common = read_common_tls_options(*options);
  if (!common) return usage_error(common.error().message);

  auto config = std::make_shared<tls::ServerConfig>();
  auto certificates = read_certified_keys(*options);
  if (!certificates) return usage_error(certificates.error().message);
  if (certificates->empty()) return usage_error("give --cert FILE --key FILE, once per certificate");
  config->certificates = std::move(*certificates);
  config->cipher_suites = common->cipher_suites;
  common->versions.apply_to(*config);
  config->supported_groups = common->groups;
  config->signature_schemes = common->signature_schemes;
  config->alpn_protocols = common->alpn;
  config->record_size_limit = common->record_size_limit;
  config->key_log = common->key_log;
  if (options->has("--trace")) {
    config->trace = [](const tls::TraceRecord& record) {
      std::string text = tls::describe_trace_record(record);
      if (!text.empty() && text.back() == '\n') text.pop_back();
      log_line(std::string(record.direction == tls::TraceDirection::sent ? ">>> " : "<<< ") + text);
    };
  }
  if (options->has("--client-pin-sha256")) {
    auto pins = read_pins(options->values("--client-pin-sha256"), "--client-pin-sha256");
    if (!pins) return usage_error(pins.error().message);
    config->client_verifier = tls::pin_spki_sha256(std::move(*pins));
    config->client_authentication = tls::ClientAuthentication::required;
  }
  if (auto path = options->value("--require-client-cert")) {
    if (options->has("--client-pin-sha256")) return usage_error("choose --require-client-cert or --client-pin-sha256");
    auto verifier = tls::x509_verifier_from_pem_file(*path);
    if (!verifier) return usage_error("--require-client-cert: " + verifier.error());
    config->client_verifier = *verifier;
    config->client_authentication = tls::ClientAuthentication::required;
  }
  auto max_connections = options->unsigned_value("--max-connections", 0);
  if (!max_connections) return usage_error(max_connections.error().message);

  std::string error;
  const int listener = listen_on(listen->first, listen->second, error);
  if (listener < 0) {
    std::fprintf(stderr, "duplex tls serve: %s\n", error.c_str());
    return 1;
  }
  sockaddr_storage bound{};
  socklen_t bound_length = sizeof bound;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&bound), &bound_length);
  log_line("duplex tls: listening on " + describe_peer(bound));
  const auto settings = std::make_shared<ServeSettings>(ServeSettings{config, options->has("--www"), options->has("--key-update")});
  std::vector<std::thread> served;  // joined at the end with --max-connections, detached otherwise
  for (std::uint64_t count = 0; *max_connections == 0 || count < *max_connections; ++count) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int fd = ::accept4(listener, reinterpret_cast<sockaddr*>(&address), &length, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      std::fprintf(stderr, "duplex tls serve: accept: %s\n", std::strerror(errno));
      return 1;
    }
    std::thread thread([fd, peer = describe_peer(address), settings] { serve_connection(fd, peer, *settings); });
    if (*max_connections == 0)
      thread.detach();
    else
      served.push_back(std::move(thread));
  }
  for (auto& thread : served) thread.join();
  ::close(listener);
  return 0;
}

}  // namespace duplex::tool
