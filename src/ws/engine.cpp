#include "duplex/ws/engine.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "duplex/crypto/random.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::ws {

namespace {

// RFC 6455 §5.5: "All control frames MUST have a payload length of 125 bytes or less".
constexpr std::size_t max_control_payload = 125;

}  // namespace

// A server keeps one engine per connection: keep it a few cache lines.
static_assert(sizeof(Engine) <= 160, "Engine grew past 160 bytes");

Engine::Engine(Role role, const Config& config) : config_(&config), role_(role) {}

// --- input ---------------------------------------------------------------------------------------

void Engine::receive(std::span<std::uint8_t> data) {
  release_delivered();
  if (input_closed_ || eof_) return;  // RFC 6455 §5.5.1: nothing is read after a close frame
  assert(input_.empty() && "next_event() must return nullopt before the next receive()");
  input_ = data;
}

void Engine::receive_eof() { eof_ = true; }

std::optional<Event> Engine::next_event() {
  release_delivered();
  while (!input_closed_) {
    if (!in_frame_) {
      std::optional<Event> failure;
      if (!read_frame_header(failure)) {
        if (failure) return failure;
        break;  // the header is not complete: wait for more input
      }
    }
    std::optional<Event> event =
        is_control(frame_opcode_) ? read_control_payload() : read_data_payload();
    if (event) return event;
    if (in_frame_) break;  // the payload is not complete: wait for more input
  }
  if (eof_ && !input_closed_) {
    input_closed_ = true;
    // RFC 6455 §7.1.5: a connection closed with no close frame has the status 1006.
    const bool mid_frame = in_frame_ || header_size_ > 0 || message_fragmented_;
    return Failure{CloseCode::abnormal_closure,
                   mid_frame ? "the transport ended in the middle of a frame or message (RFC 6455 §7.1.5)"
                             : "the transport ended before the close handshake (RFC 6455 §7.1.5)"};
  }
  return std::nullopt;
}

std::span<std::uint8_t> Engine::take_input(std::uint64_t count) {
  std::span<std::uint8_t> taken = input_.first(static_cast<std::size_t>(count));
  input_ = input_.subspan(taken.size());
  return taken;
}

// Drops what the previous event lent out of assembly_: views stay valid until the next call.
// In an ASan build the dropped bytes are poisoned, so a view kept past that is reported; the
// buffer unpoisons them as it writes there again.
void Engine::release_delivered() {
  if (release_message_) {
    assembly_.clear();
    assembly_.poison_spare();
  } else if (release_control_ > 0) {
    assembly_.shrink_back(release_control_);
    assembly_.poison_spare();
  }
  release_message_ = false;
  release_control_ = 0;
}

// Reads a frame header from the input; a header split across reads waits in header_bytes_.
// True once a valid header is read; false if more input is needed or `failure` was set.
bool Engine::read_frame_header(std::optional<Event>& failure) {
  DecodedFrameHeader decoded = header_size_ == 0
                                   ? decode_frame_header(input_)
                                   : decode_frame_header(std::span(header_bytes_).first(header_size_));
  if (header_size_ == 0 && decoded.status == FrameHeaderStatus::complete) {
    input_ = input_.subspan(decoded.size);
  }
  while (decoded.status == FrameHeaderStatus::incomplete) {
    const std::size_t count = std::min<std::size_t>(decoded.size - header_size_, input_.size());
    if (count == 0) return false;
    std::copy_n(input_.begin(), count, header_bytes_.begin() + header_size_);
    header_size_ = static_cast<std::uint8_t>(header_size_ + count);
    input_ = input_.subspan(count);
    decoded = decode_frame_header(std::span(header_bytes_).first(header_size_));
  }
  header_size_ = 0;

  if (decoded.status == FrameHeaderStatus::length_too_large) {
    failure = fail(CloseCode::protocol_error,
                   "the peer sent a 64-bit payload length with its most significant bit set "
                   "(RFC 6455 §5.2)");
    return false;
  }
  const FrameHeader& header = decoded.header;
  if (config_->observer) observe_received(header);
  failure = check_frame_header(header);
  if (failure) return false;

  in_frame_ = true;
  frame_remaining_ = header.payload_length;
  masking_key_ = header.masking_key;  // all zero when unmasked: apply_mask() skips it
  mask_offset_ = 0;
  frame_opcode_ = header.opcode;
  frame_fin_ = header.fin;
  if (!is_control(header.opcode)) {
    if (header.opcode != Opcode::continuation) {
      message_type_ = static_cast<MessageType>(header.opcode);
      message_utf8_.reset();
    }
    message_fragmented_ = !header.fin;
  }
  return true;
}

