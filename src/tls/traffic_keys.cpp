#include "duplex/tls/traffic_keys.hpp"

#include <cstdlib>
#include <cstring>

#include "duplex/crypto/hkdf.hpp"

namespace duplex::tls {
namespace {

constexpr std::string_view kLabelPrefix = "tls13 ";
// RFC 8446 §7.1: opaque label<7..255> holds "tls13 " + Label.
constexpr std::size_t kMaxLabelSize = 255 - kLabelPrefix.size();
constexpr std::size_t kMaxContextSize = 255;
// 2 (length) + 1 + 255 (label) + 1 + 255 (context).
constexpr std::size_t kMaxHkdfLabelSize = 2 + 1 + 255 + 1 + 255;

// For the fixed-size derivations of the schedule, whose inputs are all ours: a failure is a bug.
crypto::Secret expect_ok(Result<crypto::Secret> result) {
  if (!result) std::abort();
  return std::move(result).value();
}

}  // namespace

std::optional<Tls13Suite> Tls13Suite::from(CipherSuite suite) {
  using crypto::AeadAlgorithm;
  using crypto::HashAlgorithm;
  switch (suite) {
    case CipherSuite::tls_aes_128_gcm_sha256:
      return Tls13Suite(suite, HashAlgorithm::sha256, AeadAlgorithm::aes_128_gcm);
    case CipherSuite::tls_aes_256_gcm_sha384:
      return Tls13Suite(suite, HashAlgorithm::sha384, AeadAlgorithm::aes_256_gcm);
    case CipherSuite::tls_chacha20_poly1305_sha256:
      return Tls13Suite(suite, HashAlgorithm::sha256, AeadAlgorithm::chacha20_poly1305);
    default:
      return std::nullopt;  // TLS 1.2's suites (Tls12Suite), the SCSVs, anything else
  }
}

Result<crypto::Secret> hkdf_expand_label(crypto::HashAlgorithm hash, std::span<const std::uint8_t> secret,
                                         std::string_view label, std::span<const std::uint8_t> context,
                                         std::size_t length) {
  if (label.size() > kMaxLabelSize)
    return reject(AlertDescription::internal_error,
                  "an HKDF-Expand-Label label is longer than 249 bytes (RFC 8446 §7.1)");
  if (context.size() > kMaxContextSize)
    return reject(AlertDescription::internal_error,
                  "an HKDF-Expand-Label context is longer than 255 bytes (RFC 8446 §7.1)");
  if (length > 0xffff)
    return reject(AlertDescription::internal_error,
                  "an HKDF-Expand-Label length does not fit in 16 bits (RFC 8446 §7.1)");

  // HkdfLabel, built on the stack: it holds no secret (label and transcript hash are public).
  std::array<std::uint8_t, kMaxHkdfLabelSize> info;
  std::size_t at = 0;
  info[at++] = static_cast<std::uint8_t>(length >> 8);
  info[at++] = static_cast<std::uint8_t>(length);
  info[at++] = static_cast<std::uint8_t>(kLabelPrefix.size() + label.size());
  std::memcpy(info.data() + at, kLabelPrefix.data(), kLabelPrefix.size());
  at += kLabelPrefix.size();
  if (!label.empty()) std::memcpy(info.data() + at, label.data(), label.size());
  at += label.size();
  info[at++] = static_cast<std::uint8_t>(context.size());
  if (!context.empty()) std::memcpy(info.data() + at, context.data(), context.size());
  at += context.size();

  auto expanded = crypto::hkdf_expand(hash, secret, std::span(info.data(), at), length);
  if (!expanded)
    return reject(AlertDescription::internal_error, "HKDF-Expand-Label failed: " + expanded.error().message);
  return std::move(expanded).value();
}

crypto::Secret derive_secret(crypto::HashAlgorithm hash, std::span<const std::uint8_t> secret, std::string_view label,
                             const crypto::Digest& transcript_hash) {
  return expect_ok(hkdf_expand_label(hash, secret, label, transcript_hash.bytes(), crypto::digest_size(hash)));
}

TrafficKeys derive_traffic_keys(const Tls13Suite& suite, const crypto::Secret& traffic_secret) {
  return TrafficKeys{
      .key = expect_ok(hkdf_expand_label(suite.hash(), traffic_secret.bytes(), "key", {}, suite.key_size())),
      .iv = expect_ok(hkdf_expand_label(suite.hash(), traffic_secret.bytes(), "iv", {}, TrafficKeys::kIvSize)),
  };
}

crypto::Secret next_traffic_secret(const Tls13Suite& suite, const crypto::Secret& traffic_secret) {
  return expect_ok(hkdf_expand_label(suite.hash(), traffic_secret.bytes(), "traffic upd", {}, suite.hash_size()));
}

}  // namespace duplex::tls
