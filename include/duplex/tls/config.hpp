// What a TLS client or server (1.3 and 1.2) is configured with. Aggregates with designated initializers;
// every default is the secure, interoperable choice, with its reason.
//
//   auto config = std::make_shared<tls::ClientConfig>(tls::ClientConfig{
//       .verifier = tls::pin_spki_sha256({pin}),
//       .alpn_protocols = {"http/1.1"},
//   });
//   auto connection = tls::Connection::client(config, "example.com", now);
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/crypto/signature.hpp"
#include "duplex/tls/certificate_verifier.hpp"
#include "duplex/tls/cipher_suite.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/handshake.hpp"
#include "duplex/tls/key_log.hpp"
#include "duplex/tls/named_group.hpp"
#include "duplex/tls/protocol_version.hpp"
#include "duplex/tls/signature_scheme.hpp"

namespace duplex::tls {

// A certificate chain and the private key of its end-entity certificate.
struct CertifiedKey {
  std::vector<std::vector<std::uint8_t>> certificate_chain{};  // DER, end-entity first
  crypto::PrivateKey private_key;
  // The leaf's subjectAltName DNS names (lower case, "*.example.com" kept as written): what a
  // server matches the client's server_name against to choose among several CertifiedKeys.
  std::vector<std::string> dns_names{};

  // From PEM text: every CERTIFICATE block of `certificate_pem` (end-entity first) and the one
  // private key of `key_pem` (PKCS #8, or traditional RSA / EC). Fails with a sentence when a
  // block does not parse or the key is not the end-entity certificate's key.
  static duplex::Result<CertifiedKey, std::string> from_pem(std::string_view certificate_pem,
                                                           std::string_view key_pem);
};

// One record for `duplex tls connect --trace`: a handshake message as sent or received, or a
// ChangeCipherSpec record (RFC 5246 §7.1; RFC 8446 §D.4), with the version the hellos agreed on
// so far (ProtocolVersion{} before), which TLS 1.2's message forms need (trace.hpp describes it).
enum class TraceDirection : std::uint8_t { sent, received };
struct TraceRecord {
  TraceDirection direction = TraceDirection::sent;
  ProtocolVersion version{};
  const HandshakeMessage* handshake = nullptr;  // nullptr: a ChangeCipherSpec record
};
using TraceSink = std::function<void(const TraceRecord& record)>;

// TLS 1.3 first (RFC 8446 §9.1: TLS_AES_128_GCM_SHA256 is mandatory), then TLS 1.2's ECDHE AEAD
// suites (RFC 9325 §4.2's recommendation: forward secrecy and AEAD only; no CBC, RC4, 3DES, DHE or
// RSA key transport). AES-GCM first: the fastest on every CPU with AES instructions. One list for
// both versions: each version uses the suites that are its own.
inline std::vector<CipherSuite> default_cipher_suites() {
  return {CipherSuite::tls_aes_128_gcm_sha256,
          CipherSuite::tls_aes_256_gcm_sha384,
          CipherSuite::tls_chacha20_poly1305_sha256,
          CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256,
          CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256,
          CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384,
          CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384,
          CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256,
          CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256};
}
// TLS 1.3 preferred (RFC 8446 §4.2.1), TLS 1.2 for the peers that stop there. TLS 1.0, 1.1 and
// SSL 3 are never spoken (RFC 8996).
inline std::vector<ProtocolVersion> default_versions() { return {ProtocolVersion::tls1_3, ProtocolVersion::tls1_2}; }
// The two RSA key transport suites (RFC 5288 §3), added with legacy_rsa_key_exchange.
inline std::vector<CipherSuite> legacy_rsa_key_exchange_suites() {
  return {CipherSuite::tls_rsa_with_aes_128_gcm_sha256, CipherSuite::tls_rsa_with_aes_256_gcm_sha384};
}
// RFC 8446 §9.1: secp256r1 is mandatory, X25519 "SHOULD"; P-384 for peers that insist on it.
inline std::vector<NamedGroup> default_supported_groups() {
  return {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1};
}
// RFC 8446 §9.1: rsa_pkcs1_sha256 (certificates), rsa_pss_rsae_sha256 and ecdsa_secp256r1_sha256
// are mandatory. rsa_pkcs1_* is listed for signatures in certificates only (§4.2.3: never in
// CertificateVerify).
std::vector<SignatureScheme> default_signature_schemes();

struct ClientConfig {
  // Who the server must be. nullptr: the X.509 path validator with the system's roots
  // (x509_verifier.hpp), checking the server name the connection was made for; should the
  // system store be unreadable, every handshake fails with a sentence saying so. It never
  // accepts silently. See certificate_verifier.hpp.
  std::shared_ptr<const CertificateVerifier> verifier{};

