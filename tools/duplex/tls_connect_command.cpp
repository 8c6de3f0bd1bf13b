// duplex tls connect HOST:PORT: a raw pipe over TLS, like `openssl s_client`.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.hpp"
#include "duplex/tls/trace.hpp"
#include "tls_session.hpp"
#include "unix_time.hpp"

namespace duplex::tool {
namespace {

constexpr const char* kTlsConnectUsage = R"(usage: duplex tls connect HOST:PORT [OPTIONS]

Opens a TLS 1.3 connection. Standard input goes out over it, what arrives goes to standard
output, and a summary of the handshake goes to standard error. At the end of standard input
close_notify is sent; the command ends when the server closes too. Exit status 0 after the
server's close_notify, 1 when the handshake or the connection fails, 2 for a usage error.

trust (one of):
  --pin-sha256 BASE64           trust the server whose key has this SPKI SHA-256 (repeatable)
  --cafile FILE                 trust chains to the roots in FILE (PEM)
  --insecure-no-verification    check nothing: anyone on the path can pose as the server
  (none of them: chains to the system's roots, /etc/ssl/certs/ca-certificates.crt)

options:
  --servername NAME             the name sent as SNI and checked in the certificate
                                (default: HOST unless it is an IP address)
  --alpn P1,P2                  offer these application protocols
  --cert FILE --key FILE        a client certificate, for servers that ask (mTLS)
  --ciphers A,B  --groups A,B  --key-share-groups A,B  --sigalgs A,B
                                restrict the offer (RFC names, e.g. TLS_AES_256_GCM_SHA384,
                                TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, secp384r1, ed25519)
  --versions 1.2,1.3            the TLS versions to offer (default both; TLS 1.3 preferred)
  --legacy-rsa-key-exchange     also offer TLS 1.2 RSA key transport (TLS_RSA_WITH_AES_*_GCM_*):
                                no forward secrecy; for old servers only
  --record-size-limit N         advertise RFC 8449's record_size_limit
  --key-update                  send a KeyUpdate (update_requested) once connected
  --keylog FILE                 append the TLS secrets to FILE (NSS key log format)
  --trace                       print every handshake message, decoded, on standard error
  --quiet                       no handshake summary
)";

int dial(const std::string& host, std::uint16_t port, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int status = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); status != 0) {
    error = "cannot resolve " + host + ": " + ::gai_strerror(status);
    return -1;
  }
  int fd = -1;
  for (addrinfo* address = found; address != nullptr; address = address->ai_next) {
    fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, address->ai_addr, address->ai_addrlen) == 0) break;
    error = "cannot connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(found);
  return fd;
}

void print_trace(const tls::TraceRecord& record) {
  const std::string text = tls::describe_trace_record(record);
  std::fprintf(stderr, "%s %s", record.direction == tls::TraceDirection::sent ? ">>>" : "<<<", text.c_str());
  if (text.empty() || text.back() != '\n') std::fputc('\n', stderr);
}

