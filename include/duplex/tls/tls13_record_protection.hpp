// TLS 1.3 record protection (RFC 8446 §5.2–§5.4): the AEAD over TLSInnerPlaintext (content,
// the true content type, zero padding), with a per-record nonce from the iv and the sequence
// number, and every protected record an application_data record on the outside. The record layer
// reaches it through RecordEncrypter / RecordDecrypter (record_protection.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "duplex/crypto/aead.hpp"
#include "duplex/crypto/secret.hpp"
#include "duplex/tls/content_type.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/record_layer.hpp"
#include "duplex/tls/traffic_keys.hpp"

namespace duplex::tls {

// The bytes a sealed record takes: header + content + type byte + padding + tag.
constexpr std::size_t tls13_sealed_record_size(std::size_t content_length, std::size_t padding = 0) {
  return kRecordHeaderSize + content_length + 1 + padding + kRecordTagSize;
}

// The protection of one direction of a connection under one traffic secret (RFC 8446 §5.2–§5.3):
// the AEAD key, the iv and the 64-bit sequence number. A KeyUpdate (§4.6.3) makes a new one from
// next_traffic_secret(); the sequence number then starts at 0 again.
class Tls13RecordProtection {
 public:
  // Key and iv from the traffic secret (RFC 8446 §7.3).
  static Tls13RecordProtection from_traffic_secret(const Tls13Suite& suite, const crypto::Secret& traffic_secret);
  // From a key and iv directly (known-answer tests; key_size(aead) and 12 bytes, else
  // internal_error).
  static Result<Tls13RecordProtection> from_key_and_iv(crypto::AeadAlgorithm aead, std::span<const std::uint8_t> key,
                                                  std::span<const std::uint8_t> iv);

  ~Tls13RecordProtection();
  Tls13RecordProtection(Tls13RecordProtection&&) noexcept = default;
  Tls13RecordProtection& operator=(Tls13RecordProtection&&) noexcept = default;
  Tls13RecordProtection(const Tls13RecordProtection&) = delete;
  Tls13RecordProtection& operator=(const Tls13RecordProtection&) = delete;

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
  // The bytes a record carrying `content_length` bytes takes once sealed (without padding).
  std::size_t sealed_record_size(std::size_t content_length) const { return tls13_sealed_record_size(content_length); }

  // Seals a record in place. `record` is the caller's buffer: the content is at
  // record[5 .. 5 + content_length), and the buffer has room for at least
  // tls13_sealed_record_size(content_length, padding) bytes. Writes the header (application_data,
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
  Tls13RecordProtection(crypto::AeadKey key, std::span<const std::uint8_t> iv);
  std::array<std::uint8_t, crypto::kAeadNonceSize> nonce() const;

  crypto::AeadKey key_;
  std::array<std::uint8_t, crypto::kAeadNonceSize> iv_{};
  std::uint64_t sequence_number_ = 0;
  std::size_t record_size_limit_ = kMaxInnerPlaintextSize;
};

}  // namespace duplex::tls