  // The versions offered, most preferred first: TLS 1.3 and TLS 1.2, or either alone.
  std::vector<ProtocolVersion> versions = default_versions();
  // Offered in this order; the server chooses. TLS 1.3's and TLS 1.2's suites in one list.
  std::vector<CipherSuite> cipher_suites = default_cipher_suites();
  // TLS 1.2 RSA key transport (TLS_RSA_WITH_AES_*_GCM_*): no forward secrecy, and the server's side
  // is the one Bleichenbacher attacks aim at. Off; on, its suites are offered after the others
  // (and may be listed in cipher_suites only then).
  bool legacy_rsa_key_exchange = false;
  std::vector<NamedGroup> supported_groups = default_supported_groups();
  // Key shares sent in the first ClientHello. X25519 and P-256 cover almost every server in one
  // round trip; any other group of supported_groups costs a HelloRetryRequest.
  std::vector<NamedGroup> key_share_groups = {NamedGroup::x25519, NamedGroup::secp256r1};
  std::vector<SignatureScheme> signature_schemes = default_signature_schemes();
  // RFC 7301 ALPN, most preferred first; empty sends no extension.
  std::vector<std::string> alpn_protocols{};
  // RFC 8446 §D.4: a 32-byte legacy_session_id and change_cipher_spec records make the handshake
  // look like a TLS 1.2 resumption to middleboxes that would otherwise break it. On, as in every
  // browser.
  bool middlebox_compatibility = true;
  // RFC 8449: the largest TLSInnerPlaintext we accept (64 .. 16385); nullopt sends no extension.
  std::optional<std::uint16_t> record_size_limit{};
  // For a server that asks for one (mTLS); nullopt answers with an empty Certificate.
  std::optional<CertifiedKey> client_certificate{};
  // Bound on one handshake message (see handshake.hpp).
  std::size_t max_handshake_message_size = default_max_handshake_message_size;

  KeyLogSink key_log{};  // e.g. key_log_from_environment()
  TraceSink trace{};
};

// RFC 8446 §4.3.2: whether the server sends a CertificateRequest, and what it does when the
// client answers with no certificate.
enum class ClientAuthentication : std::uint8_t {
  none,      // no CertificateRequest
  optional,  // request one; a client without a certificate may go on unauthenticated
  required,  // request one; no certificate ends the handshake with certificate_required (§4.4.2.4)
};

struct ServerConfig {
  // Chosen per connection: the first whose dns_names match the client's server_name and whose
  // key can sign with a scheme the client offered; failing that, the first whose key can (the
  // default certificate). At least one is needed.
  std::vector<CertifiedKey> certificates{};

  // The versions accepted; TLS 1.3 is chosen whenever the client offers it (RFC 8446 §4.2.1).
  std::vector<ProtocolVersion> versions = default_versions();
  // Our preference decides (RFC 8446 §4.1.1, RFC 5246 §7.4.1.3 leave the choice to the server).
  std::vector<CipherSuite> cipher_suites = default_cipher_suites();
  // TLS 1.2 RSA key transport, as for the client: off. On, a client that offers nothing else may
  // use it; the decryption is libcrypto's TLS mode, never a padding oracle (RFC 5246 §7.4.7.1).
  bool legacy_rsa_key_exchange = false;
  // Our preference among the groups the client supports; when the client sent no share for the
  // one we pick, a HelloRetryRequest asks for it (RFC 8446 §4.1.4). A share the client did send
  // for a group we support is used in preference to a HelloRetryRequest.
  std::vector<NamedGroup> supported_groups = default_supported_groups();
  std::vector<SignatureScheme> signature_schemes = default_signature_schemes();
  // RFC 7301 §3.2: the first of ours the client also offers. When both sides list protocols and
  // none match: no_application_protocol.
  std::vector<std::string> alpn_protocols{};

  ClientAuthentication client_authentication = ClientAuthentication::none;
  // Decides whether a client certificate is trusted (purpose client_auth, no peer name). Needed
  // when client_authentication is not none.
  std::shared_ptr<const CertificateVerifier> client_verifier{};

  std::optional<std::uint16_t> record_size_limit{};  // RFC 8449, as for the client
  std::size_t max_handshake_message_size = default_max_handshake_message_size;

  KeyLogSink key_log{};
  TraceSink trace{};
};

// Whether a configuration can make a connection at all: suites, groups and schemes we implement,
// a certificate whose key can sign with one of the schemes, a verifier when client certificates
// are asked for... The failure's message says what is wrong. Connection::client/server and
// net::Server::start() call them: a bad configuration fails at once, never per connection.
Status check_config(const ClientConfig& config);
Status check_config(const ServerConfig& config);

}  // namespace duplex::tls
