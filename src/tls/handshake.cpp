#include "duplex/tls/handshake.hpp"

#include <cassert>
#include <string>

namespace duplex::tls {

std::vector<std::uint8_t> encode_handshake(HandshakeType msg_type, std::span<const std::uint8_t> body) {
  assert(body.size() < (1u << 24));
  std::vector<std::uint8_t> out;
  out.reserve(handshake_header_size + body.size());
  out.push_back(static_cast<std::uint8_t>(msg_type));
  out.push_back(static_cast<std::uint8_t>(body.size() >> 16));
  out.push_back(static_cast<std::uint8_t>(body.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

namespace {

HandshakeHeader read_header(std::span<const std::uint8_t> bytes) {
  return {static_cast<HandshakeType>(bytes[0]),
          (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) | bytes[3]};
}

}  // namespace

Status HandshakeReassembler::receive(std::span<const std::uint8_t> fragment) {
  if (fragment.empty()) {
    // RFC 8446 §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types".
    return reject(AlertDescription::unexpected_message,
                  "the peer sent an empty handshake record (RFC 8446 §5.1)");
  }
  pending_.insert(pending_.end(), fragment.begin(), fragment.end());
  return check_header();
}

// Checks every complete header in pending_ as soon as it has arrived, so an oversized message is
// refused before its body is buffered.
Status HandshakeReassembler::check_header() {
  while (pending_.size() - checked_ >= handshake_header_size) {
    const auto header = read_header(std::span(pending_).subspan(checked_));
    if (header.length > max_message_size_) {
      return reject(AlertDescription::decode_error,
                    "the peer's " + to_string(header.msg_type) + " message is " +
                        std::to_string(header.length) + " bytes long, more than our limit of " +
                        std::to_string(max_message_size_) + " (RFC 8446 §4, §6.2)");
    }
    const std::size_t end = checked_ + handshake_header_size + header.length;
    if (end > pending_.size()) break;  // the body is still arriving
    checked_ = end;
  }
  return Unit{};
}

std::optional<HandshakeMessage> HandshakeReassembler::next() {
  if (pending_.size() < handshake_header_size) return std::nullopt;
  const auto header = read_header(pending_);
  const std::size_t size = handshake_header_size + header.length;
  if (checked_ < size) return std::nullopt;  // incomplete (or refused by check_header)
  HandshakeMessage message{header.msg_type,
                           std::vector<std::uint8_t>(pending_.begin(), pending_.begin() + size)};
  pending_.erase(pending_.begin(), pending_.begin() + size);
  checked_ -= size;
  return message;
}

}  // namespace duplex::tls