// The rules of RFC 6455 §5 on which frames a peer may send; nullopt if this header is fine.
std::optional<Event> Engine::check_frame_header(const FrameHeader& header) {
  // RFC 6455 §5.2: RSV1-3 "MUST be 0 unless an extension is negotiated" (none is, yet).
  if (header.rsv1 || header.rsv2 || header.rsv3) {
    return fail(CloseCode::protocol_error,
                "the peer set a reserved bit (RSV1, RSV2 or RSV3) with no extension negotiated "
                "(RFC 6455 §5.2)");
  }
  // RFC 6455 §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved.
  if (is_reserved(header.opcode)) {
    return fail(CloseCode::protocol_error,
                "the peer sent a frame with the " + to_string(header.opcode) + " opcode (RFC 6455 §5.2)");
  }
  // RFC 6455 §5.1: clients mask every frame, servers mask none.
  if (role_ == Role::server && !header.masked) {
    return fail(CloseCode::protocol_error, "the client sent an unmasked frame (RFC 6455 §5.1)");
  }
  if (role_ == Role::client && header.masked) {
    return fail(CloseCode::protocol_error, "the server sent a masked frame (RFC 6455 §5.1)");
  }
  if (is_control(header.opcode)) {
    // RFC 6455 §5.5: "Control frames MUST NOT be fragmented" and carry at most 125 bytes.
    if (!header.fin) {
      return fail(CloseCode::protocol_error,
                  "the peer sent a fragmented " + to_string(header.opcode) + " frame (RFC 6455 §5.5)");
    }
    if (header.payload_length > max_control_payload) {
      return fail(CloseCode::protocol_error,
                  "the peer sent a " + to_string(header.opcode) + " frame of " +
                      std::to_string(header.payload_length) +
                      " bytes, over the 125 allowed for control frames (RFC 6455 §5.5)");
    }
    return std::nullopt;
  }
  // RFC 6455 §5.4: a fragmented message is one data frame with FIN=0, continuations, and a last
  // continuation with FIN=1; data frames of other messages may not come in between.
  if (header.opcode == Opcode::continuation && !message_fragmented_) {
    return fail(CloseCode::protocol_error,
                "the peer sent a continuation frame with no message to continue (RFC 6455 §5.4)");
  }
  if (header.opcode != Opcode::continuation && message_fragmented_) {
    return fail(CloseCode::protocol_error,
                "the peer started a new " + to_string(header.opcode) +
                    " message inside a fragmented one (RFC 6455 §5.4)");
  }
  // RFC 6455 §10.4: refuse on the announced length, before buffering a byte of it.
  const std::uint64_t limit = config_->max_message_bytes;
  if (header.payload_length > limit || assembly_.size() > limit - header.payload_length) {
    return fail(CloseCode::message_too_big,
                "the peer sent a message of at least " +
                    std::to_string(assembly_.size() + header.payload_length) +
                    " bytes, over the limit of " + std::to_string(limit) + " (RFC 6455 §10.4)");
  }
  return std::nullopt;
}

std::optional<Event> Engine::read_data_payload() {
  const bool text = message_type_ == MessageType::text;
  // Zero copy: the last frame of a message with nothing buffered before it, whole in the input,
  // is unmasked where it lies and handed out as a view.
  if (frame_fin_ && assembly_.empty() && frame_remaining_ <= input_.size()) {
    std::span<std::uint8_t> payload = take_input(frame_remaining_);
    apply_mask(payload, masking_key_);
    frame_remaining_ = 0;
    in_frame_ = false;
    message_fragmented_ = false;
    // RFC 6455 §8.1: text must be UTF-8, checked as it arrives.
    if (text && !message_utf8_.feed(payload)) {
      return fail(CloseCode::invalid_payload,
                  "the peer sent a text message that is not valid UTF-8 (RFC 6455 §8.1)");
    }
    if (text && !message_utf8_.complete()) {
      return fail(CloseCode::invalid_payload,
                  "the peer sent a text message that ends inside a UTF-8 sequence (RFC 6455 §8.1)");
    }
    return Message{message_type_, payload};
  }

  // Otherwise the bytes at hand are unmasked in place and copied aside.
  std::span<std::uint8_t> chunk = take_input(std::min<std::uint64_t>(frame_remaining_, input_.size()));
  apply_mask(chunk, masking_key_, mask_offset_);
  mask_offset_ = static_cast<std::uint8_t>((mask_offset_ + chunk.size()) % 4);
  frame_remaining_ -= chunk.size();
  // RFC 6455 §8.1, failing fast: bad text is refused on arrival, not at the end of the message.
  if (text && !message_utf8_.feed(chunk)) {
    return fail(CloseCode::invalid_payload,
                "the peer sent a text message that is not valid UTF-8 (RFC 6455 §8.1)");
  }
  assembly_.append(chunk);
  if (frame_remaining_ > 0) return std::nullopt;
  in_frame_ = false;
  if (!frame_fin_) return std::nullopt;
  message_fragmented_ = false;
  if (text && !message_utf8_.complete()) {
    return fail(CloseCode::invalid_payload,
                "the peer sent a text message that ends inside a UTF-8 sequence (RFC 6455 §8.1)");
  }
  release_message_ = true;
  return Message{message_type_, assembly_.data()};
}

