#include "duplex/tls/tls13_record_protection.hpp"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace duplex::tls {
namespace {

std::uint16_t read_u16(const std::uint8_t* bytes) { return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]); }

// RFC 8446 §5.5: "For AES-GCM, up to 2^24.5 full-size records (about 24 million) may be encrypted
// on a given connection". ChaCha20-Poly1305's limit is above 2^64 records: none.
constexpr std::uint64_t kAesGcmRecordLimit = 23726566;  // floor(2^24.5)

}  // namespace

Tls13RecordProtection::Tls13RecordProtection(crypto::AeadKey key, std::span<const std::uint8_t> iv) : key_(std::move(key)) {
  std::memcpy(iv_.data(), iv.data(), iv_.size());
}

Tls13RecordProtection::~Tls13RecordProtection() { crypto::secure_wipe(iv_); }

Tls13RecordProtection Tls13RecordProtection::from_traffic_secret(const Tls13Suite& suite, const crypto::Secret& traffic_secret) {
  const auto keys = derive_traffic_keys(suite, traffic_secret);
  auto protection = from_key_and_iv(suite.aead(), keys.key.bytes(), keys.iv.bytes());
  if (!protection) std::abort();  // derived at the suite's own lengths: cannot fail
  return std::move(protection).value();
}

Result<Tls13RecordProtection> Tls13RecordProtection::from_key_and_iv(crypto::AeadAlgorithm aead,
                                                           std::span<const std::uint8_t> key,
                                                           std::span<const std::uint8_t> iv) {
  if (iv.size() != crypto::kAeadNonceSize)
    return reject(AlertDescription::internal_error, "a record protection iv is not 12 bytes (RFC 8446 §5.3)");
  auto aead_key = crypto::AeadKey::create(aead, key);
  if (!aead_key)
    return reject(AlertDescription::internal_error, "a record protection key was refused: " + aead_key.error().message);
  return Tls13RecordProtection(std::move(aead_key).value(), iv);
}

bool Tls13RecordProtection::key_update_due() const {
  return aead() != crypto::AeadAlgorithm::chacha20_poly1305 && sequence_number_ >= kAesGcmRecordLimit;
}

Status Tls13RecordProtection::set_record_size_limit(std::size_t limit) {
  // RFC 8449 §4: "Endpoints MUST NOT send a "record_size_limit" extension with a value smaller
  // than 64"; in TLS 1.3 the largest value is 2^14 + 1 (the limit includes the content type).
  if (limit < 64 || limit > kMaxInnerPlaintextSize)
    return reject(AlertDescription::internal_error,
                  "a record size limit of " + std::to_string(limit) + " is outside 64 .. 2^14 + 1 (RFC 8449 §4)");
  record_size_limit_ = limit;
  return Unit{};
}

std::size_t Tls13RecordProtection::max_content_size(std::size_t padding) const {
  const std::size_t overhead = 1 + padding;
  return overhead >= record_size_limit_ ? 0 : record_size_limit_ - overhead;
}

std::array<std::uint8_t, crypto::kAeadNonceSize> Tls13RecordProtection::nonce() const {
  // RFC 8446 §5.3: the 64-bit sequence number in network byte order, left-padded with zeros to
  // iv_length, XORed with the static iv.
  auto nonce = iv_;
  for (std::size_t i = 0; i < 8; ++i)
    nonce[nonce.size() - 1 - i] ^= static_cast<std::uint8_t>(sequence_number_ >> (8 * i));
  return nonce;
}

Result<std::size_t> Tls13RecordProtection::seal(ContentType type, std::span<std::uint8_t> record, std::size_t content_length,
                                           std::size_t padding) {
  if (record.size() < kRecordHeaderSize + content_length)
    return reject(AlertDescription::internal_error, "the buffer is too small for the sealed record");
  return seal_from(type, record.subspan(kRecordHeaderSize, content_length), record, padding);
}

Result<std::size_t> Tls13RecordProtection::seal_from(ContentType type, std::span<const std::uint8_t> content,
                                                std::span<std::uint8_t> record, std::size_t padding) {
  const std::size_t content_length = content.size();
  const std::size_t inner_size = content_length + 1 + padding;
  if (content_length > kMaxInnerPlaintextSize || padding > kMaxInnerPlaintextSize || inner_size > record_size_limit_)
    return reject(AlertDescription::internal_error,
                  "a record of " + std::to_string(inner_size) + " bytes of TLSInnerPlaintext would pass the limit of " +
                      std::to_string(record_size_limit_) + " (RFC 8446 §5.4, RFC 8449 §4)");
  const std::size_t total = tls13_sealed_record_size(content_length, padding);
  if (record.size() < total)
    return reject(AlertDescription::internal_error, "the buffer is too small for the sealed record");
  // RFC 8446 §5.3: "If a TLS implementation would need to wrap a sequence number, it MUST either
  // rekey (Section 4.6.3) or terminate the connection."
  if (sequence_number_ == std::numeric_limits<std::uint64_t>::max())
    return reject(AlertDescription::internal_error,
                  "the write sequence number is used up: rekey first (RFC 8446 §5.3)");

  const std::size_t encrypted_size = inner_size + kRecordTagSize;
  const auto header = encode_record_header(
      {ContentType::application_data, kLegacyRecordVersion, static_cast<std::uint16_t>(encrypted_size)});
  std::memcpy(record.data(), header.data(), header.size());
  // RFC 8446 §5.2: TLSInnerPlaintext = content || ContentType type || uint8 zeros[length_of_padding].
  std::uint8_t* inner = record.data() + kRecordHeaderSize;
  inner[content_length] = static_cast<std::uint8_t>(type);
  if (padding != 0) std::memset(inner + content_length + 1, 0, padding);

  const auto nonce = this->nonce();
  // The content from where it is (in place when it is already in the record), then the type
  // byte and padding where they lie.
  auto sealed = key_.seal(nonce, std::span(record.data(), kRecordHeaderSize), content,
                          std::span(inner, content_length), std::span(inner + content_length, 1 + padding),
                          std::span<std::uint8_t, kRecordTagSize>(inner + inner_size, kRecordTagSize));
  if (!sealed) return reject(AlertDescription::internal_error, "sealing a record failed: " + sealed.error().message);
  ++sequence_number_;
  return total;
}

