// The public-key operations of one TLS 1.3 handshake, through duplex::crypto: an ephemeral key
// share and its shared secret, and a CertificateVerify signature and its verification.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "duplex/crypto/key_exchange.hpp"
#include "duplex/crypto/signature.hpp"

namespace {

using namespace duplex::crypto;

void BM_KeyShareAndSecret(benchmark::State& state, NamedGroup group) {
  auto peer = KeyShare::generate(group);
  if (!peer.ok()) std::abort();
  for (auto _ : state) {
    auto ours = KeyShare::generate(group);
    auto secret = ours->shared_secret(peer->public_share());
    if (!secret.ok()) state.SkipWithError("key agreement failed");
    benchmark::DoNotOptimize(secret->bytes().data());
  }
}

void BM_Sign(benchmark::State& state, KeyType type, SignatureScheme scheme) {
  auto key = PrivateKey::generate(type);
  if (!key.ok()) std::abort();
  const std::uint8_t message[130] = {};  // 64 spaces, context string, transcript hash
  for (auto _ : state) {
    auto signature = key->sign(scheme, message);
    if (!signature.ok()) state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(signature->data());
  }
}

void BM_Verify(benchmark::State& state, KeyType type, SignatureScheme scheme) {
  auto key = PrivateKey::generate(type);
  if (!key.ok()) std::abort();
  const std::uint8_t message[130] = {};
  auto signature = key->sign(scheme, message);
  const PublicKey public_key = key->public_key();
  for (auto _ : state) {
    if (!public_key.verify(scheme, message, *signature).ok()) state.SkipWithError("verify failed");
  }
}

BENCHMARK_CAPTURE(BM_KeyShareAndSecret, x25519, NamedGroup::x25519);
BENCHMARK_CAPTURE(BM_KeyShareAndSecret, secp256r1, NamedGroup::secp256r1);
BENCHMARK_CAPTURE(BM_KeyShareAndSecret, secp384r1, NamedGroup::secp384r1);
BENCHMARK_CAPTURE(BM_Sign, ecdsa_secp256r1_sha256, KeyType::ecdsa_p256,
                  SignatureScheme::ecdsa_secp256r1_sha256);
BENCHMARK_CAPTURE(BM_Sign, rsa_pss_rsae_sha256, KeyType::rsa, SignatureScheme::rsa_pss_rsae_sha256);
BENCHMARK_CAPTURE(BM_Sign, ed25519, KeyType::ed25519, SignatureScheme::ed25519);
BENCHMARK_CAPTURE(BM_Verify, ecdsa_secp256r1_sha256, KeyType::ecdsa_p256,
                  SignatureScheme::ecdsa_secp256r1_sha256);
BENCHMARK_CAPTURE(BM_Verify, rsa_pss_rsae_sha256, KeyType::rsa, SignatureScheme::rsa_pss_rsae_sha256);

}  // namespace
