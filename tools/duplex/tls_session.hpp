// What `duplex tls connect` and `duplex tls serve` share: reading TLS options into a config,
// driving a tls::Connection over a blocking socket, and describing a handshake for people.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/tls/config.hpp"
#include "duplex/tls/connection.hpp"
#include "duplex/util/result.hpp"
#include "options.hpp"

namespace duplex::tool {

// The whole file, or an error naming it.
Result<std::string> read_file(const std::string& path);

// "a,b,c" → {"a", "b", "c"} (empty items dropped).
std::vector<std::string> split_list(std::string_view text);

// --ciphers, --groups, --key-share-groups, --sigalgs (comma lists of RFC names), --alpn,
// --record-size-limit, --keylog and --trace: the parts of ClientConfig and ServerConfig they
// share. Unknown names are errors that list the known ones.
// --versions 1.2,1.3 (default both, TLS 1.3 preferred) and --legacy-rsa-key-exchange: what every
// TLS command line (tls connect/serve, serve, connect) takes.
struct VersionOptions {
  std::vector<tls::ProtocolVersion> versions = tls::default_versions();
  bool legacy_rsa_key_exchange = false;

  template <typename Config>
  void apply_to(Config& config) const {
    config.versions = versions;
    config.legacy_rsa_key_exchange = legacy_rsa_key_exchange;
  }
};
void add_version_options(OptionSpec& spec);
Result<VersionOptions> read_version_options(const Options& options);

struct CommonTlsOptions {
  VersionOptions versions;
  std::vector<tls::CipherSuite> cipher_suites = tls::default_cipher_suites();
  std::vector<tls::NamedGroup> groups = tls::default_supported_groups();
  std::vector<tls::NamedGroup> key_share_groups;  // the first two of `groups` unless given
  std::vector<tls::SignatureScheme> signature_schemes = tls::default_signature_schemes();
  std::vector<std::string> alpn;
  std::optional<std::uint16_t> record_size_limit;
  tls::KeyLogSink key_log;
  tls::TraceSink trace;
};
// The option names read_common_tls_options understands (for OptionSpec).
void add_common_tls_options(OptionSpec& spec);
Result<CommonTlsOptions> read_common_tls_options(const Options& options);

// Pins given as base64 SHA-256 values (each argument may hold a comma list).
Result<std::vector<tls::Sha256>> read_pins(const std::vector<std::string>& arguments, std::string_view option);
// Every --cert FILE --key FILE pair, in order (an empty list when there is none).
Result<std::vector<tls::CertifiedKey>> read_certified_keys(const Options& options);
// --keylog FILE (announced on standard error), else SSLKEYLOGFILE, else none.
Result<tls::KeyLogSink> read_key_log(const Options& options);

// The --pin-sha256 / --insecure-no-verification / --cafile choice of a verifier.
Result<std::shared_ptr<const tls::CertificateVerifier>> read_verifier(const Options& options);

// "TLS 1.3, TLS_AES_128_GCM_SHA256, x25519, ..." as an indented block for standard error.
std::string describe_summary(const tls::HandshakeSummary& summary, bool is_client);
// One line: "TLS 1.3 TLS_AES_128_GCM_SHA256 x25519 ecdsa_secp256r1_sha256 alpn=h2 sni=localhost".
// The key exchange as a person reads it: the (EC)DHE group, or TLS 1.2's RSA key transport.
std::string key_exchange_name(const tls::HandshakeSummary& summary);
std::string summary_line(const tls::HandshakeSummary& summary);

// A tls::Connection over a connected socket, made non-blocking: reading and writing go on
// together, so a peer that writes while we write (an echo) never deadlocks the two.
class TlsSocket {
 public:
  TlsSocket(int fd, tls::Connection connection);

  tls::Connection& connection() { return connection_; }
  int fd() const { return fd_; }

  // Waits until the socket (or `extra_fd`, when >= 0) is ready, reads what arrived and hands
  // each event to `on_event`, and writes what the socket takes. Sets *extra_ready when
  // `extra_fd` is readable. While more than 1 MiB waits to be written, nothing is read (the
  // peer's own backpressure). False at the end: a Failure, end of file, or a socket error.
  bool pump(const std::function<void(const tls::Event&)>& on_event, int extra_fd = -1, bool* extra_ready = nullptr);
  // Writes all pending output, waiting up to `timeout_ms` in all. False if it could not.
  bool flush_all(int timeout_ms = 2000);
  // Output waiting for the socket.
  std::size_t pending() const { return connection_.pending_output().size(); }

 private:
  bool write_some();  // false on a socket error
  bool read_some(const std::function<void(const tls::Event&)>& on_event);

  int fd_;
  tls::Connection connection_;
  std::vector<std::uint8_t> buffer_ = std::vector<std::uint8_t>(64 * 1024);
};

}  // namespace duplex::tool
