#include "duplex/tls/tls12_key_schedule.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <initializer_list>
#include <string>

#include "duplex/crypto/hmac.hpp"

namespace duplex::tls {
namespace {

using Bytes = std::span<const std::uint8_t>;

Bytes bytes_of(std::string_view text) { return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}; }

// RFC 5246 §5: P_hash(secret, label + seed), the seed given in pieces so that no caller has to
// concatenate randoms (or a context) first.
crypto::Secret p_hash(crypto::HashAlgorithm hash, Bytes secret, std::string_view label,
                      std::initializer_list<Bytes> seed, std::size_t length) {
  crypto::Secret out(length);
  const crypto::Hmac keyed(hash, secret);
  // A(1) = HMAC_hash(secret, A(0)), A(0) = label + seed.
  crypto::Hmac first(keyed);
  first.update(bytes_of(label));
  for (Bytes part : seed) first.update(part);
  crypto::Digest a = first.finish();
  crypto::Digest block;
  for (std::size_t done = 0; done < length;) {
    // HMAC_hash(secret, A(i) + label + seed)
    crypto::Hmac mac(keyed);
    mac.update(a.bytes());
    mac.update(bytes_of(label));
    for (Bytes part : seed) mac.update(part);
    block = mac.finish();
    const std::size_t take = std::min(block.size(), length - done);
    std::memcpy(out.bytes().data() + done, block.bytes().data(), take);
    done += take;
    if (done < length) {
      crypto::Hmac next(keyed);  // A(i+1) = HMAC_hash(secret, A(i))
      next.update(a.bytes());
      a = next.finish();
    }
  }
  crypto::secure_wipe(a.resize_for_output(crypto::kMaxDigestSize));
  crypto::secure_wipe(block.resize_for_output(crypto::kMaxDigestSize));
  return out;
}

struct SuiteRow {
  CipherSuite suite;
  std::string_view name;
  Tls12KeyExchange key_exchange;
  Tls12Authentication authentication;
  crypto::HashAlgorithm prf_hash;
  crypto::AeadAlgorithm aead;
};

// RFC 5289 §3.2 (ECDHE with AES-GCM, "PRF ... SHA-256 ... SHA-384"), RFC 5288 §3 (RSA with
// AES-GCM), RFC 7905 §2 (ChaCha20-Poly1305, "the PRF ... SHA-256").
constexpr SuiteRow kSuites[] = {
    {tls12_suites::ecdhe_ecdsa_with_aes_128_gcm_sha256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
     Tls12KeyExchange::ecdhe, Tls12Authentication::ecdsa, crypto::HashAlgorithm::sha256,
     crypto::AeadAlgorithm::aes_128_gcm},
    {tls12_suites::ecdhe_ecdsa_with_aes_256_gcm_sha384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
     Tls12KeyExchange::ecdhe, Tls12Authentication::ecdsa, crypto::HashAlgorithm::sha384,
     crypto::AeadAlgorithm::aes_256_gcm},
    {tls12_suites::ecdhe_ecdsa_with_chacha20_poly1305_sha256, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
     Tls12KeyExchange::ecdhe, Tls12Authentication::ecdsa, crypto::HashAlgorithm::sha256,
     crypto::AeadAlgorithm::chacha20_poly1305},
    {tls12_suites::ecdhe_rsa_with_aes_128_gcm_sha256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", Tls12KeyExchange::ecdhe,
     Tls12Authentication::rsa, crypto::HashAlgorithm::sha256, crypto::AeadAlgorithm::aes_128_gcm},
    {tls12_suites::ecdhe_rsa_with_aes_256_gcm_sha384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", Tls12KeyExchange::ecdhe,
     Tls12Authentication::rsa, crypto::HashAlgorithm::sha384, crypto::AeadAlgorithm::aes_256_gcm},
    {tls12_suites::ecdhe_rsa_with_chacha20_poly1305_sha256, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
     Tls12KeyExchange::ecdhe, Tls12Authentication::rsa, crypto::HashAlgorithm::sha256,
     crypto::AeadAlgorithm::chacha20_poly1305},
    {tls12_suites::rsa_with_aes_128_gcm_sha256, "TLS_RSA_WITH_AES_128_GCM_SHA256", Tls12KeyExchange::rsa,
     Tls12Authentication::rsa, crypto::HashAlgorithm::sha256, crypto::AeadAlgorithm::aes_128_gcm},
    {tls12_suites::rsa_with_aes_256_gcm_sha384, "TLS_RSA_WITH_AES_256_GCM_SHA384", Tls12KeyExchange::rsa,
     Tls12Authentication::rsa, crypto::HashAlgorithm::sha384, crypto::AeadAlgorithm::aes_256_gcm},
};

// RFC 5705 §6: "client finished", "server finished", "master secret" and "key expansion" are
// reserved "and MUST NOT be used" as exporter labels; RFC 7627 §7 adds "extended master secret".
//
// Q: why refuse a label that only begins with one of them ("master secretary")?
// A: the PRF input is label + randoms, so such a label feeds the PRF bytes that begin like the
//    master secret's or a Finished's input. RFC 5705 §6 forbids registering a label that is a
//    prefix of another for that reason; OpenSSL refuses these prefixes too (tls1_export_keying_material).
constexpr std::string_view kReservedLabels[] = {"client finished", "server finished", "master secret", "key expansion",
                                                "extended master secret"};

}  // namespace

