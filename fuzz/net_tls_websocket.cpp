// Fuzzes the stack a wss:// server runs, TLS 1.3 then WebSocket, after a completed handshake:
// the input is either what a client sends through TLS (sealed properly, so it reaches the
// WebSocket engine as application data, in the records the client cuts), or raw bytes on the
// wire after the handshake (records the server must refuse). Nothing may crash or hang, and
// each layer must end with exactly one failure at most.
//
// Input: [mode][stream...]; mode bit 0: 0 = plaintext through the client's TLS, 1 = raw records.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "../tests/tls/test_certificates.hpp"
#include "duplex/tls/connection.hpp"
#include "duplex/ws/engine.hpp"

namespace {

using namespace duplex;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

constexpr std::int64_t kNow = 1'750'000'000;

std::shared_ptr<const tls::ServerConfig> server_config() {
  static const auto config = [] {
    auto built = std::make_shared<tls::ServerConfig>();
    built->certificates.push_back(tls::test::self_signed(crypto::KeyType::ecdsa_p256, {"example.com"}));
    return built;
  }();
  return config;
}

std::shared_ptr<const tls::ClientConfig> client_config() {
  static const auto config = [] {
    auto built = std::make_shared<tls::ClientConfig>();
    built->verifier = tls::insecure_no_verification();
    return built;
  }();
  return config;
}

// Moves `from`'s output into `to`, draining `to`'s events (handshake only: no data expected).
bool transfer(tls::Connection& from, tls::Connection& to, std::vector<std::uint8_t>& buffer) {
  const auto pending = from.pending_output();
  if (pending.empty()) return false;
  buffer.assign(pending.begin(), pending.end());
  from.consume_output(buffer.size());
  to.receive(buffer);
  while (auto event = to.next_event()) check(!std::holds_alternative<tls::Failure>(*event));
  return true;
}

// The server's side: TLS events; application data goes to the WebSocket engine in place.
void serve(tls::Connection& server, ws::Engine& engine) {
  bool tls_failed = false;
  bool ws_failed = false;
  while (auto event = server.next_event()) {
    check(!tls_failed);
    if (std::holds_alternative<tls::Failure>(*event)) tls_failed = true;
    auto* data = std::get_if<tls::ApplicationData>(&*event);
    if (!data) continue;
    engine.receive(data->data);
    while (auto ws_event = engine.next_event()) {
      check(!ws_failed);
      if (std::holds_alternative<ws::Failure>(*ws_event)) ws_failed = true;
      if (auto* message = std::get_if<ws::Message>(&*ws_event)) (void)engine.send(message->type, message->payload);
    }
    // What the engine answers goes back through TLS, as the runtime does.
    if (engine.buffered_amount() > 0 && server.can_send()) {
      const auto out = engine.pending_output();
      check(server.send(out).ok());
      engine.consume_output(out.size());
    }
    server.consume_output(server.pending_output().size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool raw = (data[0] & 1) != 0;
  const std::span<const std::uint8_t> stream(data + 1, size - 1);

  auto client = tls::Connection::client(client_config(), "example.com", kNow).value();
  auto server = tls::Connection::server(server_config(), kNow).value();
  std::vector<std::uint8_t> buffer;
  for (bool moved = true; moved;) {
    const bool to_server = transfer(client, server, buffer);
    const bool to_client = transfer(server, client, buffer);
    moved = to_server || to_client;
  }
  check(client.handshake_complete() && server.handshake_complete());

  const ws::Config ws_config{.max_message_bytes = 1 << 20};
  ws::Engine engine(ws::Role::server, ws_config);
  if (raw) {
    buffer.assign(stream.begin(), stream.end());
  } else {
    check(client.send(stream).ok());
    const auto sealed = client.pending_output();
    buffer.assign(sealed.begin(), sealed.end());
  }
  server.receive(buffer);
  serve(server, engine);
  server.receive_eof();
  serve(server, engine);
  return 0;
}
