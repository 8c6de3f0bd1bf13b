// The TLS record layer (RFC 8446 §5, RFC 5246 §6.2), sans-I/O: reading record headers off the
// input stream, and what an opened record is. Records are protected in place in buffers the
// caller owns (rustls' design: the caller keeps the bytes read from the socket, the record is
// decrypted where it lies, and the caller discards the record's bytes once it is done with the
// plaintext), by the version's protection behind RecordEncrypter / RecordDecrypter
// (record_protection.hpp).
//
// Nothing here allocates on success; errors carry the alert to send and a sentence.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "duplex/crypto/aead.hpp"
#include "duplex/tls/content_type.hpp"
#include "duplex/tls/error.hpp"

namespace duplex::tls {

// RFC 8446 §5.1: opaque_type (1) + legacy_record_version (2) + length (2).
constexpr std::size_t kRecordHeaderSize = 5;
// RFC 8446 §5.1: "The length MUST NOT exceed 2^14 bytes" (TLSPlaintext.fragment).
constexpr std::size_t kMaxPlaintextSize = std::size_t{1} << 14;
// RFC 8446 §5.4: the full encoded TLSInnerPlaintext (content, type, padding) <= 2^14 + 1.
constexpr std::size_t kMaxInnerPlaintextSize = kMaxPlaintextSize + 1;
// RFC 8446 §5.2: "The length MUST NOT exceed 2^14 + 256 bytes" (TLSCiphertext.encrypted_record).
constexpr std::size_t kMaxCiphertextSize = kMaxPlaintextSize + 256;
// RFC 8446 §5.2: legacy_record_version of every record but the first ClientHello.
constexpr std::uint16_t kLegacyRecordVersion = 0x0303;
// RFC 8446 §5.2: the AEAD tag appended to each protected record.
constexpr std::size_t kRecordTagSize = crypto::kAeadTagSize;

struct RecordHeader {
  ContentType type = ContentType::invalid;
  std::uint16_t legacy_record_version = kLegacyRecordVersion;
  std::uint16_t length = 0;  // of the fragment (or encrypted_record) after the header

  std::size_t record_size() const { return kRecordHeaderSize + length; }
  bool operator==(const RecordHeader&) const = default;
};

// Reads the record header at the front of `input` (the bytes received so far and not yet
// consumed). nullopt while fewer than 5 bytes are there. Otherwise the header, checked:
//  - a content type of RFC 8446 §5.1 (else unexpected_message, §5);
//  - legacy_record_version 0x03xx, any minor version (§5.1: "MUST be ignored for all purposes";
//    another major version is not TLS framing: protocol_version);
//  - length <= 2^14 + 256 for application_data (a TLSCiphertext) and <= 2^14 for every other type
//    (a TLSPlaintext), else record_overflow (§5.1, §5.2);
//  - no empty handshake, alert or change_cipher_spec record, else unexpected_message (§5.4:
//    zero-length Handshake or Alert content "MUST terminate the connection with an
//    "unexpected_message" alert"; §5: a change_cipher_spec is the byte 0x01).
// The whole record is there when input.size() >= header.record_size().
Result<std::optional<RecordHeader>> read_record_header(std::span<const std::uint8_t> input);

// The 5 header bytes of a record.
std::array<std::uint8_t, kRecordHeaderSize> encode_record_header(const RecordHeader& header);

// A record opened in place: its true content type and the content, a view into the caller's
// buffer (padding and the type byte stripped).
struct OpenedRecord {
  ContentType type = ContentType::invalid;
  std::span<std::uint8_t> content;
};

}  // namespace duplex::tls
