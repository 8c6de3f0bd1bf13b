// Server CPU per full handshake: duplex's server beside OpenSSL's libssl server (over memory BIOs),
// both driven by the same duplex client in the same program, for TLS 1.3 and TLS 1.2 with ECDSA
// P-256 and RSA-2048 certificates over X25519. Each side's time is its own thread CPU time
// (CLOCK_THREAD_CPUTIME_ID) around its own calls only, so the client's work is not counted. libssl
// is a peer here, never in the library (DESIGN.md). Figures, never a test: read the ratio
// duplex/OpenSSL of one run (absolute figures drift on shared machines).
//
//   build/bench/tls_server_handshake_bench [--benchmark_min_time=2]
#include <benchmark/benchmark.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <time.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "../tests/tls/test_certificates.hpp"
#include "duplex/tls/connection.hpp"

namespace {

using namespace duplex::tls;
using duplex::crypto::KeyType;

constexpr std::int64_t kNow = 1'750'000'000;

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// The time one side spends in its own calls.
struct SideTimer {
  double seconds = 0;
  template <typename F>
  void run(F&& work) {
    const double start = thread_cpu_seconds();
    work();
    seconds += thread_cpu_seconds() - start;
  }
};

struct Case {
  ProtocolVersion version;
  KeyType key;
  CipherSuite tls12_suite;  // for TLS 1.2
};

const CertifiedKey& certificate(KeyType key) {
  static const CertifiedKey ecdsa = test::self_signed(KeyType::ecdsa_p256, {"example.com"});
  static const CertifiedKey rsa = test::self_signed(KeyType::rsa, {"example.com"});
  return key == KeyType::rsa ? rsa : ecdsa;
}

std::shared_ptr<ClientConfig> client_config(const Case& c) {
  auto config = std::make_shared<ClientConfig>();
  config->verifier = pin_spki_sha256({spki_sha256(certificate(c.key).certificate_chain.front()).value()});
  config->versions = {c.version};
  // X25519 for the key exchange; P-256 listed too, as every client does, because OpenSSL holds a
  // TLS 1.2 ECDSA certificate's curve to the client's list (RFC 4492 §5.1.1's old rule).
  config->supported_groups = {NamedGroup::x25519, NamedGroup::secp256r1};
  config->key_share_groups = {NamedGroup::x25519};
  if (c.version == ProtocolVersion::tls1_2) config->cipher_suites = {c.tls12_suite};
  return config;
}

void drain_client(Connection& client) {
  while (auto event = client.next_event())
    if (std::holds_alternative<Failure>(*event)) std::abort();
}

// duplex's server.
void BM_DuplexServer(benchmark::State& state, Case c) {
  auto server_config = std::make_shared<ServerConfig>();
  server_config->certificates.push_back(certificate(c.key));
  server_config->versions = {c.version};
  const auto client_side = client_config(c);
  SideTimer server_time;
  std::vector<std::uint8_t> buffer;
  for (auto _ : state) {
    auto client = Connection::client(client_side, "example.com", kNow).value();
    std::optional<Connection> server;
    server_time.run([&] { server.emplace(Connection::server(server_config, kNow).value()); });
    for (bool moved = true; moved;) {
      moved = false;
      if (!client.pending_output().empty()) {
        buffer.assign(client.pending_output().begin(), client.pending_output().end());
        client.consume_output(buffer.size());
        server_time.run([&] {
          server->receive(buffer);
          while (auto event = server->next_event())
            if (std::holds_alternative<Failure>(*event)) std::abort();
        });
        moved = true;
      }
      if (!server->pending_output().empty()) {
        buffer.assign(server->pending_output().begin(), server->pending_output().end());
        server->consume_output(buffer.size());
        client.receive(buffer);
        drain_client(client);
        moved = true;
      }
    }
    if (!client.handshake_complete() || !server->handshake_complete()) state.SkipWithError("no handshake");
    server_time.run([&] { server.reset(); });
  }
  state.counters["server_us"] = server_time.seconds * 1e6 / static_cast<double>(state.iterations());
}

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};