std::optional<Tls12Suite> Tls12Suite::from(CipherSuite suite) {
  for (const auto& row : kSuites) {
    if (row.suite == suite)
      return Tls12Suite(row.suite, row.name, row.key_exchange, row.authentication, row.prf_hash, row.aead);
  }
  return std::nullopt;
}

std::size_t Tls12Suite::fixed_iv_size() const {
  // RFC 5288 §3: "the salt is the "implicit" part of the nonce ... 4 octets"; RFC 7905 §2: "The
  // 96-bit nonce is formed ... with the client_write_IV or server_write_IV" (12 octets).
  return aead_ == crypto::AeadAlgorithm::chacha20_poly1305 ? 12 : 4;
}

std::size_t Tls12Suite::record_iv_size() const {
  // RFC 5288 §3: "The nonce_explicit is 8 octets"; RFC 7905 §2: no explicit nonce is sent.
  return aead_ == crypto::AeadAlgorithm::chacha20_poly1305 ? 0 : 8;
}

crypto::Secret tls12_prf(crypto::HashAlgorithm hash, std::span<const std::uint8_t> secret, std::string_view label,
                         std::span<const std::uint8_t> seed, std::size_t length) {
  return p_hash(hash, secret, label, {seed}, length);
}

Tls12MasterSecret Tls12PreMasterSecret::derive_extended_master_secret(const Tls12Randoms& randoms,
                                                                      const crypto::Digest& session_hash) && {
  // RFC 7627 §4: "master_secret = PRF(pre_master_secret, "extended master secret",
  // session_hash)[0..47];"
  auto master = p_hash(suite_.prf_hash(), secret_.bytes(), "extended master secret", {session_hash.bytes()},
                       kTls12MasterSecretSize);
  secret_.clear();
  return Tls12MasterSecret(suite_, randoms, std::move(master), true);
}

Tls12MasterSecret Tls12PreMasterSecret::derive_master_secret(const Tls12Randoms& randoms) && {
  // RFC 5246 §8.1: "master_secret = PRF(pre_master_secret, "master secret", ClientHello.random +
  // ServerHello.random)[0..47];"
  auto master = p_hash(suite_.prf_hash(), secret_.bytes(), "master secret", {randoms.client, randoms.server},
                       kTls12MasterSecretSize);
  secret_.clear();
  return Tls12MasterSecret(suite_, randoms, std::move(master), false);
}

