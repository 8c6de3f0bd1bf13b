// duplex ca, and the development certificates `duplex serve` uses (see dev_ca.hpp).
#include "dev_ca.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "duplex/crypto/signature.hpp"
#include "duplex/tls/certificate_verifier.hpp"
#include "duplex/util/base64.hpp"
#include "duplex/x509/certificate.hpp"
#include "duplex/x509/certificate_builder.hpp"
#include "duplex/x509/oid.hpp"
#include "duplex/x509/pem.hpp"
#include "unix_time.hpp"

namespace duplex::tool {

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kCaLifetime = 3650 * kDay;  // 10 years: trusted once, kept for long
// Apple's rule for TLS server certificates (also under user-added roots): at most 825 days.
constexpr std::int64_t kServerLifetime = 820 * kDay;
constexpr std::int64_t kRenewWithin = 7 * kDay;  // issue again this long before expiry
constexpr std::int64_t kBackdate = 3600;         // a clock that runs a little behind still accepts it
constexpr const char* kCaName = "duplex development CA";

Failure<Error> error(std::string message) { return fail(Error{1, std::move(message)}); }

std::string errno_text() { return std::strerror(errno); }

// The file's contents, or nullopt when it does not exist.
Result<std::optional<std::string>> read_if_exists(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec) && !ec) return std::optional<std::string>{};
    return error("cannot read " + path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::optional<std::string>(text.str());
}

// Writes `text` to a temporary file of `mode` beside `path`, then renames it over `path`: a
// reader never sees half a file, and a key is never readable by others, whatever the umask.
Result<Unit> write_file(const fs::path& path, std::string_view text, mode_t mode) {
  const fs::path temporary = path.string() + ".tmp";
  ::unlink(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return error("cannot create " + temporary.string() + ": " + errno_text());
  bool ok = ::fchmod(fd, mode) == 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const std::string reason = ok ? "" : errno_text();
  ::close(fd);
  if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = ok ? errno_text() : reason;
    ::unlink(temporary.c_str());
    return error("cannot write " + path.string() + ": " + why);
  }
  return Unit{};
}

// The directory, made with mode 0700 if missing (its parents with the default mode).
Result<Unit> make_private_directory(const fs::path& directory) {
  std::error_code ec;
  if (fs::is_directory(directory, ec)) return Unit{};
  if (directory.has_parent_path()) fs::create_directories(directory.parent_path(), ec);
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
    return error("cannot create " + directory.string() + ": " + errno_text());
  if (!fs::is_directory(directory, ec)) return error(directory.string() + " exists and is not a directory");
  return Unit{};
}

