// The TLS 1.3 key schedule (RFC 8446 §7.1), as types: each stage can only be made from the one
// before it and the input the RFC says it needs, so no traffic secret can be derived too early
// (the shape of rustls' key_schedule.rs).
//
// RFC 8446 §7.1 (salt from the top, IKM from the left):
//
//                 0
//                 |
//                 v
//       PSK ->  HKDF-Extract = Early Secret                       EarlySecret
//                 |
//                 +-----> Derive-Secret(., "ext binder" | "res binder", "")
//                 |                     = binder_key
//                 |
//                 +-----> Derive-Secret(., "c e traffic", ClientHello)
//                 |                     = client_early_traffic_secret
//                 v
//           Derive-Secret(., "derived", "")
//                 |
//                 v
//    (EC)DHE -> HKDF-Extract = Handshake Secret                   HandshakeSecret
//                 |
//                 +-----> Derive-Secret(., "c hs traffic",        HandshakeTrafficSecrets
//                 |                     ClientHello...ServerHello)
//                 |                     = client_handshake_traffic_secret
//                 |
//                 +-----> Derive-Secret(., "s hs traffic",
//                 |                     ClientHello...ServerHello)
//                 |                     = server_handshake_traffic_secret
//                 v
//           Derive-Secret(., "derived", "")
//                 |
//                 v
//       0 -> HKDF-Extract = Master Secret                         MasterSecret
//                 |
//                 +-----> Derive-Secret(., "c ap traffic",
//                 |                     ClientHello...server Finished)
//                 |                     = client_application_traffic_secret_0
//                 |
//                 +-----> Derive-Secret(., "s ap traffic",
//                 |                     ClientHello...server Finished)
//                 |                     = server_application_traffic_secret_0
//                 |
//                 +-----> Derive-Secret(., "exp master",
//                 |                     ClientHello...server Finished)
//                 |                     = exporter_master_secret
//                 |
//                 +-----> Derive-Secret(., "res master",
//                                       ClientHello...client Finished)
//                                       = resumption_master_secret
//
// Transcript hashes are passed in as crypto::Digest (the engine keeps a running crypto::Hash and
// forks it with current()). Every secret is a crypto::Secret, wiped when its stage is dropped or
// consumed. Traffic keys and ivs come from traffic_keys.hpp; record protection from
// record_layer.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/secret.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/traffic_keys.hpp"

namespace duplex::tls {

class HandshakeSecret;
class HandshakeTrafficSecrets;
class MasterSecret;

// RFC 8446 §4.2.11: which binder a PSK needs ("ext binder" for external PSKs, "res binder" for
// resumption).
enum class PskKind : std::uint8_t { external, resumption };

class EarlySecret {
 public:
  // RFC 8446 §7.1: Early Secret = HKDF-Extract(0, PSK).
  static EarlySecret with_psk(const Tls13Suite& suite, std::span<const std::uint8_t> psk);
  // "If a given secret is not available, then the 0-value consisting of a string of Hash.length
  // bytes set to zeros is used."
  static EarlySecret without_psk(const Tls13Suite& suite);

  const Tls13Suite& suite() const { return suite_; }
  const crypto::Secret& secret() const { return secret_; }

  crypto::Secret binder_key(PskKind kind) const;
  crypto::Secret client_early_traffic_secret(const crypto::Digest& client_hello_hash) const;

  // Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE).
  HandshakeSecret derive_handshake_secret(std::span<const std::uint8_t> shared_secret) &&;

 private:
  EarlySecret(const Tls13Suite& suite, crypto::Secret secret) : suite_(suite), secret_(std::move(secret)) {}

  Tls13Suite suite_;
  crypto::Secret secret_;
};

class HandshakeSecret {
 public:
  const Tls13Suite& suite() const { return suite_; }
  const crypto::Secret& secret() const { return secret_; }

  // Both handshake traffic secrets, from Transcript-Hash(ClientHello...ServerHello).
  HandshakeTrafficSecrets derive_handshake_traffic_secrets(const crypto::Digest& hello_hash) &&;

 private:
  friend class EarlySecret;
  HandshakeSecret(const Tls13Suite& suite, crypto::Secret secret) : suite_(suite), secret_(std::move(secret)) {}

  Tls13Suite suite_;
  crypto::Secret secret_;
};

class HandshakeTrafficSecrets {
 public:
  const Tls13Suite& suite() const { return suite_; }
  const crypto::Secret& client_handshake_traffic_secret() const { return client_; }
  const crypto::Secret& server_handshake_traffic_secret() const { return server_; }