Tls12KeyBlock Tls12MasterSecret::derive_key_block() const {
  const std::size_t key = suite_.key_size();
  const std::size_t iv = suite_.fixed_iv_size();
  // RFC 5246 §6.3: "key_block = PRF(SecurityParameters.master_secret, "key expansion",
  // SecurityParameters.server_random + SecurityParameters.client_random);" partitioned in the
  // order client_write_MAC_key, server_write_MAC_key (empty for AEAD), client_write_key,
  // server_write_key, client_write_IV, server_write_IV.
  const auto block =
      p_hash(suite_.prf_hash(), secret_.bytes(), "key expansion", {randoms_.server, randoms_.client}, 2 * (key + iv));
  const auto part = [&](std::size_t offset, std::size_t size) {
    return crypto::Secret(block.bytes().subspan(offset, size));
  };
  return Tls12KeyBlock{
      .client = {.key = part(0, key), .iv = part(2 * key, iv)},
      .server = {.key = part(key, key), .iv = part(2 * key + iv, iv)},
  };
}

namespace {

Tls12VerifyData verify_data(const Tls12Suite& suite, const crypto::Secret& master, std::string_view label,
                            const crypto::Digest& transcript_hash) {
  // RFC 5246 §7.4.9: "the Hash MUST be the Hash used as the basis for the PRF".
  assert(transcript_hash.size() == crypto::digest_size(suite.prf_hash()));
  const auto data = p_hash(suite.prf_hash(), master.bytes(), label, {transcript_hash.bytes()}, kTls12VerifyDataSize);
  Tls12VerifyData out;
  std::memcpy(out.data(), data.bytes().data(), out.size());
  return out;
}

Status check_verify_data(const Tls12VerifyData& expected, std::span<const std::uint8_t> received, const char* whose) {
  // RFC 5246 §7.4.9: "Recipients of Finished messages MUST verify that the contents are correct";
  // §7.2.2: decrypt_error is for a failure to "correctly ... validate a Finished message".
  if (!crypto::constant_time_equal(expected, received))
    return reject(AlertDescription::decrypt_error,
                  std::string("the ") + whose + " Finished verify_data does not match the handshake (RFC 5246 §7.4.9)");
  return Unit{};
}

}  // namespace

Tls12VerifyData Tls12MasterSecret::client_finished_verify_data(const crypto::Digest& transcript_hash) const {
  return verify_data(suite_, secret_, "client finished", transcript_hash);
}

Tls12VerifyData Tls12MasterSecret::server_finished_verify_data(const crypto::Digest& transcript_hash) const {
  return verify_data(suite_, secret_, "server finished", transcript_hash);
}

Status Tls12MasterSecret::verify_client_finished(const crypto::Digest& transcript_hash,
                                                 std::span<const std::uint8_t> received) const {
  return check_verify_data(client_finished_verify_data(transcript_hash), received, "client's");
}

Status Tls12MasterSecret::verify_server_finished(const crypto::Digest& transcript_hash,
                                                 std::span<const std::uint8_t> received) const {
  return check_verify_data(server_finished_verify_data(transcript_hash), received, "server's");
}

Result<crypto::Secret> Tls12MasterSecret::export_keying_material(std::string_view label,
                                                                 std::optional<std::span<const std::uint8_t>> context,
                                                                 std::size_t length) const {
  for (std::string_view reserved : kReservedLabels) {
    if (label.starts_with(reserved))
      return reject(AlertDescription::internal_error,
                    "the exporter label \"" + std::string(label) + "\" begins with \"" + std::string(reserved) +
                        "\", which the TLS PRF uses itself (RFC 5705 §6, RFC 7627 §7)");
  }
  if (!context) return p_hash(suite_.prf_hash(), secret_.bytes(), label, {randoms_.client, randoms_.server}, length);
  // RFC 5705 §4: "The context value length is encoded as an unsigned, 16-bit quantity".
  if (context->size() > 0xffff)
    return reject(AlertDescription::internal_error, "an exporter context of " + std::to_string(context->size()) +
                                                        " bytes does not fit its 16-bit length (RFC 5705 §4)");
  const std::uint8_t context_length[2] = {static_cast<std::uint8_t>(context->size() >> 8),
                                          static_cast<std::uint8_t>(context->size())};
  return p_hash(suite_.prf_hash(), secret_.bytes(), label, {randoms_.client, randoms_.server, context_length, *context},
                length);
}

}  // namespace duplex::tls
