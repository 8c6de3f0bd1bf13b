// AEAD seal/open throughput for full 16 KiB TLS records (RFC 8446 §5.2: 2^14 bytes of plaintext),
// through duplex::crypto::AeadKey. Compare with `openssl speed -evp aes-128-gcm -bytes 16384`.
#include <benchmark/benchmark.h>

#include <array>
#include <cstring>
#include <vector>

#include "duplex/crypto/aead.hpp"

namespace {

using duplex::crypto::AeadAlgorithm;
using duplex::crypto::AeadKey;

constexpr std::size_t kRecordSize = 16384;

AeadKey make_key(AeadAlgorithm algorithm) {
  std::vector<std::uint8_t> key(duplex::crypto::key_size(algorithm), 0x42);
  auto created = AeadKey::create(algorithm, key);
  if (!created.ok()) std::abort();
  return std::move(created).value();
}

void BM_Seal(benchmark::State& state, AeadAlgorithm algorithm) {
  AeadKey key = make_key(algorithm);
  std::vector<std::uint8_t> record(kRecordSize, 0x61);
  const std::array<std::uint8_t, 5> aad = {0x17, 0x03, 0x03, 0x40, 0x11};
  std::array<std::uint8_t, 12> nonce{};
  std::array<std::uint8_t, 16> tag{};
  std::uint64_t sequence = 0;
  for (auto _ : state) {
    // RFC 8446 §5.3: the nonce changes per record (here the sequence number XOR a zero IV).
    ++sequence;
    std::memcpy(nonce.data() + 4, &sequence, sizeof(sequence));
    if (!key.seal(nonce, aad, record, tag).ok()) state.SkipWithError("seal failed");
    benchmark::DoNotOptimize(tag.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRecordSize));
}

void BM_Open(benchmark::State& state, AeadAlgorithm algorithm) {
  AeadKey key = make_key(algorithm);
  std::vector<std::uint8_t> sealed(kRecordSize, 0x61);
  const std::array<std::uint8_t, 5> aad = {0x17, 0x03, 0x03, 0x40, 0x11};
  const std::array<std::uint8_t, 12> nonce{};
  std::array<std::uint8_t, 16> tag{};
  if (!key.seal(nonce, aad, sealed, tag).ok()) std::abort();
  std::vector<std::uint8_t> record(kRecordSize);
  for (auto _ : state) {
    std::memcpy(record.data(), sealed.data(), kRecordSize);  // open decrypts in place
    if (!key.open(nonce, aad, record, tag).ok()) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(record.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRecordSize));
}

BENCHMARK_CAPTURE(BM_Seal, aes_128_gcm, AeadAlgorithm::aes_128_gcm)->ThreadRange(1, 2);
BENCHMARK_CAPTURE(BM_Seal, aes_256_gcm, AeadAlgorithm::aes_256_gcm);
BENCHMARK_CAPTURE(BM_Seal, chacha20_poly1305, AeadAlgorithm::chacha20_poly1305)->ThreadRange(1, 2);
BENCHMARK_CAPTURE(BM_Open, aes_128_gcm, AeadAlgorithm::aes_128_gcm);
BENCHMARK_CAPTURE(BM_Open, chacha20_poly1305, AeadAlgorithm::chacha20_poly1305);

}  // namespace
