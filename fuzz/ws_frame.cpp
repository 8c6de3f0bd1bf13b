// Fuzzes the RFC 6455 engine (frame codec, unmasking, UTF-8, assembly, close handshake) in both
// roles. Input: [split][flags][bytes...]. The bytes are fed in two reads cut at an input-chosen
// point, the second one optionally in small pieces; every event is checked and echoed, and what
// the engine writes is fed to an engine of the other role, which must find nothing wrong with it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>
#include <vector>

#include "duplex/ws/engine.hpp"

namespace {

using duplex::ws::CloseCode;
using duplex::ws::Engine;
using duplex::ws::Role;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

// Reads every byte of a view handed out, so ASan sees a view that outlived its bytes.
std::uint8_t touch(std::span<const std::uint8_t> bytes) {
  std::uint8_t sum = 0;
  for (std::uint8_t b : bytes) sum = static_cast<std::uint8_t>(sum + b);
  return sum;
}

struct Checker {
  const duplex::ws::Config& config;
  Engine& engine;
  bool ended = false;          // a CloseReceived or Failure was seen: nothing may follow
  bool echo = true;
  volatile std::uint8_t sink = 0;

  void drain() {
    while (auto event = engine.next_event()) {
      check(!ended);
      if (auto* m = std::get_if<duplex::ws::Message>(&*event)) {
        sink = touch(m->payload);
        check(m->payload.size() <= config.max_message_bytes);
        if (m->type == duplex::ws::MessageType::text) check(duplex::ws::is_valid_utf8(m->payload));
        if (echo) {
          const auto result = engine.send(m->type, m->payload);
          check(result != duplex::ws::SendResult::invalid);
        }
      } else if (auto* p = std::get_if<duplex::ws::Ping>(&*event)) {
        sink = touch(p->payload);
        check(p->payload.size() <= 125);
      } else if (auto* p = std::get_if<duplex::ws::Pong>(&*event)) {
        sink = touch(p->payload);
        check(p->payload.size() <= 125);
      } else if (auto* c = std::get_if<duplex::ws::CloseReceived>(&*event)) {
        ended = true;
        check(engine.close_received() && engine.close_sent() && engine.input_closed());
        check(duplex::ws::is_valid_utf8(c->reason));
        check(c->code == CloseCode::no_status_received ||
              duplex::ws::is_valid_on_wire(static_cast<std::uint16_t>(c->code)));
      } else {
        const auto& f = std::get<duplex::ws::Failure>(*event);
        ended = true;
        check(!f.message.empty() && engine.input_closed() && engine.should_close_transport());
        check(f.code == CloseCode::protocol_error || f.code == CloseCode::invalid_payload ||
              f.code == CloseCode::message_too_big || f.code == CloseCode::abnormal_closure);
      }
    }
  }
};

// Feeds a copy of `bytes` (the engine unmasks in place; the fuzzer's input is read-only).
void feed(Checker& checker, std::span<const std::uint8_t> bytes, std::vector<std::vector<std::uint8_t>>& keep) {
  keep.emplace_back(bytes.begin(), bytes.end());
  checker.engine.receive(keep.back());
  checker.drain();
}

// What `engine` wrote must be flawless frames for the other role.
void check_output_with_peer(Engine& engine, Role peer_role) {
  const duplex::ws::Config peer_config{};
  Engine peer(peer_role, peer_config);
  std::vector<std::uint8_t> written(engine.pending_output().begin(), engine.pending_output().end());
  peer.receive(written);
  while (auto event = peer.next_event()) check(!std::holds_alternative<duplex::ws::Failure>(*event));
}

void run(Role role, std::uint8_t split, std::uint8_t flags, std::span<const std::uint8_t> stream) {
  // A small limit now and then, to reach the 1009 paths.
  const duplex::ws::Config config{.max_message_bytes = (flags & 0x80) ? 200u : 1u << 20};
  Engine engine(role, config);
  Checker checker{config, engine};
  checker.echo = (flags & 0x40) == 0;
  std::vector<std::vector<std::uint8_t>> keep;

  const std::size_t cut = stream.size() * split / 255;
  feed(checker, stream.first(cut), keep);
  // Half of what the engine wrote goes out now: consume_output() with frames still queued.
  engine.consume_output(engine.buffered_amount() / 2 * ((flags >> 5) & 1));
  const std::size_t step = flags & 0x1F;  // 0: the rest in one read
  std::span<const std::uint8_t> rest = stream.subspan(cut);
  while (!rest.empty()) {
    const std::size_t n = step == 0 ? rest.size() : std::min(step, rest.size());
    feed(checker, rest.first(n), keep);
    rest = rest.subspan(n);
    engine.release_idle_memory();
  }
  if (flags & 0x20) {
    engine.consume_output(engine.buffered_amount());
  } else {
    check_output_with_peer(engine, role == Role::server ? Role::client : Role::server);
  }
  engine.receive_eof();
  checker.drain();
  check(engine.input_closed() && engine.should_close_transport());
  engine.release_idle_memory();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::span<const std::uint8_t> input(data, size);
  run(Role::server, input[0], input[1], input.subspan(2));
  run(Role::client, input[0], input[1], input.subspan(2));
  return 0;
}
