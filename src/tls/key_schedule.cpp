#include "duplex/tls/key_schedule.hpp"

#include <cstdlib>
#include <string>

#include "duplex/crypto/hkdf.hpp"
#include "duplex/crypto/hmac.hpp"

namespace duplex::tls {
namespace {

// Transcript-Hash("") for Derive-Secret(., "derived", "").
crypto::Digest empty_hash(crypto::HashAlgorithm hash) { return crypto::hash(hash, {}); }

// The 0-value of RFC 8446 §7.1: Hash.length zero bytes (wiped like any other input key).
crypto::Secret zeros(const Tls13Suite& suite) { return crypto::Secret(suite.hash_size()); }

// HKDF-Extract(Derive-Secret(previous, "derived", ""), input_key_material).
crypto::Secret extract_after(const Tls13Suite& suite, const crypto::Secret& previous,
                             std::span<const std::uint8_t> input_key_material) {
  const auto salt = derive_secret(suite.hash(), previous.bytes(), "derived", empty_hash(suite.hash()));
  return crypto::hkdf_extract(suite.hash(), salt.bytes(), input_key_material);
}

Status verify(crypto::HashAlgorithm hash, const crypto::Secret& base_key, const crypto::Digest& transcript_hash,
              std::span<const std::uint8_t> received, const char* whose) {
  const auto expected = finished_verify_data(hash, base_key, transcript_hash);
  // RFC 8446 §4.4.4: "Recipients of Finished messages MUST verify that the contents are correct
  // and if incorrect MUST terminate the connection with a "decrypt_error" alert."
  if (!crypto::constant_time_equal(expected.bytes(), received))
    return reject(
        AlertDescription::decrypt_error,
        std::string("the ") + whose + " Finished verify_data does not match the transcript (RFC 8446 §4.4.4)");
  return Unit{};
}

}  // namespace

EarlySecret EarlySecret::with_psk(const Tls13Suite& suite, std::span<const std::uint8_t> psk) {
  // RFC 8446 §7.1: the salt of the first Extract is the 0-value (an empty salt is the same).
  return EarlySecret(suite, crypto::hkdf_extract(suite.hash(), {}, psk));
}

EarlySecret EarlySecret::without_psk(const Tls13Suite& suite) {
  const auto psk = zeros(suite);
  return with_psk(suite, psk.bytes());
}

crypto::Secret EarlySecret::binder_key(PskKind kind) const {
  const std::string_view label = kind == PskKind::external ? "ext binder" : "res binder";
  return derive_secret(suite_.hash(), secret_.bytes(), label, empty_hash(suite_.hash()));
}

crypto::Secret EarlySecret::client_early_traffic_secret(const crypto::Digest& client_hello_hash) const {
  return derive_secret(suite_.hash(), secret_.bytes(), "c e traffic", client_hello_hash);
}

HandshakeSecret EarlySecret::derive_handshake_secret(std::span<const std::uint8_t> shared_secret) && {
  auto handshake_secret = extract_after(suite_, secret_, shared_secret);
  secret_.clear();
  return HandshakeSecret(suite_, std::move(handshake_secret));
}

HandshakeTrafficSecrets HandshakeSecret::derive_handshake_traffic_secrets(const crypto::Digest& hello_hash) && {
  auto client = derive_secret(suite_.hash(), secret_.bytes(), "c hs traffic", hello_hash);
  auto server = derive_secret(suite_.hash(), secret_.bytes(), "s hs traffic", hello_hash);
  return HandshakeTrafficSecrets(suite_, std::move(secret_), std::move(client), std::move(server));
}

crypto::Digest HandshakeTrafficSecrets::server_finished_verify_data(const crypto::Digest& transcript_hash) const {
  return finished_verify_data(suite_.hash(), server_, transcript_hash);
}

Status HandshakeTrafficSecrets::verify_server_finished(const crypto::Digest& transcript_hash,
                                                       std::span<const std::uint8_t> received) const {
  return verify(suite_.hash(), server_, transcript_hash, received, "server's");
}

MasterSecret HandshakeTrafficSecrets::derive_master_secret(const crypto::Digest& through_server_finished) && {
  MasterSecret master(suite_);
  const auto zero = zeros(suite_);
  master.master_secret_ = extract_after(suite_, handshake_secret_, zero.bytes());
  handshake_secret_.clear();
  server_.clear();
  const auto hash = suite_.hash();
  const auto prk = master.master_secret_.bytes();
  master.client_application_ = derive_secret(hash, prk, "c ap traffic", through_server_finished);
  master.server_application_ = derive_secret(hash, prk, "s ap traffic", through_server_finished);
  master.exporter_master_ = derive_secret(hash, prk, "exp master", through_server_finished);
  master.client_handshake_ = std::move(client_);
  return master;
}

crypto::Digest MasterSecret::client_finished_verify_data(const crypto::Digest& transcript_hash) const {
  return finished_verify_data(suite_.hash(), client_handshake_, transcript_hash);
}

Status MasterSecret::verify_client_finished(const crypto::Digest& transcript_hash,
                                            std::span<const std::uint8_t> received) const {
  return verify(suite_.hash(), client_handshake_, transcript_hash, received, "client's");
}

crypto::Secret MasterSecret::resumption_master_secret(const crypto::Digest& through_client_finished) const {
  return derive_secret(suite_.hash(), master_secret_.bytes(), "res master", through_client_finished);
}

Result<crypto::Secret> MasterSecret::export_keying_material(std::string_view label,
                                                            std::span<const std::uint8_t> context,
                                                            std::size_t length) const {
  return tls_exporter(suite_.hash(), exporter_master_, label, context, length);
}

crypto::Secret finished_key(crypto::HashAlgorithm hash, const crypto::Secret& base_key) {
  auto key = hkdf_expand_label(hash, base_key.bytes(), "finished", {}, crypto::digest_size(hash));
  if (!key) std::abort();  // fixed label and length: cannot fail
  return std::move(key).value();
}

crypto::Digest finished_verify_data(crypto::HashAlgorithm hash, const crypto::Secret& base_key,
                                    const crypto::Digest& transcript_hash) {
  const auto key = finished_key(hash, base_key);
  return crypto::hmac(hash, key.bytes(), transcript_hash.bytes());
}

Result<crypto::Secret> tls_exporter(crypto::HashAlgorithm hash, const crypto::Secret& exporter_master_secret,
                                    std::string_view label, std::span<const std::uint8_t> context, std::size_t length) {
  auto per_label = hkdf_expand_label(hash, exporter_master_secret.bytes(), label, empty_hash(hash).bytes(),
                                     crypto::digest_size(hash));
  if (!per_label) return fail(per_label.error());
  const auto context_hash = crypto::hash(hash, context);
  return hkdf_expand_label(hash, per_label->bytes(), "exporter", context_hash.bytes(), length);
}

std::string format_keylog_line(std::string_view label, std::span<const std::uint8_t> client_random,
                               std::span<const std::uint8_t> secret) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string line;
  line.reserve(label.size() + 2 + 2 * (client_random.size() + secret.size()));
  line.append(label);
  const auto append_hex = [&](std::span<const std::uint8_t> bytes) {
    line.push_back(' ');
    for (auto byte : bytes) {
      line.push_back(kDigits[byte >> 4]);
      line.push_back(kDigits[byte & 0x0f]);
    }
  };
  append_hex(client_random);
  append_hex(secret);
  return line;
}

}  // namespace duplex::tls
