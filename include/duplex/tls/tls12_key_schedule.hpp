// The TLS 1.2 key schedule (RFC 5246 §5, §6.3, §7.4.9, §8.1; RFC 7627; RFC 5705), as types: the
// master secret can only be made from a pre-master secret, and the keys, Finished and exporter
// values only from a master secret, so nothing is derived from the wrong stage.
//
//   ECDHE shared secret (RFC 8422 §5.10)        Tls12PreMasterSecret
//   or RSA-decrypted 48 bytes (RFC 5246 §7.4.7.1)
//                 |
//                 +-- RFC 7627 §4 (what we use):
//                 |     PRF(pre_master_secret, "extended master secret", session_hash)[0..47]
//                 |     session_hash = Hash(ClientHello .. ClientKeyExchange)
//                 +-- RFC 5246 §8.1 (a peer without EMS):
//                 |     PRF(pre_master_secret, "master secret", client_random + server_random)[0..47]
//                 v
//           master_secret (48 bytes)                  Tls12MasterSecret
//                 |
//                 +--> key_block = PRF(master_secret, "key expansion",         Tls12KeyBlock
//                 |                    server_random + client_random)
//                 |      = client_write_key, server_write_key, client_write_IV, server_write_IV
//                 |        (AEAD suites have no MAC keys, RFC 5246 §6.3)
//                 +--> verify_data = PRF(master_secret, "client finished" | "server finished",
//                 |                      Hash(handshake_messages))[0..11]       (RFC 5246 §7.4.9)
//                 +--> exporter = PRF(master_secret, label, client_random + server_random
//                                     [+ context_value_length + context_value])[length]  (RFC 5705 §4)
//
// PRF(secret, label, seed) = P_<hash>(secret, label + seed) on the crypto provider's HMAC, with
// the suite's hash (SHA-256 or SHA-384). Every secret is a crypto::Secret, wiped when dropped.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "duplex/crypto/aead.hpp"
#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/secret.hpp"
#include "duplex/tls/cipher_suite.hpp"
#include "duplex/tls/error.hpp"

namespace duplex::tls {

// The TLS 1.2 suites we implement (RFC 5289 §3.2, RFC 5288 §3, RFC 7905 §2), as CipherSuite
// values: cipher_suite.hpp will name them, these constants only spell the code points.
namespace tls12_suites {
constexpr CipherSuite ecdhe_ecdsa_with_aes_128_gcm_sha256 = static_cast<CipherSuite>(0xc02b);
constexpr CipherSuite ecdhe_ecdsa_with_aes_256_gcm_sha384 = static_cast<CipherSuite>(0xc02c);
constexpr CipherSuite ecdhe_ecdsa_with_chacha20_poly1305_sha256 = static_cast<CipherSuite>(0xcca9);
constexpr CipherSuite ecdhe_rsa_with_aes_128_gcm_sha256 = static_cast<CipherSuite>(0xc02f);
constexpr CipherSuite ecdhe_rsa_with_aes_256_gcm_sha384 = static_cast<CipherSuite>(0xc030);
constexpr CipherSuite ecdhe_rsa_with_chacha20_poly1305_sha256 = static_cast<CipherSuite>(0xcca8);
constexpr CipherSuite rsa_with_aes_128_gcm_sha256 = static_cast<CipherSuite>(0x009c);
constexpr CipherSuite rsa_with_aes_256_gcm_sha384 = static_cast<CipherSuite>(0x009d);
}  // namespace tls12_suites

// How the pre-master secret is agreed: ephemeral ECDH (RFC 8422), or RSA key transport
// (RFC 5246 §7.4.7.1, no forward secrecy: off unless asked for).
enum class Tls12KeyExchange : std::uint8_t { ecdhe, rsa };
// What the server's certificate key is (and for ECDHE, what signs the ServerKeyExchange).
enum class Tls12Authentication : std::uint8_t { ecdsa, rsa };

// A TLS 1.2 cipher suite we implement: its key exchange, authentication, PRF hash and AEAD. It can
// only be made from one of the eight suites above, so the key schedule never meets another.
class Tls12Suite {
 public:
  // nullopt for any other suite (CBC, RC4, DHE, TLS 1.3 suites, GREASE...).
  static std::optional<Tls12Suite> from(CipherSuite suite);

