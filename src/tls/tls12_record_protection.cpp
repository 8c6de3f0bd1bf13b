#include "duplex/tls/tls12_record_protection.hpp"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "duplex/crypto/secret.hpp"

namespace duplex::tls {
namespace {

// RFC 5246 §6.2.3.3: seq_num(8) + TLSCompressed.type(1) + TLSCompressed.version(2) +
// TLSCompressed.length(2).
constexpr std::size_t kAdditionalDataSize = 13;

std::uint16_t read_u16(const std::uint8_t* bytes) { return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]); }

void write_u64(std::uint8_t* out, std::uint64_t value) {
  for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * (7 - i)));
}

bool is_protected_type(ContentType type) {
  return type == ContentType::handshake || type == ContentType::alert || type == ContentType::application_data;
}

std::array<std::uint8_t, kAdditionalDataSize> additional_data(std::uint64_t sequence_number, std::uint8_t type,
                                                              const std::uint8_t* version, std::size_t length) {
  // RFC 5246 §6.2.3.3: "additional_data = seq_num + TLSCompressed.type + TLSCompressed.version +
  // TLSCompressed.length;" (the length of the plaintext, not of the record).
  std::array<std::uint8_t, kAdditionalDataSize> aad{};
  write_u64(aad.data(), sequence_number);
  aad[8] = type;
  aad[9] = version[0];
  aad[10] = version[1];
  aad[11] = static_cast<std::uint8_t>(length >> 8);
  aad[12] = static_cast<std::uint8_t>(length);
  return aad;
}

std::size_t iv_size_for(crypto::AeadAlgorithm aead) {
  // RFC 5288 §3: a 4-byte salt; RFC 7905 §2: a 12-byte IV.
  return aead == crypto::AeadAlgorithm::chacha20_poly1305 ? crypto::kAeadNonceSize : 4;
}

}  // namespace

Tls12RecordProtection::Tls12RecordProtection(crypto::AeadKey key, std::span<const std::uint8_t> iv)
    : key_(std::move(key)), iv_size_(iv.size()) {
  std::memcpy(iv_.data(), iv.data(), iv.size());
}

Tls12RecordProtection::~Tls12RecordProtection() { crypto::secure_wipe(iv_); }

Result<Tls12RecordProtection> Tls12RecordProtection::create(crypto::AeadAlgorithm aead,
                                                            std::span<const std::uint8_t> key,
                                                            std::span<const std::uint8_t> iv) {
  if (iv.size() != iv_size_for(aead))
    return reject(AlertDescription::internal_error, "a TLS 1.2 " + std::string(crypto::to_string(aead)) +
                                                        " write IV is " + std::to_string(iv_size_for(aead)) +
                                                        " bytes, not " + std::to_string(iv.size()) +
                                                        " (RFC 5288 §3, RFC 7905 §2)");
  auto aead_key = crypto::AeadKey::create(aead, key);
  if (!aead_key)
    return reject(AlertDescription::internal_error, "a record protection key was refused: " + aead_key.error().message);
  return Tls12RecordProtection(std::move(aead_key).value(), iv);
}

Tls12RecordProtection Tls12RecordProtection::from_write_keys(const Tls12Suite& suite, const Tls12WriteKeys& keys) {
  auto protection = create(suite.aead(), keys.key.bytes(), keys.iv.bytes());
  if (!protection) std::abort();  // derived at the suite's own lengths: cannot fail
  return std::move(protection).value();
}

Status Tls12RecordProtection::set_record_size_limit(std::size_t limit) {
  // RFC 8449 §4: "Endpoints MUST NOT send a "record_size_limit" extension with a value smaller
  // than 64"; in TLS 1.2 the limit counts the plaintext only, at most 2^14.
  if (limit < 64 || limit > kMaxPlaintextSize)
    return reject(AlertDescription::internal_error,
                  "a TLS 1.2 record size limit of " + std::to_string(limit) + " is outside 64 .. 2^14 (RFC 8449 §4)");
  record_size_limit_ = limit;
  return Unit{};
}

std::array<std::uint8_t, crypto::kAeadNonceSize> Tls12RecordProtection::nonce(
    std::span<const std::uint8_t> explicit_nonce) const {
  auto nonce = iv_;
  if (iv_size_ == crypto::kAeadNonceSize) {
    // RFC 7905 §2: "The 64-bit record sequence number is serialized as an 8-byte, big-endian value
    // and padded on the left with four 0x00 bytes", then XORed with the client_write_IV or
    // server_write_IV.
    for (std::size_t i = 0; i < 8; ++i)
      nonce[nonce.size() - 1 - i] ^= static_cast<std::uint8_t>(sequence_number_ >> (8 * i));
  } else {
    // RFC 5288 §3: "struct { opaque salt[4]; opaque nonce_explicit[8]; } GCMNonce;"
    std::memcpy(nonce.data() + iv_size_, explicit_nonce.data(), kTls12ExplicitNonceSize);
  }
  return nonce;
}

Result<std::size_t> Tls12RecordProtection::seal(ContentType type, std::span<std::uint8_t> record,
                                                std::size_t content_length) {
  if (record.size() < content_offset() + content_length)
    return reject(AlertDescription::internal_error, "the buffer is too small for the sealed record");
  return seal_from(type, record.subspan(content_offset(), content_length), record);
}

