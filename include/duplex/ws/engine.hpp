// The RFC 6455 WebSocket engine, sans-I/O: bytes in, events and bytes out. It never touches a
// socket, a clock or a thread; the runtime (src/net), tests and fuzzers drive the same object.
//
//   bytes from the transport ──► receive(bytes) ─► next_event() ... until nullopt
//   application calls ─────────► send_text / send_binary / send_ping / send_close
//   pending_output() ──────────► bytes for the transport, then consume_output(n)
//
// The engine starts after the opening handshake (see handshake.hpp), in the OPEN state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "duplex/util/byte_buffer.hpp"
#include "duplex/ws/close_code.hpp"
#include "duplex/ws/frame_header.hpp"
#include "duplex/ws/opcode.hpp"
#include "duplex/ws/utf8.hpp"

namespace duplex::ws {

enum class Role : std::uint8_t { client, server };

// Limits and behaviour shared by many connections: the runtime keeps one Config per server and
// hands each engine a reference, so a connection pays nothing for it.
struct Config {
  // RFC 6455 §10.4: an endpoint should bound what it buffers. 16 MiB carries chat and file
  // transfers while keeping a hostile peer from taking the machine's memory.
  std::uint64_t max_message_bytes = 16u * 1024 * 1024;
};

// Events. Views (payload, reason) point into the bytes given to receive() or into the engine's
// own buffer; they stay valid until the next call of next_event() or receive().
struct Message {
  MessageType type;
  std::span<const std::uint8_t> payload;
  std::string_view text() const { return {reinterpret_cast<const char*>(payload.data()), payload.size()}; }
};
// A ping from the peer; the engine has already queued the pong (RFC 6455 §5.5.2).
struct Ping {
  std::span<const std::uint8_t> payload;
};
struct Pong {
  std::span<const std::uint8_t> payload;
};
// The peer's close frame (code 1005 when it carried none). If this side had not sent a close
// yet, the engine has queued the echo (RFC 6455 §5.5.1); either way the close handshake is done.
struct CloseReceived {
  CloseCode code;
  std::string_view reason;
};
// The connection failed: either the peer broke the protocol (the engine queued a close frame
// with `code`, e.g. 1002, 1007, 1009, and reads nothing more), or the transport ended before the
// close handshake (code 1006, nothing queued). `message` is a sentence naming the cause.
struct Failure {
  CloseCode code;
  std::string message;
};

using Event = std::variant<Message, Ping, Pong, CloseReceived, Failure>;

enum class SendResult : std::uint8_t {
  ok,
  closed,         // a close frame was already sent: RFC 6455 §5.5.1 allows nothing after it
  invalid,        // a control payload over 125 bytes, a close code not valid on the wire, or non-UTF-8 text
};

class Engine {
 public:
  // `config` must outlive the engine.
  Engine(Role role, const Config& config);

  Role role() const { return role_; }

  // --- input ---
  // Hands the engine bytes read from the transport. The engine unmasks them in place and may hand
  // out views into them, so the caller keeps `data` alive and unchanged until next_event() has
  // returned nullopt. Bytes of a frame or message that is not complete yet are copied aside.
  void receive(std::span<std::uint8_t> data);
  // The transport reached end of file. Yields Failure{1006} unless the close handshake is done.
  void receive_eof();
  // Parses lazily: each call decodes only as far as the next event.
  std::optional<Event> next_event();

  // --- output ---
  SendResult send_text(std::string_view text);
  SendResult send_binary(std::span<const std::uint8_t> data);
  SendResult send(MessageType type, std::span<const std::uint8_t> data);
  // One fragment of a message (RFC 6455 §5.4): the first names the type, the rest continue it.
  SendResult send_fragment(MessageType type, std::span<const std::uint8_t> data, bool first, bool fin);
  SendResult send_ping(std::span<const std::uint8_t> payload = {});
  SendResult send_pong(std::span<const std::uint8_t> payload = {});
  // Starts (or answers) the closing handshake. After it nothing more is sent.
  SendResult send_close(CloseCode code = CloseCode::normal, std::string_view reason = {});

  // Bytes to write to the transport, oldest first; consume_output(n) once n of them are written.
  std::span<const std::uint8_t> pending_output() const { return output_.data(); }
  void consume_output(std::size_t count);
  std::size_t buffered_amount() const { return output_.size(); }

  // --- state ---
  bool close_sent() const { return close_sent_; }
  bool close_received() const { return close_received_; }
  // True once this side reads nothing more: the close was received, or the connection failed.
  bool input_closed() const { return input_closed_; }
  // RFC 6455 §7.1.1: the server closes TCP first once the close handshake is done and the close
  // frame is written; the client waits for the server to do it (for a bounded time).
  bool should_close_transport() const;

  // Frees buffers an idle connection does not need (called by the runtime after each read/write).
  void release_idle_memory();

 private:
  // Implementation state; see engine.cpp. Keep this small: a server holds one per connection.
  ...
};

}  // namespace duplex::ws
