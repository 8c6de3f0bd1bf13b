// The TLS engine (1.3 and 1.2) on its own, in memory (no sockets): full handshakes per second (client and
// server together, one core), and application data through Connection::send / receive with
// 16 KiB records. Compare the handshake figure with `openssl speed ecdhp256 ecdsap256`: the
// public-key operations are most of it.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "../tests/tls/test_certificates.hpp"
#include "duplex/tls/connection.hpp"
#include "duplex/tls/tls12_key_schedule.hpp"

namespace {

using namespace duplex::tls;
using duplex::crypto::KeyType;

constexpr std::int64_t kNow = 1'750'000'000;

// Moves everything `from` wants to send into `to` and drains `to`'s events.
bool transfer(Connection& from, Connection& to, std::vector<std::uint8_t>& buffer) {
  const auto pending = from.pending_output();
  if (pending.empty()) return false;
  buffer.assign(pending.begin(), pending.end());
  from.consume_output(buffer.size());
  to.receive(buffer);
  while (auto event = to.next_event()) {
    if (std::holds_alternative<Failure>(*event)) std::abort();
  }
  return true;
}

std::shared_ptr<ServerConfig> server_config(KeyType type) {
  auto config = std::make_shared<ServerConfig>();
  config->certificates.push_back(test::self_signed(type, {"example.com"}));
  return config;
}

std::shared_ptr<ClientConfig> client_config(const ServerConfig& server, NamedGroup group) {
  auto config = std::make_shared<ClientConfig>();
  config->verifier = pin_spki_sha256({spki_sha256(server.certificates.front().certificate_chain.front()).value()});
  config->supported_groups = {group};
  config->key_share_groups = {group};
  return config;
}

void BM_FullHandshake(benchmark::State& state, KeyType certificate, NamedGroup group,
                      ProtocolVersion version = ProtocolVersion::tls1_3) {
  const auto server_side = server_config(certificate);
  const auto client_side = client_config(*server_side, group);
  client_side->versions = {version};
  std::vector<std::uint8_t> buffer;
  for (auto _ : state) {
    auto client = Connection::client(client_side, "example.com", kNow).value();
    auto server = Connection::server(server_side, kNow).value();
    for (bool moved = true; moved;) {
      const bool to_server = transfer(client, server, buffer);
      const bool to_client = transfer(server, client, buffer);
      moved = to_server || to_client;
    }
    if (!client.handshake_complete() || !server.handshake_complete()) state.SkipWithError("no handshake");
  }
  state.counters["handshakes/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_ApplicationData(benchmark::State& state, CipherSuite suite) {
  const auto server_side = server_config(KeyType::ecdsa_p256);
  auto client_side = client_config(*server_side, NamedGroup::x25519);
  client_side->cipher_suites = {suite};
  if (Tls12Suite::from(suite)) client_side->versions = {ProtocolVersion::tls1_2};
  auto client = Connection::client(client_side, "example.com", kNow).value();
  auto server = Connection::server(server_side, kNow).value();
  std::vector<std::uint8_t> buffer;
  for (bool moved = true; moved;) {
    const bool to_server = transfer(client, server, buffer);
    const bool to_client = transfer(server, client, buffer);
    moved = to_server || to_client;
  }
  const std::vector<std::uint8_t> message(static_cast<std::size_t>(state.range(0)), 0x61);
  for (auto _ : state) {
    if (!client.send(message)) std::abort();
    transfer(client, server, buffer);  // seal, then open in place
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

}  // namespace

BENCHMARK_CAPTURE(BM_FullHandshake, ecdsa_p256_x25519, KeyType::ecdsa_p256, NamedGroup::x25519)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FullHandshake, ecdsa_p256_secp256r1, KeyType::ecdsa_p256, NamedGroup::secp256r1)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FullHandshake, ed25519_x25519, KeyType::ed25519, NamedGroup::x25519)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FullHandshake, rsa2048_x25519, KeyType::rsa, NamedGroup::x25519)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FullHandshake, tls12_ecdsa_p256_x25519, KeyType::ecdsa_p256, NamedGroup::x25519,
                  ProtocolVersion::tls1_2)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FullHandshake, tls12_rsa2048_x25519, KeyType::rsa, NamedGroup::x25519, ProtocolVersion::tls1_2)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ApplicationData, aes128gcm, CipherSuite::tls_aes_128_gcm_sha256)->Arg(16384)->Arg(1024 * 1024);
BENCHMARK_CAPTURE(BM_ApplicationData, tls12_ecdhe_ecdsa_aes128gcm, CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256)
    ->Arg(16384)->Arg(1024 * 1024);
BENCHMARK_CAPTURE(BM_ApplicationData, chacha20poly1305, CipherSuite::tls_chacha20_poly1305_sha256)->Arg(16384)->Arg(1024 * 1024);
BENCHMARK_CAPTURE(BM_ApplicationData, tls12_ecdhe_ecdsa_chacha20poly1305,
                  CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256)
    ->Arg(16384)->Arg(1024 * 1024);
