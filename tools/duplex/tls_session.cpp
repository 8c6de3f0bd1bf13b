#include "tls_session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "duplex/tls/x509_verifier.hpp"
#include "duplex/util/base64.hpp"
#include "duplex/x509/certificate.hpp"

namespace duplex::tool {

namespace {

// Looks `name` up among `known` by the RFC name to_string gives each.
template <typename T>
Result<std::vector<T>> read_names(const Options& options, std::string_view option, std::span<const T> known,
                                  std::vector<T> fallback) {
  const auto text = options.value(option);
  if (!text) return fallback;
  std::vector<T> out;
  for (const auto& name : split_list(*text)) {
    bool found = false;
    for (T value : known) {
      if (tls::to_string(value) == name) {
        out.push_back(value);
        found = true;
      }
    }
    if (!found) {
      std::string list;
      for (T value : known) list += (list.empty() ? "" : ", ") + tls::to_string(value);
      return fail(Error{1, std::string(option) + ": unknown name '" + name + "' (known: " + list + ")"});
    }
  }
  if (out.empty()) return fail(Error{1, std::string(option) + " names nothing"});
  return out;
}

// Both versions' suites by their IANA names (TLS 1.2's RSA key transport ones need
// --legacy-rsa-key-exchange too: tls::check_config says so).
constexpr std::array kCipherSuites = {
    tls::CipherSuite::tls_aes_128_gcm_sha256,
    tls::CipherSuite::tls_aes_256_gcm_sha384,
    tls::CipherSuite::tls_chacha20_poly1305_sha256,
    tls::CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256,
    tls::CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384,
    tls::CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256,
    tls::CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256,
    tls::CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384,
    tls::CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256,
    tls::CipherSuite::tls_rsa_with_aes_128_gcm_sha256,
    tls::CipherSuite::tls_rsa_with_aes_256_gcm_sha384};
constexpr std::array kGroups = {tls::NamedGroup::x25519, tls::NamedGroup::secp256r1, tls::NamedGroup::secp384r1};

}  // namespace

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error{1, "cannot read " + path});
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

void add_version_options(OptionSpec& spec) {
  spec.with_value.insert("--versions");
  spec.flags.insert("--legacy-rsa-key-exchange");
}

Result<VersionOptions> read_version_options(const Options& options) {
  VersionOptions out;
  out.legacy_rsa_key_exchange = options.has("--legacy-rsa-key-exchange");
  const auto text = options.value("--versions");
  if (!text) return out;
  bool tls13 = false, tls12 = false;
  for (const auto& name : split_list(*text)) {
    if (name == "1.3" || name == "tls1.3") tls13 = true;
    else if (name == "1.2" || name == "tls1.2") tls12 = true;
    else if (name == "1.0" || name == "1.1" || name == "tls1.0" || name == "tls1.1")
      return fail(Error{1, "--versions: TLS " + name + " is not spoken (RFC 8996 deprecates it)"});
    else
      return fail(Error{1, "--versions: unknown version '" + name + "' (known: 1.2, 1.3)"});
  }
  if (!tls13 && !tls12) return fail(Error{1, "--versions names nothing"});
  // TLS 1.3 is preferred whatever the order given (RFC 8446 §4.2.1).
  out.versions.clear();
  if (tls13) out.versions.push_back(tls::ProtocolVersion::tls1_3);
  if (tls12) out.versions.push_back(tls::ProtocolVersion::tls1_2);
  return out;
}

void add_common_tls_options(OptionSpec& spec) {
  for (const char* name : {"--ciphers", "--groups", "--key-share-groups", "--sigalgs", "--alpn",
                           "--record-size-limit", "--keylog"})
    spec.with_value.insert(name);
  spec.flags.insert("--trace");
  add_version_options(spec);
}