bool write_all(int fd, std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

int run_tls_connect(std::span<const std::string_view> args) {
  OptionSpec spec{{"--servername", "--pin-sha256", "--cafile", "--cert", "--key"},
                  {"--help", "--insecure-no-verification", "--key-update", "--quiet"}};
  add_common_tls_options(spec);
  auto options = Options::parse(args, spec);
  if (!options) {
    std::fprintf(stderr, "duplex tls connect: %s\n\n%s", options.error().message.c_str(), kTlsConnectUsage);
    return 2;
  }
  if (options->has("--help")) {
    std::fputs(kTlsConnectUsage, stdout);
    return 0;
  }
  auto usage_error = [](const std::string& message) {
    std::fprintf(stderr, "duplex tls connect: %s\n", message.c_str());
    return 2;
  };
  if (options->positional().size() != 1) return usage_error("give exactly one HOST:PORT");
  auto target = parse_host_port(options->positional()[0]);
  if (!target) return usage_error(target.error().message);
  auto common = read_common_tls_options(*options);
  if (!common) return usage_error(common.error().message);
  auto verifier = read_verifier(*options);
  if (!verifier) return usage_error(verifier.error().message);

  auto config = std::make_shared<tls::ClientConfig>();
  config->verifier = *verifier;
  config->cipher_suites = common->cipher_suites;
  common->versions.apply_to(*config);
  config->supported_groups = common->groups;
  config->key_share_groups = common->key_share_groups;
  config->signature_schemes = common->signature_schemes;
  config->alpn_protocols = common->alpn;
  config->record_size_limit = common->record_size_limit;
  config->key_log = common->key_log;
  if (options->has("--trace")) config->trace = print_trace;
  auto client_certificates = read_certified_keys(*options);
  if (!client_certificates) return usage_error(client_certificates.error().message);
  if (client_certificates->size() > 1) return usage_error("a client has one certificate: give --cert and --key once");
  if (!client_certificates->empty()) config->client_certificate = std::move(client_certificates->front());
  const auto& [host, port] = *target;
  // An IP address is checked against the certificate but never sent as SNI (RFC 6066 §3).
  const std::string server_name = options->value("--servername").value_or(host);

  std::string error;
  const int fd = dial(host, port, error);
  if (fd < 0) {
    std::fprintf(stderr, "duplex tls connect: %s\n", error.c_str());
    return 1;
  }
  auto connection = tls::Connection::client(config, server_name, unix_now());
  if (!connection) {
    ::close(fd);
    return usage_error(tls::to_string(connection.error()));
  }
  TlsSocket socket(fd, std::move(*connection));
  const bool quiet = options->has("--quiet");
  const bool key_update = options->has("--key-update");

  int status = 1;
  bool stdin_open = true;
  bool finished = false;
  auto on_event = [&](const tls::Event& event) {
    if (std::holds_alternative<tls::HandshakeComplete>(event)) {
      if (!quiet) std::fputs(describe_summary(socket.connection().summary(), true).c_str(), stderr);
      if (key_update) (void)socket.connection().send_key_update(tls::KeyUpdateRequest::update_requested);
    } else if (const auto* data = std::get_if<tls::ApplicationData>(&event)) {
      if (!write_all(STDOUT_FILENO, data->data)) finished = true;
    } else if (std::holds_alternative<tls::CloseNotify>(event)) {
      // RFC 8446 §6.1: the server is done; we close our side too.
      socket.connection().send_close_notify();
      status = 0;
      finished = true;
    } else if (std::holds_alternative<tls::PeerKeyUpdate>(event)) {
      if (!quiet) std::fprintf(stderr, "* %s\n", tls::to_string(event).c_str());
    } else if (std::holds_alternative<tls::Failure>(event)) {
      std::fprintf(stderr, "duplex tls connect: %s\n", tls::to_string(event).c_str());
      status = 1;
      finished = true;
    }
  };

  if (!socket.flush_all()) {
    std::fprintf(stderr, "duplex tls connect: the connection was lost while sending the ClientHello\n");
    ::close(fd);
    return 1;
  }
  std::vector<std::uint8_t> input(16 * 1024);
  constexpr std::size_t kStdinPause = 256 * 1024;  // stop reading standard input while this much waits
  while (!finished) {
    const bool watch_stdin = stdin_open && socket.connection().can_send() && socket.pending() < kStdinPause;
    bool stdin_ready = false;
    if (!socket.pump(on_event, watch_stdin ? STDIN_FILENO : -1, &stdin_ready)) {
      if (!finished) std::fprintf(stderr, "duplex tls connect: the connection ended without close_notify\n");
      break;
    }
    if (!stdin_ready) continue;
    const ssize_t got = ::read(STDIN_FILENO, input.data(), input.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      stdin_open = false;
      socket.connection().send_close_notify();
    } else if (auto sent = socket.connection().send(std::span(input).first(static_cast<std::size_t>(got))); !sent) {
      std::fprintf(stderr, "duplex tls connect: %s\n", sent.error().message.c_str());
      break;
    }
  }
  (void)socket.flush_all();
  ::close(fd);
  return status;
}

}  // namespace duplex::tool
