// Fuzzes the TLS 1.3 record layer. The input is a stream of bytes from a peer: record headers are
// read off it one after the other (as the engine does) and every whole application_data record
// is opened in place with a fixed key, RFC 8448 §3's client application traffic key, so the seeds
// can hold real protected records. A record that opens must seal back to exactly its own bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "duplex/tls/record_layer.hpp"
#include "duplex/tls/tls13_record_protection.hpp"

namespace {

using namespace duplex::tls;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

Tls13RecordProtection fixed_key() {
  static constexpr std::uint8_t kKey[] = {0x17, 0x42, 0x2d, 0xda, 0x59, 0x6e, 0xd5, 0xd9,
                                          0xac, 0xd8, 0x90, 0xe3, 0xc6, 0x3f, 0x50, 0x51};
  static constexpr std::uint8_t kIv[] = {0x5b, 0x78, 0x92, 0x3d, 0xee, 0x08, 0x57, 0x90, 0x33, 0xe5, 0x23, 0xd9};
  auto protection = Tls13RecordProtection::from_key_and_iv(duplex::crypto::AeadAlgorithm::aes_128_gcm, kKey, kIv);
  check(protection.ok());
  return std::move(protection).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // Input: [flags][stream...]; the flags byte is no longer read (every 0x03xx record version is
  // accepted, RFC 8446 §5.1), and stays so the seed corpus keeps its meaning.
  const std::span<const std::uint8_t> input(data + 1, size - 1);

  auto opener = fixed_key();
  auto sealer = fixed_key();
  std::vector<std::uint8_t> record;
  std::vector<std::uint8_t> resealed;
  std::size_t at = 0;
  while (at < input.size()) {
    auto header = read_record_header(input.subspan(at));
    if (!header) {
      check(!header.error().message.empty());
      return 0;
    }
    if (!header->has_value()) return 0;  // a partial header: wait for more bytes
    const auto& h = **header;
    check(h.length <= kMaxCiphertextSize);
    if (input.size() - at < h.record_size()) return 0;  // a partial record
    const auto whole = input.subspan(at, h.record_size());
    at += h.record_size();
    if (h.type != ContentType::application_data) continue;  // plaintext records are the engine's

    record.assign(whole.begin(), whole.end());
    auto opened = opener.open(record);
    if (!opened) {
      check(!opened.error().message.empty());
      return 0;
    }
    check(opened->content.size() <= kMaxPlaintextSize);
    check(opened->content.data() == record.data() + kRecordHeaderSize);
    // Seal the content back with the same padding: the very same bytes must come out.
    const std::size_t padding = whole.size() - kRecordHeaderSize - kRecordTagSize - 1 - opened->content.size();
    resealed.assign(tls13_sealed_record_size(opened->content.size(), padding), 0);
    std::copy(opened->content.begin(), opened->content.end(), resealed.begin() + kRecordHeaderSize);
    auto sealed = sealer.seal(opened->type, resealed, opened->content.size(), padding);
    check(sealed.ok() && *sealed == whole.size());
    check(std::equal(resealed.begin(), resealed.end(), whole.begin(), whole.end()));
  }
  return 0;
}
