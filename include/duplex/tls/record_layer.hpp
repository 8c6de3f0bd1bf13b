// The TLS 1.3 record layer (RFC 8446 §5), sans-I/O: reading record headers off the input stream,
// and protecting records (§5.2–§5.4) in place in buffers the caller owns (rustls' design: the
// caller keeps the bytes read from the socket, the record is decrypted where it lies, and the
// caller discards the record's bytes once it is done with the plaintext).
//
// Nothing here allocates on success; errors carry the alert to send and a sentence.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "duplex/crypto/aead.hpp"
#include "duplex/crypto/secret.hpp"
#include "duplex/tls/content_type.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/traffic_keys.hpp"

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

// The bytes a sealed record takes: header + content + type byte + padding + tag.
constexpr std::size_t sealed_record_size(std::size_t content_length, std::size_t padding = 0) {
  return kRecordHeaderSize + content_length + 1 + padding + kRecordTagSize;
}

// The protection of one direction of a connection under one traffic secret (RFC 8446 §5.2–§5.3):
// the AEAD key, the iv and the 64-bit sequence number. A KeyUpdate (§4.6.3) makes a new one from
// next_traffic_secret(); the sequence number then starts at 0 again.
class RecordProtection {
 public:
  // Key and iv from the traffic secret (RFC 8446 §7.3).
  static RecordProtection from_traffic_secret(const Tls13Suite& suite, const crypto::Secret& traffic_secret);
  // From a key and iv directly (known-answer tests; key_size(aead) and 12 bytes, else
  // internal_error).
  static Result<RecordProtection> from_key_and_iv(crypto::AeadAlgorithm aead, std::span<const std::uint8_t> key,
                                                  std::span<const std::uint8_t> iv);

  ~RecordProtection();
  RecordProtection(RecordProtection&&) noexcept = default;
  RecordProtection& operator=(RecordProtection&&) noexcept = default;
  RecordProtection(const RecordProtection&) = delete;
  RecordProtection& operator=(const RecordProtection&) = delete;

  crypto::AeadAlgorithm aead() const { return key_.algorithm(); }
  // The sequence number of the next record.
  std::uint64_t sequence_number() const { return sequence_number_; }
  // Tests only: start at another sequence number (RFC 8448's server application data is #1).
  void set_sequence_number_for_testing(std::uint64_t sequence_number) { sequence_number_ = sequence_number; }

  // RFC 8446 §5.5: "For AES-GCM, up to 2^24.5 full-size records ... may be encrypted on a given
  // connection while keeping a safety margin of approximately 2^-57". True once this many
  // records went through: the engine sends (or expects) a KeyUpdate then.
  bool key_update_due() const;

  // RFC 8449 §4: the largest TLSInnerPlaintext (content + type + padding) in this direction: the
  // record_size_limit the receiver advertised (64 .. 2^14 + 1 in TLS 1.3), 2^14 + 1 by default.
  // internal_error for a value out of that range (the handshake checks the peer's value).
  Status set_record_size_limit(std::size_t limit);
  std::size_t record_size_limit() const { return record_size_limit_; }
  // The most content one record can carry with `padding` bytes of padding.
  std::size_t max_content_size(std::size_t padding = 0) const;

  // Seals a record in place. `record` is the caller's buffer: the content is at
  // record[5 .. 5 + content_length), and the buffer has room for at least
  // sealed_record_size(content_length, padding) bytes. Writes the header (application_data,
  // 0x0303, length), the type byte, `padding` zero bytes, encrypts, appends the tag, and returns
  // the record's size. internal_error when the buffer is too small or the record would pass the
  // record size limit (our mistakes), or when the sequence number is used up (RFC 8446 §5.3: the
  // engine rekeys first).
  Result<std::size_t> seal(ContentType type, std::span<std::uint8_t> record, std::size_t content_length,
                           std::size_t padding = 0);
  // The same, with the content read from `content` (anywhere but inside `record`) and encrypted
  // straight into the record: no copy of application data before it is sealed.
  Result<std::size_t> seal_from(ContentType type, std::span<const std::uint8_t> content, std::span<std::uint8_t> record,
                                std::size_t padding = 0);

  // Opens one whole protected record in place: `record` is exactly header + encrypted_record
  // (read_record_header says how long). Errors, RFC 8446:
  //  - outer type other than application_data: unexpected_message (§5);
  //  - header length not the record's: decode_error;
  //  - encrypted_record over 2^14 + 256 bytes, or a TLSInnerPlaintext over the record size limit:
  //    record_overflow (§5.2, §5.4, RFC 8449 §4);
  //  - too short to hold a tag and a type byte, or the tag does not match: bad_record_mac (§5.2);
  //  - an all-zero TLSInnerPlaintext (no content type): unexpected_message (§5.4);
  //  - an inner type that is not handshake, alert or application_data: unexpected_message (§5);
  //  - the sequence number used up: unexpected_message (§5.3, the peer never rekeyed).
  // On a failed tag the buffer is zeroed (no unauthenticated plaintext is left).
  Result<OpenedRecord> open(std::span<std::uint8_t> record);

 private:
  RecordProtection(crypto::AeadKey key, std::span<const std::uint8_t> iv);
  std::array<std::uint8_t, crypto::kAeadNonceSize> nonce() const;

  crypto::AeadKey key_;
  std::array<std::uint8_t, crypto::kAeadNonceSize> iv_{};
  std::uint64_t sequence_number_ = 0;
  std::size_t record_size_limit_ = kMaxInnerPlaintextSize;
};

}  // namespace duplex::tls