  // RFC 8446 §4.4.4: the server's Finished over Transcript-Hash(ClientHello...CertificateVerify).
  crypto::Digest server_finished_verify_data(const crypto::Digest& transcript_hash) const;
  // decrypt_error when `received` is not the expected verify_data (compared in constant time).
  Status verify_server_finished(const crypto::Digest& transcript_hash, std::span<const std::uint8_t> received) const;

  // Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0), and the
  // secrets made from Transcript-Hash(ClientHello...server Finished). The client handshake
  // traffic secret moves along: the client's Finished still needs it.
  MasterSecret derive_master_secret(const crypto::Digest& through_server_finished) &&;

 private:
  friend class HandshakeSecret;
  HandshakeTrafficSecrets(const Tls13Suite& suite, crypto::Secret handshake_secret, crypto::Secret client,
                          crypto::Secret server)
      : suite_(suite),
        handshake_secret_(std::move(handshake_secret)),
        client_(std::move(client)),
        server_(std::move(server)) {}

  Tls13Suite suite_;
  crypto::Secret handshake_secret_;
  crypto::Secret client_;
  crypto::Secret server_;
};

class MasterSecret {
 public:
  const Tls13Suite& suite() const { return suite_; }
  const crypto::Secret& secret() const { return master_secret_; }
  const crypto::Secret& client_application_traffic_secret_0() const { return client_application_; }
  const crypto::Secret& server_application_traffic_secret_0() const { return server_application_; }
  const crypto::Secret& exporter_master_secret() const { return exporter_master_; }

  // RFC 8446 §4.4.4: the client's Finished over Transcript-Hash(ClientHello...server Finished),
  // or ...client CertificateVerify when the client authenticates.
  crypto::Digest client_finished_verify_data(const crypto::Digest& transcript_hash) const;
  // decrypt_error when `received` is not the expected verify_data (compared in constant time).
  Status verify_client_finished(const crypto::Digest& transcript_hash, std::span<const std::uint8_t> received) const;
  // Once the client's Finished is sent or checked: wipes the client handshake traffic secret.
  void discard_handshake_traffic_secret() { client_handshake_.clear(); }

  // Derive-Secret(Master Secret, "res master", ClientHello...client Finished).
  crypto::Secret resumption_master_secret(const crypto::Digest& through_client_finished) const;

  // RFC 8446 §7.5 TLS-Exporter(label, context_value, key_length).
  Result<crypto::Secret> export_keying_material(std::string_view label, std::span<const std::uint8_t> context,
                                                std::size_t length) const;

 private:
  friend class HandshakeTrafficSecrets;
  explicit MasterSecret(const Tls13Suite& suite) : suite_(suite) {}

  Tls13Suite suite_;
  crypto::Secret master_secret_;
  crypto::Secret client_handshake_;
  crypto::Secret client_application_;
  crypto::Secret server_application_;
  crypto::Secret exporter_master_;
};

// RFC 8446 §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length);
// verify_data = HMAC(finished_key, Transcript-Hash(...)). Also the PSK binder (§4.2.11.2) with the
// binder_key as BaseKey.
crypto::Secret finished_key(crypto::HashAlgorithm hash, const crypto::Secret& base_key);
crypto::Digest finished_verify_data(crypto::HashAlgorithm hash, const crypto::Secret& base_key,
                                    const crypto::Digest& transcript_hash);

// RFC 8446 §7.5: TLS-Exporter(label, context_value, key_length) =
//   HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context_value), key_length)
Result<crypto::Secret> tls_exporter(crypto::HashAlgorithm hash, const crypto::Secret& exporter_master_secret,
                                    std::string_view label, std::span<const std::uint8_t> context, std::size_t length);

// The NSS key log format (what SSLKEYLOGFILE holds, read by Wireshark): one line per secret,
// "<LABEL> <client_random in hex> <secret in hex>". The five TLS 1.3 labels:
namespace keylog {
constexpr std::string_view kClientHandshakeTrafficSecret = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
constexpr std::string_view kServerHandshakeTrafficSecret = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
constexpr std::string_view kClientTrafficSecret0 = "CLIENT_TRAFFIC_SECRET_0";
constexpr std::string_view kServerTrafficSecret0 = "SERVER_TRAFFIC_SECRET_0";
constexpr std::string_view kExporterSecret = "EXPORTER_SECRET";
}  // namespace keylog

// One key log line, lower-case hex, without the line break.
std::string format_keylog_line(std::string_view label, std::span<const std::uint8_t> client_random,
                               std::span<const std::uint8_t> secret);

}  // namespace duplex::tls
