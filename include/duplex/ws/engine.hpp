// The RFC 6455 WebSocket engine, sans-I/O: bytes in, events and bytes out. It never touches a
// socket, a clock or a thread; the runtime (src/net), tests and fuzzers drive the same object.
//
//   bytes from the transport ──► receive(bytes) ─► next_event() ... until nullopt
//   application calls ─────────► send_text / send_binary / send_ping / send_close
//   pending_output() ──────────► bytes for the transport, then consume_output(n)
//
// The engine starts after the opening handshake (see handshake.hpp), in the OPEN state.
#pragma once

#include <array>
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
// Sees every frame as it is sent or received, for tools that trace them (`duplex connect
// --trace`). Received frames are seen at their header, with the first bytes of the payload that
// have arrived by then (unmasked, at most kFramePreviewBytes); sent frames with their payload.
enum class FrameDirection : std::uint8_t { received, sent };
inline constexpr std::size_t kFramePreviewBytes = 64;
class FrameObserver {
 public:
  virtual ~FrameObserver() = default;
  virtual void on_frame(FrameDirection direction, const FrameHeader& header,
                        std::span<const std::uint8_t> payload_start) = 0;
};

struct Config {
  // RFC 6455 §10.4: an endpoint should bound what it buffers. 16 MiB carries chat and file
  // transfers while keeping a hostile peer from taking the machine's memory.
  std::uint64_t max_message_bytes = 16u * 1024 * 1024;
  // Not owned; must outlive the engines. nullptr (the default) costs one test per frame.
  FrameObserver* observer = nullptr;
};

// Events. Views (payload, reason) point into the bytes given to receive() or into the engine's
// own buffer; they stay valid until the next call of next_event() or receive(). In an ASan build
// the engine's own bytes are poisoned then (duplex/util/asan.hpp): a view kept longer is reported.
struct Message {
  MessageType type;
  std::span<const std::uint8_t> payload;
  std::string_view text() const { return {reinterpret_cast<const char*>(payload.data()), payload.size()}; }
};
// A ping from the peer; the engine has already queued the pong (RFC 6455 §5.5.2), unless this side
// had sent its close frame (after which nothing is sent, §5.5.1).
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
  // `config` must outlive the engine (it is shared, per route, by every connection's engine); a
  // temporary would not, so it does not compile.
  Engine(Role role, const Config& config);
  Engine(Role role, const Config&& config) = delete;

  Role role() const { return role_; }

  // --- input ---
  // Hands the engine bytes read from the transport. The engine unmasks them in place and may hand
  // out views into them, so the caller keeps `data` alive and unchanged until next_event() has
  // returned nullopt. Bytes of a frame or message that is not complete yet are copied aside.
  // Precondition: next_event() returned nullopt since the previous receive() (asserted in debug
  // builds); bytes given after input_closed() or receive_eof() are ignored.
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
  // Starts (or answers) the closing handshake. After it nothing more is sent. `code` must be valid
  // on the wire and 2 + reason.size() <= 125 with a UTF-8 reason; no_status_received (1005) with
  // no reason sends an empty close frame.
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
  //
  // True once nothing more will be read and nothing more will be sent: the close handshake is done
  // (close sent and received), or the connection failed (the close frame with the error code is
  // queued, or the transport ended: 1006). Same rule in both roles; the engine only exposes state:
  // the runtime first writes pending_output() out, then a server closes TCP at once while a client
  // waits a bounded time for the server's FIN before closing itself. Not true while only one side
  // has sent a close: the runtime bounds that wait with its own close timeout.
  bool should_close_transport() const;

  // Frees buffers an idle connection does not need (called by the runtime after each read/write):
  // the message buffer once empty, and the output buffer once empty if it grew past 256 bytes
  // (a small one is kept so that pings and short messages do not allocate on every send).
  void release_idle_memory();

 private:
  // Implementation state; see engine.cpp. Keep this small: a server holds one per connection.
  void observe_received(const FrameHeader& header);
  bool read_frame_header(std::optional<Event>& failure);
  std::optional<Event> check_frame_header(const FrameHeader& header);
  std::optional<Event> read_data_payload();
  std::optional<Event> read_control_payload();
  std::optional<Event> handle_control_frame(std::span<const std::uint8_t> payload);
  std::optional<Event> handle_close_frame(std::span<const std::uint8_t> payload);
  std::span<std::uint8_t> take_input(std::uint64_t count);
  void release_delivered();
  Failure fail(CloseCode code, std::string message);
  void write_frame(Opcode opcode, bool fin, std::span<const std::uint8_t> payload);
  void write_close_frame(CloseCode code, std::string_view reason);
  bool can_send() const;

  const Config* config_;
  // Bytes for the transport: whole frames, header then payload (masked by a client).
  ByteBuffer output_;
  // Payload of a message that is fragmented or arrived across reads; a control frame that arrived
  // across reads is kept after it, at the end, until it has been delivered.
  ByteBuffer assembly_;
  // What receive() was given and next_event() has not parsed yet (the caller's bytes).
  std::span<std::uint8_t> input_;

  // The frame being read, once its header is complete.
  std::uint64_t frame_remaining_ = 0;  // payload bytes not read yet
  MaskingKey masking_key_{};
  std::uint8_t mask_offset_ = 0;       // payload bytes read so far, mod 4
  Opcode frame_opcode_ = Opcode::continuation;
  bool frame_fin_ = false;
  bool in_frame_ = false;              // a header was read and its payload is not complete
  std::uint8_t control_buffered_ = 0;  // bytes of a control payload at the end of assembly_

  // A frame header split across reads (RFC 6455 §5.2: at most 14 bytes).
  std::uint8_t header_size_ = 0;
  std::array<std::uint8_t, max_frame_header_size> header_bytes_{};

  // The message being received (RFC 6455 §5.4 fragmentation).
  MessageType message_type_ = MessageType::binary;
  bool message_fragmented_ = false;    // a data frame with FIN=0 came and its last one has not
  Utf8Validator message_utf8_;

  // The message being sent with send_fragment().
  bool sending_fragmented_ = false;
  bool sending_text_ = false;
  Utf8Validator send_utf8_;

  // What the previous event handed out of assembly_, dropped at the start of the next call.
  bool release_message_ = false;
  std::uint8_t release_control_ = 0;

  Role role_;
  bool close_sent_ = false;
  bool close_received_ = false;
  bool input_closed_ = false;
  bool eof_ = false;
};

}  // namespace duplex::ws
