// Private to src/tls/client: the TLS 1.3 client's states after the ServerHello (RFC 8446 §2):
//
//        Client                                           Server
//        ClientHello              -------->
//                                 <--------   HelloRetryRequest (§4.1.4, at most once)
//        [ChangeCipherSpec] ClientHello -------->
//                                                   ServerHello   (hello.cpp)
//                                         {EncryptedExtensions}   ExpectEncryptedExtensions
//                                         {CertificateRequest*}   ExpectCertificateOrRequest
//                                                 {Certificate}   ExpectCertificate
//                                           {CertificateVerify}   ExpectCertificateVerify
//                                 <--------          {Finished}   ExpectFinished
//        [ChangeCipherSpec]
//        {Certificate*} {CertificateVerify*}
//        {Finished}               -------->
#pragma once

#include <optional>
#include <vector>

#include "duplex/crypto/signature.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "duplex/tls/server_hello.hpp"
#include "states.hpp"

namespace duplex::tls::detail::client::tls13 {

// What a CertificateRequest (RFC 8446 §4.3.2) asked for.
struct CertificateRequestInfo {
  std::vector<std::uint8_t> context;
  std::vector<SignatureScheme> signature_schemes;
};

// The ServerHello chose TLS 1.3 (RFC 8446 §4.2.1): both handshake traffic secrets from the
// server's key share (§7.1), and our reading switched to the server's (§2: everything after the
// ServerHello is encrypted). `transcript` holds what came before the ServerHello.
Result<ClientState> enter_handshake_keys(const ServerHello& hello, const HandshakeMessage& message,
                                         crypto::Hash transcript, const std::vector<crypto::KeyShare>& sent,
                                         HandshakeIo& io);

struct ExpectEncryptedExtensions {
  crypto::Hash transcript;
  HandshakeTrafficSecrets secrets;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectCertificateOrRequest {
  crypto::Hash transcript;
  HandshakeTrafficSecrets secrets;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectCertificate {
  crypto::Hash transcript;
  HandshakeTrafficSecrets secrets;
  std::optional<CertificateRequestInfo> request;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectCertificateVerify {
  crypto::Hash transcript;
  HandshakeTrafficSecrets secrets;
  std::optional<CertificateRequestInfo> request;
  crypto::PublicKey server_key;  // of the end-entity certificate

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectFinished {
  crypto::Hash transcript;
  HandshakeTrafficSecrets secrets;
  std::optional<CertificateRequestInfo> request;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

}  // namespace duplex::tls::detail::client::tls13