std::unique_ptr<SSL_CTX, SslCtxDeleter> openssl_context(const Case& c) {
  std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx(SSL_CTX_new(TLS_server_method()));
  const auto& certified = certificate(c.key);
  const auto& der = certified.certificate_chain.front();
  const unsigned char* cursor = der.data();
  X509* x509 = d2i_X509(nullptr, &cursor, static_cast<long>(der.size()));
  const auto pkcs8 = certified.private_key.pkcs8_der().value();
  cursor = pkcs8.bytes().data();
  EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &cursor, static_cast<long>(pkcs8.bytes().size()));
  if (x509 == nullptr || key == nullptr || SSL_CTX_use_certificate(ctx.get(), x509) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.get(), key) != 1)
    std::abort();
  X509_free(x509);
  EVP_PKEY_free(key);
  const int version = c.version == ProtocolVersion::tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_CTX_set_min_proto_version(ctx.get(), version);
  SSL_CTX_set_max_proto_version(ctx.get(), version);
  // As ours: no session cache, no tickets (each handshake is a full one, nothing extra sent).
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx.get(), 0);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_TICKET);
  SSL_CTX_set1_groups_list(ctx.get(), "X25519");
  return ctx;
}

// OpenSSL's server, over memory BIOs, driven by the same duplex client.
void BM_OpenSslServer(benchmark::State& state, Case c) {
  auto ctx = openssl_context(c);
  const auto client_side = client_config(c);
  SideTimer server_time;
  std::vector<std::uint8_t> buffer(1 << 16);
  for (auto _ : state) {
    auto client = Connection::client(client_side, "example.com", kNow).value();
    SSL* ssl = nullptr;
    BIO* in = nullptr;
    BIO* out = nullptr;
    server_time.run([&] {
      ssl = SSL_new(ctx.get());
      in = BIO_new(BIO_s_mem());
      out = BIO_new(BIO_s_mem());
      SSL_set_bio(ssl, in, out);
      SSL_set_accept_state(ssl);
    });
    for (bool moved = true; moved;) {
      moved = false;
      if (!client.pending_output().empty()) {
        const auto pending = client.pending_output();
        server_time.run([&] {
          BIO_write(in, pending.data(), static_cast<int>(pending.size()));
          if (SSL_do_handshake(ssl) <= 0 && SSL_get_error(ssl, -1) != SSL_ERROR_WANT_READ &&
              !SSL_is_init_finished(ssl)) {
            ERR_print_errors_fp(stderr);
            std::abort();
          }
        });
        client.consume_output(pending.size());
        moved = true;
      }
      int read = 0;
      server_time.run([&] { read = BIO_read(out, buffer.data(), static_cast<int>(buffer.size())); });
      if (read > 0) {
        client.receive(std::span(buffer).first(static_cast<std::size_t>(read)));
        drain_client(client);
        moved = true;
      }
    }
    if (!client.handshake_complete() || !SSL_is_init_finished(ssl)) state.SkipWithError("no handshake");
    server_time.run([&] { SSL_free(ssl); });
  }
  state.counters["server_us"] = server_time.seconds * 1e6 / static_cast<double>(state.iterations());
}

const Case kTls13Ecdsa{ProtocolVersion::tls1_3, KeyType::ecdsa_p256, {}};
const Case kTls12Ecdsa{ProtocolVersion::tls1_2, KeyType::ecdsa_p256, CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256};
const Case kTls13Rsa{ProtocolVersion::tls1_3, KeyType::rsa, {}};
const Case kTls12Rsa{ProtocolVersion::tls1_2, KeyType::rsa, CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256};

}  // namespace

BENCHMARK_CAPTURE(BM_DuplexServer, tls13_ecdsa_p256_x25519, kTls13Ecdsa)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_OpenSslServer, tls13_ecdsa_p256_x25519, kTls13Ecdsa)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_DuplexServer, tls12_ecdhe_ecdsa_p256_x25519, kTls12Ecdsa)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_OpenSslServer, tls12_ecdhe_ecdsa_p256_x25519, kTls12Ecdsa)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_DuplexServer, tls13_rsa2048_x25519, kTls13Rsa)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_OpenSslServer, tls13_rsa2048_x25519, kTls13Rsa)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_DuplexServer, tls12_ecdhe_rsa2048_x25519, kTls12Rsa)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_OpenSslServer, tls12_ecdhe_rsa2048_x25519, kTls12Rsa)->Unit(benchmark::kMicrosecond);