Result<CommonTlsOptions> read_common_tls_options(const Options& options) {
  CommonTlsOptions out;
  auto versions = read_version_options(options);
  if (!versions) return fail(versions.error());
  out.versions = std::move(*versions);
  auto suites = read_names<tls::CipherSuite>(options, "--ciphers", kCipherSuites, out.cipher_suites);
  if (!suites) return fail(suites.error());
  out.cipher_suites = std::move(*suites);
  auto groups = read_names<tls::NamedGroup>(options, "--groups", kGroups, out.groups);
  if (!groups) return fail(groups.error());
  out.groups = std::move(*groups);
  // Shares only for groups we offer: by default the first two of them (X25519 and P-256 when
  // --groups is not given, as ClientConfig does).
  std::vector<tls::NamedGroup> default_shares(out.groups.begin(),
                                              out.groups.begin() + std::min<std::ptrdiff_t>(2, std::ssize(out.groups)));
  auto shares = read_names<tls::NamedGroup>(options, "--key-share-groups", kGroups, default_shares);
  if (!shares) return fail(shares.error());
  out.key_share_groups = std::move(*shares);
  const auto all_schemes = tls::default_signature_schemes();
  auto schemes = read_names<tls::SignatureScheme>(options, "--sigalgs", all_schemes, all_schemes);
  if (!schemes) return fail(schemes.error());
  out.signature_schemes = std::move(*schemes);
  if (auto alpn = options.value("--alpn")) out.alpn = split_list(*alpn);
  if (options.has("--record-size-limit")) {
    auto limit = options.unsigned_value("--record-size-limit", 0);
    if (!limit) return fail(limit.error());
    if (*limit < 64 || *limit > 16385)
      return fail(Error{1, "--record-size-limit must be between 64 and 16385 (RFC 8449 §4)"});
    out.record_size_limit = static_cast<std::uint16_t>(*limit);
  }
  auto key_log = read_key_log(options);
  if (!key_log) return fail(key_log.error());
  out.key_log = std::move(*key_log);
  return out;
}

Result<std::vector<tls::CertifiedKey>> read_certified_keys(const Options& options) {
  const auto certificates = options.values("--cert");
  const auto keys = options.values("--key");
  if (certificates.size() != keys.size()) return fail(Error{1, "give --cert FILE --key FILE, once per certificate"});
  std::vector<tls::CertifiedKey> out;
  for (std::size_t i = 0; i < certificates.size(); ++i) {
    auto certificate_pem = read_file(certificates[i]);
    if (!certificate_pem) return fail(certificate_pem.error());
    auto key_pem = read_file(keys[i]);
    if (!key_pem) return fail(key_pem.error());
    auto certified = tls::CertifiedKey::from_pem(*certificate_pem, *key_pem);
    if (!certified) return fail(Error{1, certificates[i] + ": " + certified.error()});
    out.push_back(std::move(*certified));
  }
  return out;
}

Result<tls::KeyLogSink> read_key_log(const Options& options) {
  const auto path = options.value("--keylog");
  if (!path) return tls::key_log_from_environment();
  std::string error;
  tls::KeyLogSink sink = tls::open_key_log_file(*path, &error);
  if (!sink) return fail(Error{1, error});
  std::fprintf(stderr, "duplex: TLS secrets are being written to %s\n", path->c_str());
  return sink;
}

Result<std::vector<tls::Sha256>> read_pins(const std::vector<std::string>& arguments, std::string_view option) {
  std::vector<tls::Sha256> pins;
  for (const auto& text : arguments) {
    for (const auto& item : split_list(text)) {
      const auto bytes = base64_decode(item);
      if (!bytes || bytes->size() != 32)
        return fail(Error{1, std::string(option) + " takes the base64 of a 32-byte SHA-256 ('" + item + "' is not)"});
      tls::Sha256 pin{};
      std::copy(bytes->begin(), bytes->end(), pin.begin());
      pins.push_back(pin);
    }
  }
  return pins;
}

Result<std::shared_ptr<const tls::CertificateVerifier>> read_verifier(const Options& options) {
  const int choices = options.has("--pin-sha256") + options.has("--insecure-no-verification") + options.has("--cafile");
  if (choices > 1)
    return fail(Error{1, "choose one of --pin-sha256, --insecure-no-verification and --cafile"});
  if (options.has("--insecure-no-verification")) {
    std::fputs("duplex: --insecure-no-verification: the server's certificate is NOT checked; anyone on the path "
               "can pose as the server\n",
               stderr);
    return tls::insecure_no_verification();
  }
  if (options.has("--pin-sha256")) {
    auto pins = read_pins(options.values("--pin-sha256"), "--pin-sha256");
    if (!pins) return fail(pins.error());
    return tls::pin_spki_sha256(std::move(*pins));
  }
  if (auto path = options.value("--cafile")) {
    auto verifier = tls::x509_verifier_from_pem_file(*path);
    if (!verifier) return fail(Error{1, "--cafile: " + verifier.error()});
    return *verifier;
  }
  // No choice: the X.509 path validator with the system's roots (what a ClientConfig without a
  // verifier uses).
  return std::shared_ptr<const tls::CertificateVerifier>{};
}

std::string key_exchange_name(const tls::HandshakeSummary& summary) {
  return summary.group == tls::NamedGroup{} ? "RSA key transport" : tls::to_string(summary.group);
}

