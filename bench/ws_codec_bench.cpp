// Throughput of the WebSocket hot path: frame decode + in-place unmasking (server role, masked
// binary frames as a browser sends them), client-side masking on send, and UTF-8 validation.
// Figures only; compare with uWebSockets/Beast on the same machine.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "duplex/ws/engine.hpp"

namespace {

using duplex::ws::Engine;
using duplex::ws::FrameHeader;
using duplex::ws::Opcode;

// A receive buffer of about 64 KiB holding back-to-back masked binary frames of `payload` bytes.
std::vector<std::uint8_t> masked_frames(std::size_t payload) {
  const std::size_t count = std::max<std::size_t>(1, 65536 / (payload + 6));
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < count; ++i) {
    const FrameHeader header{.opcode = Opcode::binary,
                             .masked = true,
                             .masking_key = {0x37, 0xfa, 0x21, static_cast<std::uint8_t>(i)},
                             .payload_length = payload};
    std::array<std::uint8_t, duplex::ws::max_frame_header_size> head{};
    const std::size_t n = duplex::ws::encode_frame_header(header, head);
    out.insert(out.end(), head.begin(), head.begin() + static_cast<std::ptrdiff_t>(n));
    for (std::size_t k = 0; k < payload; ++k) out.push_back(static_cast<std::uint8_t>(k * 7 + i));
  }
  return out;
}

// Binary payloads carry no UTF-8 rule, so the buffer can be fed again and again: each pass
// unmasks it in place (toggling the payload), which is exactly the work being measured.
void BM_ServerReceivesMaskedBinaryFrames(benchmark::State& state) {
  const auto payload = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> buffer = masked_frames(payload);
  const duplex::ws::Config config{};
  Engine engine(duplex::ws::Role::server, config);
  std::size_t messages = 0;
  for (auto _ : state) {
    engine.receive(buffer);
    while (auto event = engine.next_event()) {
      benchmark::DoNotOptimize(std::get<duplex::ws::Message>(*event).payload.data());
      ++messages;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * buffer.size()));
  state.counters["msgs/s"] = benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ServerReceivesMaskedBinaryFrames)->Arg(16)->Arg(1024)->Arg(65536);

// The same frames arriving in 1500-byte reads (one TCP segment each), so frames straddle reads
// and are copied aside: the slow path.
void BM_ServerReceivesFramesSplitAcrossReads(benchmark::State& state) {
  const auto payload = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> buffer = masked_frames(payload);
  const duplex::ws::Config config{};
  Engine engine(duplex::ws::Role::server, config);
  for (auto _ : state) {
    for (std::size_t at = 0; at < buffer.size(); at += 1500) {
      engine.receive(std::span(buffer).subspan(at, std::min<std::size_t>(1500, buffer.size() - at)));
      while (auto event = engine.next_event()) benchmark::DoNotOptimize(event->index());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * buffer.size()));
}
BENCHMARK(BM_ServerReceivesFramesSplitAcrossReads)->Arg(1024)->Arg(65536);

// A client framing and masking a message into its output buffer (fresh CSPRNG key per frame).
void BM_ClientSendsMaskedBinary(benchmark::State& state) {
  const std::vector<std::uint8_t> payload(static_cast<std::size_t>(state.range(0)), 0x42);
  const duplex::ws::Config config{};
  Engine engine(duplex::ws::Role::client, config);
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine.send_binary(payload));
    engine.consume_output(engine.buffered_amount());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * payload.size()));
}
BENCHMARK(BM_ClientSendsMaskedBinary)->Arg(16)->Arg(1024)->Arg(65536);

void BM_UnmaskInPlace(benchmark::State& state) {
  std::vector<std::uint8_t> data(static_cast<std::size_t>(state.range(0)), 0x42);
  for (auto _ : state) {
    duplex::ws::apply_mask(data, {0x37, 0xfa, 0x21, 0x3d}, 1);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_UnmaskInPlace)->Arg(16)->Arg(1024)->Arg(65536);

std::string ascii_text(std::size_t n) {
  std::string s;
  while (s.size() < n) s += "The quick brown fox jumps over the lazy dog. 0123456789\n";
  s.resize(n);
  return s;
}

// 1-, 2-, 3- and 4-byte code points mixed, as in chat text with accents, CJK and emoji.
std::string mixed_text(std::size_t n) {
  const std::string sample = "héllo wörld 日本語のテキスト 🎉👍 κόσμε — ";
  std::string s;
  while (s.size() < n) s += sample;
  s.resize(n);
  while ((static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();  // whole code points
  if (static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
  return s;
}

void BM_Utf8Ascii(benchmark::State& state) {
  const std::string text = ascii_text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(duplex::ws::is_valid_utf8(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Utf8Ascii)->Arg(64)->Arg(65536);

void BM_Utf8MixedMultiByte(benchmark::State& state) {
  const std::string text = mixed_text(static_cast<std::size_t>(state.range(0)));
  if (!duplex::ws::is_valid_utf8(text)) state.SkipWithError("the sample text is not UTF-8");
  for (auto _ : state) benchmark::DoNotOptimize(duplex::ws::is_valid_utf8(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Utf8MixedMultiByte)->Arg(64)->Arg(65536);

}  // namespace
