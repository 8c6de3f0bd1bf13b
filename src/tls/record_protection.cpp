#include "duplex/tls/record_protection.hpp"

namespace duplex::tls {

RecordEncrypter RecordEncrypter::tls13(const Tls13Suite& suite, const crypto::Secret& traffic_secret) {
  return RecordEncrypter(Tls13RecordProtection::from_traffic_secret(suite, traffic_secret));
}

std::size_t RecordEncrypter::sealed_record_size(std::size_t content_length) const {
  return std::visit([&](const auto& protection) { return protection.sealed_record_size(content_length); },
                    protection_);
}

std::size_t RecordEncrypter::max_content_size() const {
  return std::visit([](const auto& protection) { return protection.max_content_size(); }, protection_);
}

Status RecordEncrypter::set_record_size_limit(std::size_t limit) {
  return std::visit([&](auto& protection) { return protection.set_record_size_limit(limit); }, protection_);
}

bool RecordEncrypter::key_update_due() const {
  const auto* tls13 = std::get_if<Tls13RecordProtection>(&protection_);
  return tls13 != nullptr && tls13->key_update_due();
}

Result<std::size_t> RecordEncrypter::seal(ContentType type, std::span<const std::uint8_t> content,
                                          std::span<std::uint8_t> record) {
  return std::visit([&](auto& protection) { return protection.seal_from(type, content, record); }, protection_);
}

RecordEncrypter RecordEncrypter::tls12(const Tls12Suite& suite, const Tls12WriteKeys& keys) {
  return RecordEncrypter(Tls12RecordProtection::from_write_keys(suite, keys));
}

RecordDecrypter RecordDecrypter::tls12(const Tls12Suite& suite, const Tls12WriteKeys& keys) {
  return RecordDecrypter(Tls12RecordProtection::from_write_keys(suite, keys));
}

RecordDecrypter RecordDecrypter::tls13(const Tls13Suite& suite, const crypto::Secret& traffic_secret) {
  return RecordDecrypter(Tls13RecordProtection::from_traffic_secret(suite, traffic_secret));
}

Status RecordDecrypter::set_record_size_limit(std::size_t limit) {
  return std::visit([&](auto& protection) { return protection.set_record_size_limit(limit); }, protection_);
}

Result<OpenedRecord> RecordDecrypter::open(std::span<std::uint8_t> record) {
  return std::visit([&](auto& protection) { return protection.open(record); }, protection_);
}

void RecordDecrypter::set_sequence_number_for_testing(std::uint64_t sequence_number) {
  std::visit([&](auto& protection) { protection.set_sequence_number_for_testing(sequence_number); }, protection_);
}

}  // namespace duplex::tls