// An exclusive flock on DIR/.lock for as long as it lives: two servers started at once make
// one CA, not two that overwrite each other.
class DirectoryLock {
 public:
  explicit DirectoryLock(const fs::path& directory)
      : fd_(::open((directory / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ >= 0) {
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~DirectoryLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_;
};

std::string spki_base64(std::span<const std::uint8_t> certificate_der) {
  auto digest = tls::spki_sha256(certificate_der);
  return digest ? base64_encode(*digest) : std::string();
}

// A certificate (the first of its PEM file) and its private key.
struct KeyPair {
  Bytes der;
  x509::Certificate certificate;
  crypto::PrivateKey key;
};

// What ca.pem + ca.key or server.pem + server.key hold; an error sentence when they do not
// parse or do not belong together.
Result<KeyPair> parse_pair(const fs::path& certificate_path, std::string_view certificate_pem,
                           const fs::path& key_path, std::string_view key_pem) {
  auto ders = x509::pem_certificates(certificate_pem);
  if (!ders) return error(certificate_path.string() + ": " + std::string(x509::describe(ders.error())));
  auto certificate = x509::parse_certificate(ders->front());
  if (!certificate) return error(certificate_path.string() + ": " + certificate.error().message());
  auto key_block = x509::pem_private_key(key_pem);
  if (!key_block) return error(key_path.string() + ": " + std::string(x509::describe(key_block.error())));
  auto key = crypto::PrivateKey::from_der(key_block->der);
  if (!key) return error(key_path.string() + ": " + key.error().message);
  auto certified = crypto::PublicKey::from_spki_der(certificate->subject_public_key_info.der);
  if (!certified || certified->spki_der() != key->public_key().spki_der())
    return error(key_path.string() + " is not the key of " + certificate_path.string());
  return KeyPair{std::move(ders->front()), std::move(certificate).value(), std::move(key).value()};
}

// Writes a newly issued certificate (then `chain_pem`) and its key.
Result<KeyPair> write_pair(Result<Bytes, x509::IssueFailure> der, crypto::PrivateKey key,
                           const fs::path& certificate_path, const fs::path& key_path, std::string_view chain_pem) {
  if (!der) return error("cannot issue " + certificate_path.string() + ": " + der.error().message);
  auto pkcs8 = key.pkcs8_der();
  if (!pkcs8) return error("cannot encode the new key: " + pkcs8.error().message);
  // The key first: ca.pem without its key would be a CA nobody can use; ca.key alone is
  // replaced on the next run (a missing certificate means "make one").
  if (auto written = write_file(key_path, x509::write_pem("PRIVATE KEY", pkcs8->bytes()), 0600); !written)
    return fail(written.error());
  const std::string certificate_pem = x509::write_pem("CERTIFICATE", *der) + std::string(chain_pem);
  if (auto written = write_file(certificate_path, certificate_pem, 0644); !written) return fail(written.error());
  auto certificate = x509::parse_certificate(*der);
  if (!certificate) return error("the new certificate does not parse: " + certificate.error().message());
  return KeyPair{std::move(*der), std::move(certificate).value(), std::move(key)};
}

Result<KeyPair> create_ca(const DevCertificates& paths, std::int64_t now) {
  auto key = crypto::PrivateKey::generate(crypto::KeyType::ecdsa_p256);
  if (!key) return error("cannot generate the CA key: " + key.error().message);
  auto der = x509::self_signed_certificate({.subject_key = key->public_key(),
                                            .common_name = kCaName,
                                            .organization = "duplex",
                                            .not_before = now - kBackdate,
                                            .not_after = now - kBackdate + kCaLifetime,
                                            .ca = true,
                                            .path_len = 0},
                                           *key);
  return write_pair(std::move(der), *key, paths.ca_certificate, paths.ca_key, "");
}

Result<KeyPair> issue_server(const DevCertificates& paths, const KeyPair& ca, std::int64_t now) {
  auto issuer = x509::issuer_from_certificate(ca.certificate, ca.key);
  if (!issuer) return error(paths.ca_certificate.string() + ": " + issuer.error().message);
  auto key = crypto::PrivateKey::generate(crypto::KeyType::ecdsa_p256);
  if (!key) return error("cannot generate the server key: " + key.error().message);
  auto der = x509::issue_certificate({.subject_key = key->public_key(),
                                      .common_name = "localhost",
                                      .organization = "duplex",
                                      .not_before = now - kBackdate,
                                      .not_after = now - kBackdate + kServerLifetime,
                                      .dns_names = {"localhost"},
                                      .ip_addresses = {*x509::IpAddress::parse("127.0.0.1"),
                                                       *x509::IpAddress::parse("::1")},
                                      .extended_key_usage = {x509::oid::kp_server_auth}},
                                     *issuer);
  return write_pair(std::move(der), *key, paths.server_certificate, paths.server_key,
                    x509::write_pem("CERTIFICATE", ca.der));
}

bool usable_until(const x509::Certificate& certificate, std::int64_t now) {
  return certificate.not_before <= now && now + kRenewWithin < certificate.not_after;
}

// Whether server.pem is still good: signed by this CA and not close to expiry.
bool server_is_current(const KeyPair& server, const KeyPair& ca, std::int64_t now) {
  if (!usable_until(server.certificate, now)) return false;
  if (!std::ranges::equal(server.certificate.issuer.der, ca.certificate.subject.der)) return false;
  if (server.certificate.signature_algorithm.algorithm != x509::oid::ecdsa_with_sha256) return false;
  return ca.key.public_key()
      .verify(crypto::SignatureScheme::ecdsa_secp256r1_sha256, server.certificate.tbs,
              server.certificate.signature_value.bytes)
      .ok();
}

Result<std::optional<KeyPair>> load_pair(const fs::path& certificate_path, const fs::path& key_path) {
  auto certificate_pem = read_if_exists(certificate_path);
  if (!certificate_pem) return fail(certificate_pem.error());
  if (!*certificate_pem) return std::optional<KeyPair>{};
  auto key_pem = read_if_exists(key_path);
  if (!key_pem) return fail(key_pem.error());
  if (!*key_pem) return error(certificate_path.string() + " exists but " + key_path.string() + " does not");
  auto pair = parse_pair(certificate_path, **certificate_pem, key_path, **key_pem);
  if (!pair) return fail(pair.error());
  return std::optional<KeyPair>(std::move(pair).value());
}

std::string date_text(std::int64_t unix_seconds) {
  const auto civil = x509::der::to_civil_time(unix_seconds);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(civil.year), civil.month, civil.day);
  return buffer;
}

}  // namespace

Result<fs::path> dev_certificate_directory() {
  // XDG Base Directory Specification: "If $XDG_DATA_HOME is either not set or empty, a default
  // equal to $HOME/.local/share should be used"; relative paths "should be ignored".
  if (const char* data_home = std::getenv("XDG_DATA_HOME"); data_home && data_home[0] == '/')
    return fs::path(data_home) / "duplex";
  if (const char* home = std::getenv("HOME"); home && home[0] == '/')
    return fs::path(home) / ".local" / "share" / "duplex";
  return error("neither XDG_DATA_HOME nor HOME is an absolute path: nowhere to keep the development CA");
}

Result<DevCertificates> ensure_dev_certificates(const fs::path& directory, std::int64_t now) {
  if (auto made = make_private_directory(directory); !made) return fail(made.error());
  const DirectoryLock lock(directory);

  DevCertificates out;
  out.directory = directory;
  out.ca_certificate = directory / "ca.pem";
  out.ca_key = directory / "ca.key";
  out.server_certificate = directory / "server.pem";
  out.server_key = directory / "server.key";

  auto ca = load_pair(out.ca_certificate, out.ca_key);
  if (!ca) return fail(Error{1, ca.error().message + " (remove the files to make a new development CA)"});
  if (!*ca || !usable_until((*ca)->certificate, now)) {
    auto created = create_ca(out, now);
    if (!created) return fail(created.error());
    ca->emplace(std::move(created).value());
    out.created_ca = true;
  }
  const KeyPair& authority = **ca;

  std::optional<KeyPair> server;
  if (!out.created_ca) {
    // Anything wrong with our own server files is mended by issuing them again.
    auto loaded = load_pair(out.server_certificate, out.server_key);
    if (loaded && *loaded && server_is_current(**loaded, authority, now)) server = std::move(**loaded);
  }
  if (!server) {
    auto issued = issue_server(out, authority, now);
    if (!issued) return fail(issued.error());
    server = std::move(issued).value();
    out.issued_server = true;
  }
  out.ca_spki_sha256 = spki_base64(authority.der);
  out.server_spki_sha256 = spki_base64(server->der);
  out.server_not_after = server->certificate.not_after;
  return out;
}

std::string trust_hint(const DevCertificates& certificates) {
  return "To trust it, import " + certificates.ca_certificate.string() +
         " as a certificate authority in your browser or system, or start Chromium with "
         "--ignore-certificate-errors-spki-list=" +
         certificates.ca_spki_sha256;
}

int run_ca(std::span<const std::string_view> args) {
  if (!args.empty()) {
    const bool help = args[0] == "--help" || args[0] == "-h";
    std::fputs("usage: duplex ca\n"
               "Prints where the development CA of `duplex serve` is and its SPKI SHA-256, making the CA\n"
               "and its server certificate for localhost, 127.0.0.1 and ::1 on first use, under\n"
               "$XDG_DATA_HOME/duplex/ (default ~/.local/share/duplex/).\n",
               help ? stdout : stderr);
    return help ? 0 : 2;
  }
  auto directory = dev_certificate_directory();
  if (!directory) {
    std::fprintf(stderr, "duplex ca: %s\n", directory.error().message.c_str());
    return 1;
  }
  auto certificates = ensure_dev_certificates(*directory, unix_now());
  if (!certificates) {
    std::fprintf(stderr, "duplex ca: %s\n", certificates.error().message.c_str());
    return 1;
  }
  if (certificates->created_ca)
    std::fprintf(stderr, "duplex ca: created a new development CA in %s\n", certificates->directory.c_str());
  std::printf("CA certificate: %s\n", certificates->ca_certificate.c_str());
  std::printf("CA SPKI SHA-256: %s\n", certificates->ca_spki_sha256.c_str());
  std::printf("server certificate: %s (localhost, 127.0.0.1, ::1; valid until %s)\n",
              certificates->server_certificate.c_str(), date_text(certificates->server_not_after).c_str());
  std::printf("server key: %s\n", certificates->server_key.c_str());
  std::printf("server SPKI SHA-256: %s\n", certificates->server_spki_sha256.c_str());
  std::printf("%s\n", trust_hint(*certificates).c_str());
  return 0;
}

}  // namespace duplex::tool