std::optional<Event> Engine::read_control_payload() {
  if (control_buffered_ == 0 && frame_remaining_ <= input_.size()) {
    std::span<std::uint8_t> payload = take_input(frame_remaining_);
    apply_mask(payload, masking_key_);
    frame_remaining_ = 0;
    in_frame_ = false;
    return handle_control_frame(payload);
  }
  // A control frame split across reads waits at the end of assembly_, after any message there
  // (RFC 6455 §5.4: control frames may come between the fragments of a message).
  std::span<std::uint8_t> chunk = take_input(std::min<std::uint64_t>(frame_remaining_, input_.size()));
  apply_mask(chunk, masking_key_, mask_offset_);
  mask_offset_ = static_cast<std::uint8_t>((mask_offset_ + chunk.size()) % 4);
  frame_remaining_ -= chunk.size();
  assembly_.append(chunk);
  control_buffered_ = static_cast<std::uint8_t>(control_buffered_ + chunk.size());
  if (frame_remaining_ > 0) return std::nullopt;
  in_frame_ = false;
  release_control_ = control_buffered_;
  control_buffered_ = 0;
  return handle_control_frame(assembly_.data().last(release_control_));
}

std::optional<Event> Engine::handle_control_frame(std::span<const std::uint8_t> payload) {
  switch (frame_opcode_) {
    case Opcode::ping:
      // RFC 6455 §5.5.2: answer with a Pong carrying the same data, as soon as practical; after
      // our close frame nothing more may be sent (§5.5.1).
      if (!close_sent_) write_frame(Opcode::pong, true, payload);
      return Ping{payload};
    case Opcode::pong:
      // RFC 6455 §5.5.3: an unsolicited Pong is allowed and needs no answer.
      return Pong{payload};
    default:
      return handle_close_frame(payload);
  }
}

std::optional<Event> Engine::handle_close_frame(std::span<const std::uint8_t> payload) {
  // RFC 6455 §5.5.1: the body, if any, is a 2-byte status code then a UTF-8 reason.
  CloseCode code = CloseCode::no_status_received;
  std::string_view reason;
  if (payload.size() == 1) {
    return fail(CloseCode::protocol_error,
                "the peer sent a close frame with a 1-byte body, too short for a status code "
                "(RFC 6455 §5.5.1)");
  }
  if (payload.size() >= 2) {
    const auto value = static_cast<std::uint16_t>((payload[0] << 8) | payload[1]);
    // RFC 6455 §7.4: 1005, 1006, 1015 and unassigned codes never appear in a close frame.
    if (!is_valid_on_wire(value)) {
      return fail(CloseCode::protocol_error,
                  "the peer sent a close frame with the code " + to_string(CloseCode{value}) +
                      ", which may not be sent (RFC 6455 §7.4)");
    }
    const std::span<const std::uint8_t> reason_bytes = payload.subspan(2);
    if (!is_valid_utf8(reason_bytes)) {
      return fail(CloseCode::invalid_payload,
                  "the peer sent a close reason that is not valid UTF-8 (RFC 6455 §5.5.1)");
    }
    code = CloseCode{value};
    reason = as_text(reason_bytes);
  }
  close_received_ = true;
  input_closed_ = true;  // RFC 6455 §5.5.1: the close frame is the last one read
  input_ = {};
  release_message_ = true;  // a message cut short is dropped with the reason, on the next call
  // RFC 6455 §5.5.1: "the endpoint MUST send a Close frame in response ... typically echoing
  // the status code it received" (an empty close frame answers an empty one).
  if (!close_sent_) write_close_frame(code, {});
  return CloseReceived{code, reason};
}

// RFC 6455 §7.1.7 "Fail the WebSocket Connection": send a close frame with the code (unless one
// was sent), then read nothing more.
Failure Engine::fail(CloseCode code, std::string message) {
  if (!close_sent_) write_close_frame(code, {});
  input_closed_ = true;
  input_ = {};
  in_frame_ = false;
  assembly_.clear();  // only called from next_event(), which released every view already
  release_message_ = false;
  release_control_ = 0;
  control_buffered_ = 0;
  return Failure{code, std::move(message)};
}

// --- output --------------------------------------------------------------------------------------

bool Engine::can_send() const { return !close_sent_ && !(eof_ && input_closed_); }

