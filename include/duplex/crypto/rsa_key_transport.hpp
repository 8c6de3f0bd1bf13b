// RSA key transport for TLS 1.2 (RFC 5246 §7.4.7.1): the client encrypts a 48-byte pre-master
// secret to the server's RSA key with RSAES-PKCS1-v1_5; the server decrypts it.
//
// Why the server side looks the way it does. PKCS #1 v1.5 decryption is the oldest oracle in TLS:
// a server that answers a bad padding differently from a good one (an alert, a different alert, a
// different time, a log line) lets an attacker decrypt a recorded ClientKeyExchange or forge a
// signature with the server's key, one query at a time (Bleichenbacher 1998; Klima-Pokorny-Rosa
// 2003 with the version bytes; ROBOT 2017; Marvin 2023 with timing alone). RFC 5246 §7.4.7.1's
// answer, which this follows:
//   1. generate a random R first;
//   2. decrypt; if the padding is wrong or the message is not 48 bytes, use R as the pre-master
//      secret, and never let the version bytes decide anything visible either;
//   3. go on with the handshake: a wrong pre-master secret then fails at the client's Finished
//      exactly as any other wrong Finished does (decrypt_error), at the same point, with the same
//      alert. The server "MUST NOT generate an alert" of its own here.
// (One detail differs from the RFC's listing, as it does in OpenSSL: wrong version bytes make the
// whole secret random instead of being overwritten with client_version. Either way that client's
// master secret is not the server's, and the Finished fails the same way.)
//
// Steps 1–2 happen inside libcrypto, in constant time: OpenSSL 3.0's RSA_PKCS1_WITH_TLS_PADDING
// mode (providers/implementations/asymciphers/rsa_enc.c, rsa_decrypt, calling
// ossl_rsa_padding_check_PKCS1_type_2_TLS in crypto/rsa/rsa_pk1.c) draws 48 random bytes with
// RAND_priv_bytes_ex, checks 00 02, the non-zero padding, the zero separator and the two version
// bytes with constant_time_* masks, and copies either the decrypted 48 bytes or the random ones with
// constant_time_select_8; it reports success either way. It reports an error only for inputs that
// are invalid in public: a ciphertext longer than the modulus or not below it (the raw RSA step
// fails), a modulus under 59 bytes, a missing client version, or a provider failure. On top of
// that this wrapper draws its own 48 random bytes before calling libcrypto and returns them if
// libcrypto reports any error, chosen with a mask rather than a branch on the result: there is no
// error return, no log line and no different code path the peer could see. Each bad ciphertext
// gives a new random value on each call (3.0 draws fresh bytes: it is not the deterministic
// "implicit rejection" that 3.2 added for plain PKCS #1 v1.5 decryption).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "duplex/crypto/secret.hpp"
#include "duplex/crypto/signature.hpp"
#include "duplex/util/result.hpp"

namespace duplex::crypto {

// RFC 5246 §7.4.7.1: struct { ProtocolVersion client_version; opaque random[46]; } PreMasterSecret.
constexpr std::size_t kTlsPreMasterSecretSize = 48;

// A fresh pre-master secret for RSA key transport: `client_version` (ClientHello.client_version,
// the newest version the client offered in that field: 0x0303 for TLS 1.2, also when it offers
// TLS 1.3 through supported_versions) then 46 random bytes.
Secret make_tls_premaster(std::uint16_t client_version);

// Client side: RSAES-PKCS1-v1_5 encryption of the 48-byte pre-master secret to the server's
// certificate key, the EncryptedPreMasterSecret of the ClientKeyExchange (without its length
// prefix). Fails with invalid_key for a key that is not RSA, invalid_length for a secret that is
// not 48 bytes, and provider_failure when libcrypto cannot encrypt (a modulus too small to hold it).
Result<std::vector<std::uint8_t>> encrypt_tls_premaster(const PublicKey& server_key, const Secret& pre_master_secret);

// Server side: always 48 bytes, never an error. The decrypted pre-master secret when `ciphertext`
// decrypts with valid PKCS #1 v1.5 padding to 48 bytes starting with `client_version`; otherwise 48
// random bytes, indistinguishable to the caller (see above). `client_version` is the ClientHello's
// client_version (legacy_version) field, not the negotiated version (RFC 5246 §7.4.7.1: "the
// version number in the PreMasterSecret is the version offered by the client in the ClientHello";
// we do not set OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION, OpenSSL's SSL_OP_TLS_ROLLBACK_BUG
// workaround for clients that put the negotiated version there). A key that is not RSA also
// gives random bytes (the engine offers RSA suites only with an RSA certificate).
Secret decrypt_tls_premaster(const PrivateKey& private_key, std::span<const std::uint8_t> ciphertext,
                             std::uint16_t client_version);

}  // namespace duplex::crypto