  CipherSuite suite() const { return suite_; }
  std::string_view name() const { return name_; }  // the IANA name, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
  Tls12KeyExchange key_exchange() const { return key_exchange_; }
  Tls12Authentication authentication() const { return authentication_; }
  crypto::HashAlgorithm prf_hash() const { return prf_hash_; }
  crypto::AeadAlgorithm aead() const { return aead_; }
  std::size_t key_size() const { return crypto::key_size(aead_); }
  // SecurityParameters.fixed_iv_length: the implicit part of the nonce from the key block, 4 bytes
  // for AES-GCM (RFC 5288 §3, the "salt") and 12 for ChaCha20-Poly1305 (RFC 7905 §2).
  std::size_t fixed_iv_size() const;
  // SecurityParameters.record_iv_length: the explicit nonce carried in each record, 8 bytes for
  // AES-GCM (RFC 5288 §3) and none for ChaCha20-Poly1305 (RFC 7905 §2).
  std::size_t record_iv_size() const;

  bool operator==(const Tls12Suite& other) const { return suite_ == other.suite_; }

 private:
  Tls12Suite(CipherSuite suite, std::string_view name, Tls12KeyExchange key_exchange,
             Tls12Authentication authentication, crypto::HashAlgorithm prf_hash, crypto::AeadAlgorithm aead)
      : suite_(suite),
        name_(name),
        key_exchange_(key_exchange),
        authentication_(authentication),
        prf_hash_(prf_hash),
        aead_(aead) {}

  CipherSuite suite_;
  std::string_view name_;
  Tls12KeyExchange key_exchange_;
  Tls12Authentication authentication_;
  crypto::HashAlgorithm prf_hash_;
  crypto::AeadAlgorithm aead_;
};

// RFC 5246 §5: PRF(secret, label, seed) = P_<hash>(secret, label + seed), the first `length`
// bytes of
//   P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ...
//   A(0) = seed, A(i) = HMAC_hash(secret, A(i-1)).
// `label` is the ASCII label without a terminating NUL. SHA-256 and SHA-384 are what TLS 1.2
// suites use; SHA-512 is computed the same way.
crypto::Secret tls12_prf(crypto::HashAlgorithm hash, std::span<const std::uint8_t> secret, std::string_view label,
                         std::span<const std::uint8_t> seed, std::size_t length);

// RFC 5246 §7.4.1.2: ClientHello.random and ServerHello.random.
struct Tls12Randoms {
  std::array<std::uint8_t, 32> client{};
  std::array<std::uint8_t, 32> server{};
};

// RFC 5246 §8.1: "the master_secret is always exactly 48 bytes in length".
constexpr std::size_t kTls12MasterSecretSize = 48;
// RFC 5246 §7.4.9: "verify_data_length ... defaults to 12" for every suite we have.
constexpr std::size_t kTls12VerifyDataSize = 12;
using Tls12VerifyData = std::array<std::uint8_t, kTls12VerifyDataSize>;

// One direction's write key and write IV from the key block (RFC 5246 §6.3).
struct Tls12WriteKeys {
  crypto::Secret key;  // key_size() bytes
  crypto::Secret iv;   // fixed_iv_size() bytes: the 4-byte GCM salt or the 12-byte ChaCha20 IV
};

struct Tls12KeyBlock {
  Tls12WriteKeys client;
  Tls12WriteKeys server;
};

class Tls12MasterSecret;

// The pre-master secret of one handshake: the ECDHE shared secret (RFC 8422 §5.10: the
// x-coordinate, or X25519's output) or the 48 bytes of RSA key transport (RFC 5246 §7.4.7.1).
// Turning it into the master secret consumes it (and wipes it).
class Tls12PreMasterSecret {
 public:
  Tls12PreMasterSecret(const Tls12Suite& suite, crypto::Secret pre_master_secret)
      : suite_(suite), secret_(std::move(pre_master_secret)) {}

