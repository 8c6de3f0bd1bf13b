// Private to src/tls/client: the client's handshake states (STYLE example 3) and what holds for
// the whole handshake. Each state holds only what is valid while it waits for its message;
// handle() consumes it and yields the next state, or the error whose alert ends the connection.
// The hellos are read in hello.cpp, where the versions meet; each version's states come after
// (tls13.hpp, tls12.hpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "../handshake_io.hpp"
#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/key_exchange.hpp"
#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/config.hpp"
#include "hello_builder.hpp"

namespace duplex::tls::detail::client {

// What holds for the whole handshake.
struct Context {
  std::shared_ptr<const ClientConfig> config;
  std::string server_name;
  ClientOffer offer;  // what the first ClientHello offered (set by start())
  bool change_cipher_spec_sent = false;
};

struct ExpectServerHelloOrRetry;
struct ExpectServerHello;
namespace tls13 {
struct ExpectEncryptedExtensions;
struct ExpectCertificateOrRequest;
struct ExpectCertificate;
struct ExpectCertificateVerify;
struct ExpectFinished;
}  // namespace tls13
namespace tls12 {
struct ExpectCertificate;
struct ExpectServerKeyExchange;
struct ExpectCertificateRequestOrDone;
struct ExpectServerHelloDone;
struct ExpectChangeCipherSpec;
struct ExpectFinished;
}  // namespace tls12
struct Done;
struct Failed;

using ClientState = std::variant<ExpectServerHelloOrRetry, ExpectServerHello, tls13::ExpectEncryptedExtensions,
                                 tls13::ExpectCertificateOrRequest, tls13::ExpectCertificate,
                                 tls13::ExpectCertificateVerify, tls13::ExpectFinished, tls12::ExpectCertificate,
                                 tls12::ExpectServerKeyExchange, tls12::ExpectCertificateRequestOrDone,
                                 tls12::ExpectServerHelloDone, tls12::ExpectChangeCipherSpec, tls12::ExpectFinished,
                                 Done, Failed>;

// ---- The hellos (hello.cpp) ----

// The first ClientHello is out; the transcript waits for the server to choose the version and
// the hash.
struct ExpectServerHelloOrRetry {
  ClientHello hello;
  std::vector<crypto::KeyShare> key_shares;
  HandshakeMessage client_hello;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// After a HelloRetryRequest (RFC 8446 §4.1.4) and our second ClientHello: TLS 1.3 is chosen.
struct ExpectServerHello {
  std::vector<crypto::KeyShare> key_shares;  // the second ClientHello's
  crypto::Hash transcript;                   // message_hash, HelloRetryRequest, ClientHello
  CipherSuite retry_suite;                   // §4.1.4: the ServerHello must keep it

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

// ---- Shared by the states of both versions ----

// unexpected_message for `message` arriving when `expected` was due.
duplex::Failure<TlsError> unexpected(const HandshakeMessage& message, std::string_view expected);
// RFC 8446 §D.4: our one change_cipher_spec, before the second flight, in compatibility mode.
void send_change_cipher_spec_if_due(Context& context, HandshakeIo& io);
// Adds `message` to the transcript and writes it.
void send(const HandshakeMessage& message, crypto::Hash& transcript, HandshakeIo& io);
HandshakeMessage frame(HandshakeType type, std::span<const std::uint8_t> body);
// The server's certificate chain checked by the configured verifier (the system's roots when
// there is none), for the name the connection was made for.
Status verify_server_chain(const Context& context, std::span<const std::vector<std::uint8_t>> chain, HandshakeIo& io);
// RFC 7301 §3.1: the server's ALPN choice (in TLS 1.3's EncryptedExtensions, TLS 1.2's
// ServerHello), which must be one we offered; it goes into the summary.
Status check_alpn(std::span<const Extension> extensions, ExtensionContext context, const ClientOffer& offer,
                  HandshakeSummary& summary);
// The end-entity certificate's public key.
Result<crypto::PublicKey> server_public_key(std::span<const std::uint8_t> leaf);

}  // namespace duplex::tls::detail::client
