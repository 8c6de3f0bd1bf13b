// Private to client_handshake.cpp and client_server_hello.cpp: the client's handshake states
// (STYLE example 3). Each holds only what is valid while it waits for its message; handle()
// consumes it and yields the next state, or the error whose alert ends the connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "client_hello_builder.hpp"
#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/key_exchange.hpp"
#include "duplex/crypto/signature.hpp"
#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "handshake_io.hpp"

namespace duplex::tls::detail::client {

// What holds for the whole handshake.
struct Context {
  std::shared_ptr<const ClientConfig> config;
  std::string server_name;
  ClientOffer offer;  // what the first ClientHello offered (set by start())
  bool change_cipher_spec_sent = false;
};

// What a CertificateRequest (RFC 8446 §4.3.2) asked for.
struct CertificateRequestInfo {
  std::vector<std::uint8_t> context;
  std::vector<SignatureScheme> signature_schemes;
};

struct ExpectServerHelloOrRetry;
struct ExpectServerHello;
struct ExpectEncryptedExtensions;
struct ExpectCertificateOrRequest;
struct ExpectCertificate;
struct ExpectCertificateVerify;
struct ExpectFinished;
struct Done;
struct Failed;

using ClientState = std::variant<ExpectServerHelloOrRetry, ExpectServerHello, ExpectEncryptedExtensions,
                                 ExpectCertificateOrRequest, ExpectCertificate, ExpectCertificateVerify,
                                 ExpectFinished, Done, Failed>;

// The first ClientHello is out; the transcript waits for the server to choose the hash.
struct ExpectServerHelloOrRetry {
  ClientHello hello;
  std::vector<crypto::KeyShare> key_shares;
  HandshakeMessage client_hello;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// After a HelloRetryRequest (RFC 8446 §4.1.4) and our second ClientHello.
struct ExpectServerHello {
  std::vector<crypto::KeyShare> key_shares;  // the second ClientHello's
  crypto::Hash transcript;                   // message_hash, HelloRetryRequest, ClientHello
  CipherSuite retry_suite;                   // §4.1.4: the ServerHello must keep it

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

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

// io.handshake_complete() was called; later messages are the connection's.
struct Done {
  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// A handle() failed (or start() was not called): the connection is over.
struct Failed {
  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// unexpected_message for `message` arriving when `expected` was due.
duplex::Failure<TlsError> unexpected(const HandshakeMessage& message, std::string_view expected);
// RFC 8446 §D.4: our one change_cipher_spec, before the second flight, in compatibility mode.
void send_change_cipher_spec_if_due(Context& context, HandshakeIo& io);
// Adds `message` to the transcript and writes it.
void send(const HandshakeMessage& message, crypto::Hash& transcript, HandshakeIo& io);
HandshakeMessage frame(HandshakeType type, std::span<const std::uint8_t> body);

}  // namespace duplex::tls::detail::client
