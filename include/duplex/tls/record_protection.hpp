// One direction's record protection, chosen by version and suite when the keys change (STYLE
// example 13, rustls' MessageEncrypter / MessageDecrypter): the connection seals and opens every
// record through these and never asks which version it speaks. The handshake that derives the
// keys makes them; a KeyUpdate (TLS 1.3) replaces them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "duplex/crypto/secret.hpp"
#include "duplex/tls/content_type.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/record_layer.hpp"
#include "duplex/tls/tls12_key_schedule.hpp"
#include "duplex/tls/tls12_record_protection.hpp"
#include "duplex/tls/tls13_record_protection.hpp"
#include "duplex/tls/traffic_keys.hpp"

namespace duplex::tls {

// Seals the records we send.
class RecordEncrypter {
 public:
  // TLS 1.3: key and iv from the traffic secret (RFC 8446 §7.3).
  static RecordEncrypter tls13(const Tls13Suite& suite, const crypto::Secret& traffic_secret);
  // TLS 1.2: one direction's write key and IV from the key block (RFC 5246 §6.3).
  static RecordEncrypter tls12(const Tls12Suite& suite, const Tls12WriteKeys& keys);
  explicit RecordEncrypter(Tls13RecordProtection protection) : protection_(std::move(protection)) {}
  explicit RecordEncrypter(Tls12RecordProtection protection) : protection_(std::move(protection)) {}

  // The bytes a record carrying `content_length` bytes takes once sealed.
  std::size_t sealed_record_size(std::size_t content_length) const;
  // The most content one record may carry (the peer's record size limit, RFC 8449 §4).
  std::size_t max_content_size() const;
  // RFC 8449 §4: the limit the peer advertised; internal_error outside the version's range.
  Status set_record_size_limit(std::size_t limit);
  // RFC 8446 §5.5: the AEAD's safety margin is reached and a TLS 1.3 connection must rekey. Never
  // for TLS 1.2, which has no KeyUpdate (and we refuse renegotiation).
  bool key_update_due() const;
  // Seals `content` (never inside `record`) as one record of `type` into `record`, which has room
  // for sealed_record_size(content.size()) bytes; returns the record's size.
  Result<std::size_t> seal(ContentType type, std::span<const std::uint8_t> content, std::span<std::uint8_t> record);

 private:
  std::variant<Tls13RecordProtection, Tls12RecordProtection> protection_;
};

// Opens the records we receive.
class RecordDecrypter {
 public:
  static RecordDecrypter tls13(const Tls13Suite& suite, const crypto::Secret& traffic_secret);
  static RecordDecrypter tls12(const Tls12Suite& suite, const Tls12WriteKeys& keys);
  explicit RecordDecrypter(Tls13RecordProtection protection) : protection_(std::move(protection)) {}
  explicit RecordDecrypter(Tls12RecordProtection protection) : protection_(std::move(protection)) {}

  // RFC 8449 §4: the limit we advertised and the peer accepted.
  Status set_record_size_limit(std::size_t limit);
  // Opens one whole record in place (read_record_header said how long): its true type and
  // content, a view into `record`; the version's alert and sentence otherwise.
  Result<OpenedRecord> open(std::span<std::uint8_t> record);
  // Tests only: start at another sequence number (RFC 8448's server application data is #1).
  void set_sequence_number_for_testing(std::uint64_t sequence_number);

 private:
  std::variant<Tls13RecordProtection, Tls12RecordProtection> protection_;
};

}  // namespace duplex::tls
