#include "duplex/tls/record_layer.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace duplex::tls {
namespace {

std::uint16_t read_u16(const std::uint8_t* bytes) { return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]); }

bool is_known_content_type(std::uint8_t type) {
  switch (static_cast<ContentType>(type)) {
    case ContentType::change_cipher_spec:
    case ContentType::alert:
    case ContentType::handshake:
    case ContentType::application_data:
      return true;
    case ContentType::invalid:
      return false;
  }
  return false;
}

// Plain text where a record header belongs (an HTTP request on a TLS port, "GET /"): said in
// the sentence, since no TLS peer sends five printable ASCII bytes there.
std::string describe_if_text(std::span<const std::uint8_t> header) {
  std::string text;
  for (std::uint8_t byte : header) {
    if (byte < 0x20 || byte > 0x7e) return {};
    text.push_back(static_cast<char>(byte));
  }
  return "; the bytes read \"" + text + "\": plain text, not TLS (an HTTP request on a TLS port?)";
}

}  // namespace

Result<std::optional<RecordHeader>> read_record_header(std::span<const std::uint8_t> input) {
  if (input.size() < kRecordHeaderSize) return std::optional<RecordHeader>{};
  RecordHeader header;
  header.type = static_cast<ContentType>(input[0]);
  header.legacy_record_version = read_u16(&input[1]);
  header.length = read_u16(&input[3]);

  // RFC 8446 §5: "If a TLS implementation receives an unexpected record type, it MUST terminate
  // the connection with an "unexpected_message" alert."
  if (!is_known_content_type(input[0]))
    return reject(AlertDescription::unexpected_message,
                  "the peer sent a record of unknown content type " + to_string(header.type) + " (RFC 8446 §5)" +
                      describe_if_text(input.first(kRecordHeaderSize)));

  // Q: §5.1 says legacy_record_version "MUST be ignored for all purposes": why look at it at all?
  // A: only at its first byte, as framing: every SSL 3 and TLS record has 0x03 there, so another
  //    value is not a TLS peer or a corrupted stream, and failing at once names the cause instead
  //    of buffering a bogus length (OpenSSL refuses it too, "wrong version number"). The second
  //    byte is ignored on every record, in both roles, as rustls does: RFC 8448's first
  //    ClientHello says 0x0301, SSL 3-era stacks and conformance tools say 0x0300. A protected
  //    record's header is still authenticated, as the AEAD's additional data (§5.2).
  if ((header.legacy_record_version >> 8) != 0x03) {
    char version[8];
    std::snprintf(version, sizeof version, "0x%04x", static_cast<unsigned>(header.legacy_record_version));
    return reject(AlertDescription::protocol_version,
                  std::string("the peer sent a record with legacy_record_version ") + version +
                      ", which is not 0x03xx: not TLS (RFC 8446 §5.1)" +
                      describe_if_text(input.first(kRecordHeaderSize)));
  }

  if (header.type == ContentType::application_data) {
    // RFC 8446 §5.2: "The length MUST NOT exceed 2^14 + 256 bytes. An endpoint that receives a
    // record that exceeds this length MUST terminate the connection with a "record_overflow" alert."
    if (header.length > kMaxCiphertextSize)
      return reject(AlertDescription::record_overflow, "the peer sent a protected record of " +
                                                           std::to_string(header.length) +
                                                           " bytes, over 2^14 + 256 (RFC 8446 §5.2)");
  } else {
    // RFC 8446 §5.1: "The length MUST NOT exceed 2^14 bytes. An endpoint that receives a record
    // that exceeds this length MUST terminate the connection with a "record_overflow" alert."
    if (header.length > kMaxPlaintextSize)
      return reject(AlertDescription::record_overflow, "the peer sent a " + to_string(header.type) + " record of " +
                                                           std::to_string(header.length) +
                                                           " bytes, over 2^14 (RFC 8446 §5.1)");
    // RFC 8446 §5.4: "Implementations MUST NOT send Handshake and Alert records that have a
    // zero-length TLSInnerPlaintext.content; if such a message is received, the receiving
    // implementation MUST terminate the connection with an "unexpected_message" alert." The same
    // holds in clear; and §5: a change_cipher_spec that is not the byte 0x01 is unexpected_message.
    if (header.length == 0)
      return reject(AlertDescription::unexpected_message,
                    "the peer sent an empty " + to_string(header.type) + " record (RFC 8446 §5.1, §5.4)");
  }
  return std::optional<RecordHeader>{header};
}

std::array<std::uint8_t, kRecordHeaderSize> encode_record_header(const RecordHeader& header) {
  return {static_cast<std::uint8_t>(header.type), static_cast<std::uint8_t>(header.legacy_record_version >> 8),
          static_cast<std::uint8_t>(header.legacy_record_version), static_cast<std::uint8_t>(header.length >> 8),
          static_cast<std::uint8_t>(header.length)};
}

}  // namespace duplex::tls