  const Tls12Suite& suite() const { return suite_; }

  // RFC 7627 §4: master_secret = PRF(pre_master_secret, "extended master secret", session_hash)
  // [0..47], where session_hash is Hash(handshake_messages) from the ClientHello up to and
  // including the ClientKeyExchange, with the PRF's hash. What we use whenever the peer agreed to
  // the extended_master_secret extension (RFC 7627 §5.2).
  Tls12MasterSecret derive_extended_master_secret(const Tls12Randoms& randoms, const crypto::Digest& session_hash) &&;
  // RFC 5246 §8.1: master_secret = PRF(pre_master_secret, "master secret",
  // ClientHello.random + ServerHello.random)[0..47]. Only for a peer without EMS; such a session
  // is never resumed (RFC 7627 §5.3 lets a server refuse it; we always do).
  Tls12MasterSecret derive_master_secret(const Tls12Randoms& randoms) &&;

 private:
  Tls12Suite suite_;
  crypto::Secret secret_;
};

// The 48-byte master secret of a session, with the randoms the later derivations need.
class Tls12MasterSecret {
 public:
  const Tls12Suite& suite() const { return suite_; }
  const Tls12Randoms& randoms() const { return randoms_; }
  // The 48 bytes (for the NSS key log's CLIENT_RANDOM line).
  const crypto::Secret& secret() const { return secret_; }
  // Whether it was made the RFC 7627 way (a session that may be resumed, RFC 7627 §5.3).
  bool extended() const { return extended_; }

  // RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random),
  // split into client_write_key, server_write_key, client_write_IV, server_write_IV (the MAC keys
  // have length 0 for AEAD suites).
  Tls12KeyBlock derive_key_block() const;

  // RFC 5246 §7.4.9: verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))
  // [0..11], with "client finished" / "server finished". `transcript_hash` is the PRF hash of every
  // handshake message up to, not including, this Finished.
  Tls12VerifyData client_finished_verify_data(const crypto::Digest& transcript_hash) const;
  Tls12VerifyData server_finished_verify_data(const crypto::Digest& transcript_hash) const;
  // decrypt_error when `received` is not the expected verify_data (compared in constant time; a
  // received value of another length never matches).
  Status verify_client_finished(const crypto::Digest& transcript_hash, std::span<const std::uint8_t> received) const;
  Status verify_server_finished(const crypto::Digest& transcript_hash, std::span<const std::uint8_t> received) const;

  // RFC 5705 §4: PRF(master_secret, label, client_random + server_random
  //   [+ uint16 context_value_length + context_value])[length]. No context (nullopt) and an empty
  // context give different values, as the RFC says. internal_error (the application's mistake)
  // for a context over 65535 bytes, or a label that begins with one the PRF uses itself ("client
  // finished", "server finished", "master secret", "key expansion", "extended master secret":
  // RFC 5705 §6, RFC 7627 §7).
  Result<crypto::Secret> export_keying_material(std::string_view label,
                                                std::optional<std::span<const std::uint8_t>> context,
                                                std::size_t length) const;

 private:
  friend class Tls12PreMasterSecret;
  Tls12MasterSecret(const Tls12Suite& suite, const Tls12Randoms& randoms, crypto::Secret secret, bool extended)
      : suite_(suite), randoms_(randoms), secret_(std::move(secret)), extended_(extended) {}

  Tls12Suite suite_;
  Tls12Randoms randoms_;
  crypto::Secret secret_;
  bool extended_;
};

// The NSS key log label of a TLS 1.2 session: "CLIENT_RANDOM <client_random> <master_secret>"
// (format_keylog_line in key_schedule.hpp writes the line).
namespace keylog {
constexpr std::string_view kClientRandom = "CLIENT_RANDOM";
}  // namespace keylog

}  // namespace duplex::tls
