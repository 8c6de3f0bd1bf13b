// TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3) for AES-GCM (RFC 5288 §3) and
// ChaCha20-Poly1305 (RFC 7905 §2), with the same shape as TLS 1.3's RecordProtection
// (record_layer.hpp): records sealed and opened in place in the caller's buffers, nothing
// allocated, errors carrying the alert and a sentence.
//
// What differs from TLS 1.3:
//   - the record's own content type is the content's type: no inner type byte, no padding;
//   - additional_data = seq_num(8) || type(1) || version(2) || length(2, of the plaintext);
//   - AES-GCM's nonce is salt(4, the key block's write IV) || nonce_explicit(8), and the explicit
//     part travels at the front of each record's fragment:
//         header(5) | nonce_explicit(8) | ciphertext | tag(16)
//     we send the sequence number there, as OpenSSL, GnuTLS, NSS, Go and rustls do (RFC 5288 §3
//     allows any value that is never repeated under one key);
//   - ChaCha20-Poly1305's nonce is the 12-byte write IV XOR the padded sequence number, with no
//     explicit part: header(5) | ciphertext | tag(16);
//   - a fragment may be up to 2^14 + 2048 bytes, the plaintext up to 2^14 (or the peer's
//     record_size_limit, which in TLS 1.2 counts the plaintext only, RFC 8449 §4).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "duplex/crypto/aead.hpp"
#include "duplex/tls/content_type.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/record_layer.hpp"
#include "duplex/tls/tls12_key_schedule.hpp"

namespace duplex::tls {

// RFC 5246 §6.2.3: "The length MUST NOT exceed 2^14 + 2048" (TLSCiphertext.fragment).
constexpr std::size_t kTls12MaxCiphertextSize = kMaxPlaintextSize + 2048;
// RFC 5288 §3: "The nonce_explicit is 8 octets".
constexpr std::size_t kTls12ExplicitNonceSize = 8;
// RFC 5246 §6.2.3.3: the version in every record and in the additional data once TLS 1.2 is
// negotiated.
constexpr std::uint16_t kTls12RecordVersion = 0x0303;

// The protection of one direction of a TLS 1.2 connection after its ChangeCipherSpec: the AEAD
// key, the write IV and the 64-bit sequence number (RFC 5246 §6.1: it starts at 0 with each
// ChangeCipherSpec).
class Tls12RecordProtection {
 public:
  // From a write key and write IV of the key block: key_size(aead) bytes, and an iv of 4 bytes
  // for AES-GCM (the salt) or 12 for ChaCha20-Poly1305; otherwise internal_error.
  static Result<Tls12RecordProtection> create(crypto::AeadAlgorithm aead, std::span<const std::uint8_t> key,
                                              std::span<const std::uint8_t> iv);
  // The same from one direction of Tls12MasterSecret::derive_key_block().
  static Tls12RecordProtection from_write_keys(const Tls12Suite& suite, const Tls12WriteKeys& keys);

  ~Tls12RecordProtection();
  Tls12RecordProtection(Tls12RecordProtection&&) noexcept = default;
  Tls12RecordProtection& operator=(Tls12RecordProtection&&) noexcept = default;
  Tls12RecordProtection(const Tls12RecordProtection&) = delete;
  Tls12RecordProtection& operator=(const Tls12RecordProtection&) = delete;

  crypto::AeadAlgorithm aead() const { return key_.algorithm(); }
  // The sequence number of the next record.
  std::uint64_t sequence_number() const { return sequence_number_; }
  // Tests only: start at another sequence number.
  void set_sequence_number_for_testing(std::uint64_t sequence_number) { sequence_number_ = sequence_number; }

  // RFC 8449 §4: the largest plaintext one record carries in this direction, the
  // record_size_limit the receiver advertised (64 .. 2^14 in TLS 1.2: "the limit covers the
  // plaintext only"), 2^14 by default. internal_error outside that range (the handshake reads the
  // peer's value into it).
  Status set_record_size_limit(std::size_t limit);
  std::size_t record_size_limit() const { return record_size_limit_; }
  // The most content one record can carry (the whole limit: no type byte, no padding in 1.2).
  std::size_t max_content_size() const { return record_size_limit_; }

  // Bytes before the content in a sealed record: the header and, for AES-GCM, the explicit nonce.
  std::size_t content_offset() const { return kRecordHeaderSize + explicit_nonce_size(); }
  // The bytes a sealed record takes: header + explicit nonce + content + tag.
  std::size_t sealed_record_size(std::size_t content_length) const {
    return content_offset() + content_length + kRecordTagSize;
  }

  // Seals a record in place: the content is at record[content_offset() .. + content_length) and
  // the buffer holds at least sealed_record_size(content_length) bytes. Writes the header (`type`,
  // 0x0303, length) and the explicit nonce, encrypts, appends the tag, and returns the record's
  // size. internal_error (our mistakes) for a type other than handshake, alert or
  // application_data, content over the record size limit, a buffer too small, or a sequence
  // number used up (RFC 5246 §6.1: we never renegotiate, so the connection must end first).
  Result<std::size_t> seal(ContentType type, std::span<std::uint8_t> record, std::size_t content_length);
  // The same, with the content read from `content` (anywhere but inside `record`) and encrypted
  // straight into the record: no copy of application data before it is sealed.
  Result<std::size_t> seal_from(ContentType type, std::span<const std::uint8_t> content,
                                std::span<std::uint8_t> record);

  // Opens one whole protected record in place: `record` is exactly header + fragment
  // (read_record_header says how long). Errors:
  //  - a type other than handshake, alert or application_data: unexpected_message (RFC 5246 §6; a
  //    change_cipher_spec is the engine's to handle before calling open(), and never protected
  //    here since we never renegotiate);
  //  - header length not the record's: decode_error;
  //  - fragment over 2^14 + 2048 bytes, or a plaintext over 2^14 or the record size limit:
  //    record_overflow (RFC 5246 §6.2.3, §6.2.1, RFC 8449 §4), checked before decrypting;
  //  - a fragment too short for the explicit nonce and the tag, or a tag that does not match:
  //    bad_record_mac (RFC 5246 §6.2.3.3, RFC 5288 §3);
  //  - the sequence number used up: unexpected_message (RFC 5246 §6.1).
  // The content is a view into `record`. On a failed tag the buffer is zeroed.
  Result<OpenedRecord> open(std::span<std::uint8_t> record);

 private:
  Tls12RecordProtection(crypto::AeadKey key, std::span<const std::uint8_t> iv);
  std::size_t explicit_nonce_size() const { return iv_size_ == crypto::kAeadNonceSize ? 0 : kTls12ExplicitNonceSize; }
  std::array<std::uint8_t, crypto::kAeadNonceSize> nonce(std::span<const std::uint8_t> explicit_nonce) const;

  crypto::AeadKey key_;
  std::array<std::uint8_t, crypto::kAeadNonceSize> iv_{};  // the first iv_size_ bytes are used
  std::size_t iv_size_ = 0;
  std::uint64_t sequence_number_ = 0;
  std::size_t record_size_limit_ = kMaxPlaintextSize;
};

}  // namespace duplex::tls
