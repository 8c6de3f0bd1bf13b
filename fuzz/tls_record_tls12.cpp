// Fuzzes the TLS 1.2 record protection (RFC 5246 §6.2.3.3, RFC 5288, RFC 7905). Input:
// [flags][stream...]: bit 0 of flags picks ChaCha20-Poly1305 instead of AES-128-GCM, each with a
// fixed key so the seeds can hold real protected records. Every whole record (all types are
// protected after ChangeCipherSpec in TLS 1.2) is opened in place; one that opens carries no more
// than 2^14 bytes and, when its explicit nonce is the sequence number (what we send), seals back
// to exactly its own bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/record_layer.hpp"
#include "duplex/tls/tls12_record_protection.hpp"

namespace {

using namespace duplex::tls;
using duplex::crypto::AeadAlgorithm;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

constexpr std::uint8_t kKey[32] = {0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9, 0xba,
                                   0xcb, 0xdc, 0xed, 0xfe, 0x0f, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
                                   0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00};
constexpr std::uint8_t kIv[12] = {0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5, 0x06, 0x17, 0x28, 0x39, 0x4a, 0x5b};

Tls12RecordProtection fixed_key(bool chacha) {
  auto protection = chacha ? Tls12RecordProtection::create(AeadAlgorithm::chacha20_poly1305, kKey, kIv)
                           : Tls12RecordProtection::create(AeadAlgorithm::aes_128_gcm, std::span(kKey).first(16),
                                                           std::span(kIv).first(4));
  check(protection.ok());
  return std::move(protection).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool chacha = (data[0] & 1) != 0;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  auto opener = fixed_key(chacha);
  auto sealer = fixed_key(chacha);
  std::vector<std::uint8_t> record, resealed;
  std::size_t at = 0;
  while (at < input.size()) {
    auto header = read_record_header(input.subspan(at));
    if (!header) {
      check(!header.error().message.empty());
      return 0;
    }
    if (!header->has_value()) return 0;
    const auto& h = **header;
    if (input.size() - at < h.record_size()) return 0;
    const auto whole = input.subspan(at, h.record_size());
    at += h.record_size();
    const std::uint64_t sequence_number = opener.sequence_number();
    record.assign(whole.begin(), whole.end());
    auto opened = opener.open(record);
    if (!opened) {
      check(!opened.error().message.empty());
      return 0;
    }
    check(opened->content.size() <= kMaxPlaintextSize);
    check(opened->content.data() >= record.data() && opened->content.data() + opened->content.size() <= record.data() + record.size());
    check(opened->type == h.type);
    // Sealed again by a sender at the same sequence number, the record must come out the same when
    // it was sent the way we send (GCM's explicit nonce is the sequence number).
    sealer.set_sequence_number_for_testing(sequence_number);
    resealed.assign(sealer.sealed_record_size(opened->content.size()), 0);
    auto sealed = sealer.seal_from(opened->type, opened->content, resealed);
    check(sealed.ok());
    bool explicit_is_sequence = true;
    if (!chacha) {
      for (int i = 0; i < 8; ++i)
        explicit_is_sequence &= whole[kRecordHeaderSize + static_cast<std::size_t>(i)] ==
                                static_cast<std::uint8_t>(sequence_number >> (56 - 8 * i));
    }
    if (explicit_is_sequence && h.legacy_record_version == 0x0303)
      check(*sealed == whole.size() && std::equal(resealed.begin(), resealed.end(), whole.begin(), whole.end()));
  }
  return 0;
}