Result<OpenedRecord> Tls13RecordProtection::open(std::span<std::uint8_t> record) {
  if (record.size() < kRecordHeaderSize)
    return reject(AlertDescription::decode_error, "a record is shorter than its 5-byte header (RFC 8446 §5.1)");
  const auto type = static_cast<ContentType>(record[0]);
  const std::size_t length = read_u16(&record[3]);
  // RFC 8446 §5: once protection is on, every record but change_cipher_spec is application_data
  // on the outside; the engine deals with change_cipher_spec before calling open().
  if (type != ContentType::application_data)
    return reject(AlertDescription::unexpected_message,
                  "the peer sent a " + to_string(type) + " record where a protected record was due (RFC 8446 §5)");
  if (length != record.size() - kRecordHeaderSize)
    return reject(AlertDescription::decode_error, "a record's length field does not match its size (RFC 8446 §5.2)");
  if (length > kMaxCiphertextSize)
    return reject(AlertDescription::record_overflow, "the peer sent a protected record of " + std::to_string(length) +
                                                         " bytes, over 2^14 + 256 (RFC 8446 §5.2)");
  if (length < kRecordTagSize + 1)
    return reject(AlertDescription::bad_record_mac,
                  "the peer sent a protected record of " + std::to_string(length) +
                      " bytes, too short for a tag and a content type (RFC 8446 §5.2)");
  const std::size_t inner_size = length - kRecordTagSize;
  // RFC 8446 §5.4: "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets"; RFC 8449
  // §4: a record larger than the advertised limit gets record_overflow. Checked before decrypting.
  if (inner_size > record_size_limit_)
    return reject(AlertDescription::record_overflow, "the peer sent a record of " + std::to_string(inner_size) +
                                                         " bytes of TLSInnerPlaintext, over the limit of " +
                                                         std::to_string(record_size_limit_) +
                                                         " (RFC 8446 §5.4, RFC 8449 §4)");
  if (sequence_number_ == std::numeric_limits<std::uint64_t>::max())
    return reject(AlertDescription::unexpected_message,
                  "the peer sent 2^64 - 1 records without a KeyUpdate (RFC 8446 §5.3)");

  std::uint8_t* inner = record.data() + kRecordHeaderSize;
  const auto nonce = this->nonce();
  auto opened =
      key_.open(nonce, std::span<const std::uint8_t>(record.data(), kRecordHeaderSize), std::span(inner, inner_size),
                std::span<const std::uint8_t, kRecordTagSize>(inner + inner_size, kRecordTagSize));
  // RFC 8446 §5.2: "If the decryption fails, the receiver MUST terminate the connection with a
  // "bad_record_mac" alert."
  if (!opened)
    return reject(AlertDescription::bad_record_mac,
                  "a protected record from the peer failed authentication (RFC 8446 §5.2)");
  ++sequence_number_;

  // RFC 8446 §5.4: the content type is the last non-zero byte; "If a receiving implementation
  // does not find a non-zero octet in the cleartext, it MUST terminate the connection with an
  // "unexpected_message" alert."
  std::size_t end = inner_size;
  while (end > 0 && inner[end - 1] == 0) --end;
  if (end == 0)
    return reject(AlertDescription::unexpected_message,
                  "the peer sent a protected record with no content type, only zero padding (RFC 8446 §5.4)");
  const auto inner_type = static_cast<ContentType>(inner[end - 1]);
  // RFC 8446 §5: "An implementation which receives any other change_cipher_spec value or which
  // receives a protected change_cipher_spec record MUST abort the handshake with an
  // "unexpected_message" alert."
  if (inner_type != ContentType::handshake && inner_type != ContentType::alert &&
      inner_type != ContentType::application_data)
    return reject(AlertDescription::unexpected_message,
                  "the peer sent a protected record of inner content type " + to_string(inner_type) + " (RFC 8446 §5)");
  return OpenedRecord{inner_type, std::span(inner, end - 1)};
}

}  // namespace duplex::tls