Result<std::size_t> Tls12RecordProtection::seal_from(ContentType type, std::span<const std::uint8_t> content,
                                                     std::span<std::uint8_t> record) {
  if (!is_protected_type(type))
    return reject(AlertDescription::internal_error,
                  "a TLS 1.2 protected record of type " + to_string(type) + " was asked for (RFC 5246 §6)");
  // RFC 5246 §6.2.1: "The length MUST NOT exceed 2^14"; RFC 8449 §4: nor the peer's limit.
  if (content.size() > record_size_limit_)
    return reject(AlertDescription::internal_error,
                  "a record of " + std::to_string(content.size()) + " bytes of plaintext would pass the limit of " +
                      std::to_string(record_size_limit_) + " (RFC 5246 §6.2.1, RFC 8449 §4)");
  const std::size_t total = sealed_record_size(content.size());
  if (record.size() < total)
    return reject(AlertDescription::internal_error, "the buffer is too small for the sealed record");
  // RFC 5246 §6.1: "Sequence numbers are of type uint64 and may not exceed 2^64-1"; we never
  // renegotiate, so the connection ends before one would wrap.
  if (sequence_number_ == std::numeric_limits<std::uint64_t>::max())
    return reject(AlertDescription::internal_error, "the write sequence number is used up (RFC 5246 §6.1)");

  const auto header =
      encode_record_header({type, kTls12RecordVersion, static_cast<std::uint16_t>(total - kRecordHeaderSize)});
  std::memcpy(record.data(), header.data(), header.size());
  // RFC 5288 §3: the explicit nonce "MAY be the 64-bit sequence number"; we send exactly that, so
  // it is never repeated under one key.
  std::uint8_t* explicit_nonce = record.data() + kRecordHeaderSize;
  if (explicit_nonce_size() != 0) write_u64(explicit_nonce, sequence_number_);
  const auto nonce = this->nonce(std::span<const std::uint8_t>(explicit_nonce, explicit_nonce_size()));
  const auto aad = additional_data(sequence_number_, static_cast<std::uint8_t>(type), &header[1], content.size());
  std::uint8_t* ciphertext = record.data() + content_offset();
  auto sealed = key_.seal(nonce, aad, content, std::span(ciphertext, content.size()), {},
                          std::span<std::uint8_t, kRecordTagSize>(ciphertext + content.size(), kRecordTagSize));
  if (!sealed) return reject(AlertDescription::internal_error, "sealing a record failed: " + sealed.error().message);
  ++sequence_number_;
  return total;
}

Result<OpenedRecord> Tls12RecordProtection::open(std::span<std::uint8_t> record) {
  if (record.size() < kRecordHeaderSize)
    return reject(AlertDescription::decode_error, "a record is shorter than its 5-byte header (RFC 5246 §6.2.1)");
  const auto type = static_cast<ContentType>(record[0]);
  const std::size_t length = read_u16(&record[3]);
  // RFC 5246 §6: "If a TLS implementation receives an unexpected record type, it MUST send an
  // unexpected_message alert."
  if (!is_protected_type(type))
    return reject(AlertDescription::unexpected_message,
                  "the peer sent a " + to_string(type) + " record where a protected record was due (RFC 5246 §6)");
  if (length != record.size() - kRecordHeaderSize)
    return reject(AlertDescription::decode_error, "a record's length field does not match its size (RFC 5246 §6.2.3)");
  // RFC 5246 §6.2.3: "The length MUST NOT exceed 2^14 + 2048."
  if (length > kTls12MaxCiphertextSize)
    return reject(AlertDescription::record_overflow, "the peer sent a protected record of " + std::to_string(length) +
                                                         " bytes, over 2^14 + 2048 (RFC 5246 §6.2.3)");
  // RFC 5288 §3: the fragment holds nonce_explicit, then the ciphertext and its tag; anything
  // shorter cannot authenticate (RFC 5246 §6.2.3.3: failed decryption is bad_record_mac).
  const std::size_t overhead = explicit_nonce_size() + kRecordTagSize;
  if (length < overhead)
    return reject(AlertDescription::bad_record_mac,
                  "the peer sent a protected record of " + std::to_string(length) + " bytes, too short for " +
                      (explicit_nonce_size() != 0 ? "an explicit nonce and " : "") + "a tag (RFC 5246 §6.2.3.3)");
  const std::size_t plaintext_size = length - overhead;
  // RFC 5246 §6.2.1 (the plaintext "MUST NOT exceed 2^14") and RFC 8449 §4 (a record larger than
  // the advertised limit gets record_overflow). The AEAD fixes the plaintext length: checked first.
  if (plaintext_size > record_size_limit_)
    return reject(AlertDescription::record_overflow, "the peer sent a record of " + std::to_string(plaintext_size) +
                                                         " bytes of plaintext, over the limit of " +
                                                         std::to_string(record_size_limit_) +
                                                         " (RFC 5246 §6.2.1, RFC 8449 §4)");
  if (sequence_number_ == std::numeric_limits<std::uint64_t>::max())
    return reject(AlertDescription::unexpected_message,
                  "the peer sent 2^64 - 1 records on one connection (RFC 5246 §6.1)");

  std::uint8_t* ciphertext = record.data() + content_offset();
  const auto nonce =
      this->nonce(std::span<const std::uint8_t>(record.data() + kRecordHeaderSize, explicit_nonce_size()));
  // The version is the record's own: a header changed on the way fails the tag.
  const auto aad = additional_data(sequence_number_, record[0], &record[1], plaintext_size);
  auto opened = key_.open(nonce, aad, std::span(ciphertext, plaintext_size),
                          std::span<const std::uint8_t, kRecordTagSize>(ciphertext + plaintext_size, kRecordTagSize));
  // RFC 5246 §6.2.3.3: "If the decryption fails, a fatal bad_record_mac alert MUST be generated."
  if (!opened)
    return reject(AlertDescription::bad_record_mac,
                  "a protected record from the peer failed authentication (RFC 5246 §6.2.3.3)");
  ++sequence_number_;
  return OpenedRecord{type, std::span(ciphertext, plaintext_size)};
}

}  // namespace duplex::tls
