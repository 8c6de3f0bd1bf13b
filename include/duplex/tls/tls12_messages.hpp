// The TLS 1.2 handshake messages whose form differs from TLS 1.3's (RFC 5246 §7.4, RFC 8422 §5):
// Certificate, ServerKeyExchange (ECDHE), CertificateRequest, ServerHelloDone and
// ClientKeyExchange. ClientHello, ServerHello and CertificateVerify have TLS 1.3's form
// (client_hello.hpp, server_hello.hpp, certificate_verify.hpp); Finished carries 12 bytes
// (finished.hpp with kTls12VerifyDataSize).
//
// Parsers check every length against its bounds and refuse trailing bytes (decode_error), so the
// engine and --trace meet only well-formed values.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/named_group.hpp"
#include "duplex/tls/signature_scheme.hpp"

namespace duplex::tls {

// RFC 5246 §7.4.2:
//   opaque ASN.1Cert<1..2^24-1>;
//   struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
struct Tls12Certificate {
  std::vector<std::vector<std::uint8_t>> certificate_list;  // DER, end-entity first

  bool operator==(const Tls12Certificate&) const = default;
};
Result<Tls12Certificate> parse_tls12_certificate(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_tls12_certificate(const Tls12Certificate& message);

// RFC 8422 §5.4, for the ECDHE suites (the only ServerKeyExchange we speak):
//   struct { ECCurveType curve_type; NamedCurve namedcurve; } ECParameters;   curve_type = named_curve (3)
//   struct { ECParameters curve_params; ECPoint public; } ServerECDHParams;   opaque point <1..2^8-1>
//   struct { ServerECDHParams params; Signature signed_params; } ServerKeyExchange;
// and RFC 5246 §4.7 / §7.4.1.4.1: the signature is a DigitallySigned, struct {
// SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>; }, which names the scheme.
struct ServerKeyExchange {
  NamedGroup named_curve{};
  std::vector<std::uint8_t> public_key;  // the server's ephemeral ECDH public value
  SignatureScheme algorithm{};
  std::vector<std::uint8_t> signature;

  bool operator==(const ServerKeyExchange&) const = default;
};
// decode_error for a malformed body; illegal_parameter for a curve_type other than named_curve
// (explicit curves, RFC 8422 §5.4: "MUST NOT" be used).
Result<ServerKeyExchange> parse_server_key_exchange(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_server_key_exchange(const ServerKeyExchange& message);
// RFC 8422 §5.4: what the signature covers:
//   SHA(ClientHello.random + ServerHello.random + ServerKeyExchange.params)
// (the scheme's hash is applied by the signer).
std::vector<std::uint8_t> server_key_exchange_signed_content(std::span<const std::uint8_t, 32> client_random,
                                                             std::span<const std::uint8_t, 32> server_random,
                                                             NamedGroup named_curve,
                                                             std::span<const std::uint8_t> public_key);

// RFC 5246 §7.4.4: enum { rsa_sign(1), ..., (255) } ClientCertificateType; RFC 8422 §5.5:
// ecdsa_sign(64). Open: a server may list types we have never heard of.
enum class ClientCertificateType : std::uint8_t { rsa_sign = 1, ecdsa_sign = 64 };

// RFC 5246 §7.4.4:
//   struct {
//       ClientCertificateType certificate_types<1..2^8-1>;
//       SignatureAndHashAlgorithm supported_signature_algorithms<2^16-1>;
//       DistinguishedName certificate_authorities<0..2^16-1>;
//   } CertificateRequest;
//   opaque DistinguishedName<1..2^16-1>;
struct Tls12CertificateRequest {
  std::vector<ClientCertificateType> certificate_types;
  std::vector<SignatureScheme> signature_algorithms;
  std::vector<std::vector<std::uint8_t>> certificate_authorities;  // DER Names

  bool operator==(const Tls12CertificateRequest&) const = default;
};
Result<Tls12CertificateRequest> parse_tls12_certificate_request(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_tls12_certificate_request(const Tls12CertificateRequest& message);

// RFC 5246 §7.4.5: struct { } ServerHelloDone; any byte in it → decode_error.
Status parse_server_hello_done(std::span<const std::uint8_t> body);

// RFC 5246 §7.4.7: the ClientKeyExchange's exchange_keys, by key exchange:
// - ECDHE (RFC 8422 §5.7): struct { ECPoint ecdh_Yc; }, opaque point <1..2^8-1> (explicit form);
// - RSA (RFC 5246 §7.4.7.1): struct { public-key-encrypted PreMasterSecret; }, an opaque
//   <0..2^16-1> vector.
enum class ClientKeyExchangeForm : std::uint8_t { ecdh_public, rsa_encrypted_premaster };
Result<std::vector<std::uint8_t>> parse_client_key_exchange(std::span<const std::uint8_t> body,
                                                            ClientKeyExchangeForm form);
std::vector<std::uint8_t> encode_client_key_exchange(std::span<const std::uint8_t> exchange_keys,
                                                     ClientKeyExchangeForm form);

}  // namespace duplex::tls