std::string summary_line(const tls::HandshakeSummary& summary) {
  const bool rsa = summary.group == tls::NamedGroup{};
  std::string line = tls::to_string(summary.version) + " " + tls::to_string(summary.cipher_suite) + " " +
                     (rsa ? std::string("rsa-key-transport") : tls::to_string(summary.group));
  if (!rsa) line += " " + tls::to_string(summary.server_signature_scheme);
  if (summary.version == tls::ProtocolVersion::tls1_2 && !summary.extended_master_secret) line += " no-ems";
  if (summary.hello_retry_request) line += " hrr";
  if (!summary.alpn_protocol.empty()) line += " alpn=" + summary.alpn_protocol;
  if (!summary.server_name.empty()) line += " sni=" + summary.server_name;
  if (summary.client_signature_scheme) line += " client-auth=" + tls::to_string(*summary.client_signature_scheme);
  return line;
}

std::string describe_summary(const tls::HandshakeSummary& summary, bool is_client) {
  std::string text = "* " + tls::to_string(summary.version) + " handshake complete\n";
  auto field = [&](std::string_view name, const std::string& value) {
    text += "*   ";
    text += name;
    text.append(20 - std::min<std::size_t>(19, name.size()), ' ');
    text += value + "\n";
  };
  field("cipher suite:", tls::to_string(summary.cipher_suite));
  field("key exchange:", key_exchange_name(summary) +
                             (summary.group == tls::NamedGroup{} ? " (no forward secrecy)" : "") +
                             (summary.hello_retry_request ? " (after a HelloRetryRequest)" : ""));
  if (summary.group != tls::NamedGroup{}) field("server signature:", tls::to_string(summary.server_signature_scheme));
  if (summary.version == tls::ProtocolVersion::tls1_2)
    field("extended master:", summary.extended_master_secret ? "yes (RFC 7627)" : "no: the server does not do RFC 7627");
  if (summary.client_signature_scheme) field("client signature:", tls::to_string(*summary.client_signature_scheme));
  field("ALPN:", summary.alpn_protocol.empty() ? "(none)" : summary.alpn_protocol);
  if (!summary.server_name.empty()) field("server name:", summary.server_name);
  if (summary.peer_record_size_limit) field("peer record limit:", std::to_string(*summary.peer_record_size_limit));
  const char* peer = is_client ? "server certificate:" : "client certificate:";
  if (summary.peer_certificates.empty()) {
    field(peer, "(none)");
  } else if (auto leaf = x509::parse_certificate(summary.peer_certificates.front())) {
    field(peer, leaf->subject.text.empty() ? "(empty subject)" : leaf->subject.text);
    field("  issued by:", leaf->issuer.text);
    if (auto pin = tls::spki_sha256(summary.peer_certificates.front())) field("  SPKI SHA-256:", base64_encode(*pin));
  }
  return text;
}

TlsSocket::TlsSocket(int fd, tls::Connection connection) : fd_(fd), connection_(std::move(connection)) {
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

bool TlsSocket::write_some() {
  while (!connection_.pending_output().empty()) {
    const auto out = connection_.pending_output();
    const ssize_t sent = ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (sent <= 0) return false;
    connection_.consume_output(static_cast<std::size_t>(sent));
  }
  return true;
}

bool TlsSocket::read_some(const std::function<void(const tls::Event&)>& on_event) {
  ssize_t got;
  do {
    got = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  if (got == 0)
    connection_.receive_eof();
  else
    connection_.receive(std::span(buffer_).first(static_cast<std::size_t>(got)));
  bool alive = got > 0;
  while (auto event = connection_.next_event()) {
    if (std::holds_alternative<tls::Failure>(*event)) alive = false;
    on_event(*event);
  }
  return alive;
}

bool TlsSocket::pump(const std::function<void(const tls::Event&)>& on_event, int extra_fd, bool* extra_ready) {
  constexpr std::size_t kReadPause = 1024 * 1024;
  if (extra_ready) *extra_ready = false;
  if (!write_some()) return false;
  pollfd fds[2] = {{.fd = fd_, .events = 0, .revents = 0}, {.fd = extra_fd, .events = POLLIN, .revents = 0}};
  if (pending() < kReadPause) fds[0].events |= POLLIN;
  if (pending() > 0) fds[0].events |= POLLOUT;
  const int ready = ::poll(fds, extra_fd >= 0 ? 2 : 1, -1);
  if (ready < 0) return errno == EINTR;
  if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
    if (!read_some(on_event)) {
      (void)flush_all(500);  // our alert, if there is one
      return false;
    }
  }
  if (!write_some()) return false;
  if (extra_ready && extra_fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) *extra_ready = true;
  return true;
}

bool TlsSocket::flush_all(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (pending() > 0) {
    if (!write_some()) return false;
    if (pending() == 0) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd out{.fd = fd_, .events = POLLOUT, .revents = 0};
    ::poll(&out, 1, static_cast<int>(left.count()));
  }
  return true;
}

}  // namespace duplex::tool