void Engine::write_frame(Opcode opcode, bool fin, std::span<const std::uint8_t> payload) {
  FrameHeader header{.fin = fin,
                     .opcode = opcode,
                     .masked = role_ == Role::client,
                     .payload_length = payload.size()};
  if (header.masked) {
    // RFC 6455 §5.3: a fresh, unpredictable masking key for every frame.
    const std::uint32_t random = crypto::random_u32();
    std::memcpy(header.masking_key.data(), &random, sizeof(random));
  }
  std::array<std::uint8_t, max_frame_header_size> head;
  const std::size_t head_size = encode_frame_header(header, head);
  std::span<std::uint8_t> out = output_.extend(head_size + payload.size());
  std::copy_n(head.begin(), head_size, out.begin());
  std::span<std::uint8_t> body = out.subspan(head_size);
  if (header.masked) {
    copy_masked(payload, body, header.masking_key);
  } else {
    std::copy(payload.begin(), payload.end(), body.begin());
  }
  if (config_->observer) config_->observer->on_frame(FrameDirection::sent, header, payload);
}

void Engine::observe_received(const FrameHeader& header) {
  // The payload bytes already here, unmasked in a copy (the input is unmasked later, in place).
  std::array<std::uint8_t, kFramePreviewBytes> preview{};
  const std::size_t count =
      static_cast<std::size_t>(std::min<std::uint64_t>({header.payload_length, input_.size(), preview.size()}));
  copy_masked(input_.first(count), std::span(preview).first(count), header.masking_key);
  config_->observer->on_frame(FrameDirection::received, header, std::span(preview).first(count));
}

void Engine::write_close_frame(CloseCode code, std::string_view reason) {
  close_sent_ = true;
  if (code == CloseCode::no_status_received) {
    write_frame(Opcode::close, true, {});
    return;
  }
  std::array<std::uint8_t, max_control_payload> body;
  const auto value = static_cast<std::uint16_t>(code);
  body[0] = static_cast<std::uint8_t>(value >> 8);
  body[1] = static_cast<std::uint8_t>(value);
  std::copy(reason.begin(), reason.end(), body.begin() + 2);
  write_frame(Opcode::close, true, std::span(body).first(2 + reason.size()));
}

SendResult Engine::send_text(std::string_view text) { return send(MessageType::text, as_bytes(text)); }

SendResult Engine::send_binary(std::span<const std::uint8_t> data) {
  return send(MessageType::binary, data);
}

SendResult Engine::send(MessageType type, std::span<const std::uint8_t> data) {
  return send_fragment(type, data, true, true);
}

SendResult Engine::send_fragment(MessageType type, std::span<const std::uint8_t> data, bool first,
                                 bool fin) {
  if (!can_send()) return SendResult::closed;
  // RFC 6455 §5.4: a message's fragments are sent in order, with no other data frame between.
  if (first == sending_fragmented_) return SendResult::invalid;
  const bool text = first ? type == MessageType::text : sending_text_;
  if (text) {
    // RFC 6455 §8.1: text is UTF-8 across the whole message (a fragment may split a code point).
    Utf8Validator validator = first ? Utf8Validator{} : send_utf8_;
    if (!validator.feed(data) || (fin && !validator.complete())) return SendResult::invalid;
    send_utf8_ = validator;
  }
  write_frame(first ? static_cast<Opcode>(type) : Opcode::continuation, fin, data);
  sending_fragmented_ = !fin;
  sending_text_ = text;
  return SendResult::ok;
}

SendResult Engine::send_ping(std::span<const std::uint8_t> payload) {
  if (!can_send()) return SendResult::closed;
  if (payload.size() > max_control_payload) return SendResult::invalid;
  write_frame(Opcode::ping, true, payload);
  return SendResult::ok;
}

SendResult Engine::send_pong(std::span<const std::uint8_t> payload) {
  if (!can_send()) return SendResult::closed;
  if (payload.size() > max_control_payload) return SendResult::invalid;
  write_frame(Opcode::pong, true, payload);
  return SendResult::ok;
}

SendResult Engine::send_close(CloseCode code, std::string_view reason) {
  if (!can_send()) return SendResult::closed;
  if (!can_send_close(code, reason)) return SendResult::invalid;
  write_close_frame(code, reason);
  return SendResult::ok;
}

void Engine::consume_output(std::size_t count) { output_.consume(std::min(count, output_.size())); }

// --- state ---------------------------------------------------------------------------------------

bool Engine::should_close_transport() const {
  // Nothing more will be read, and either our close frame is queued (the close handshake is
  // done, or the connection failed) or the transport already ended.
  return input_closed_ && (close_sent_ || eof_);
}

// An idle connection keeps at most a 256-byte output block: enough for pings and short messages.
constexpr std::size_t kept_output_capacity = 256;

void Engine::release_idle_memory() {
  output_.release_if_large(kept_output_capacity);
  assembly_.release_if_large();
}

}  // namespace duplex::ws
