// Private to src/tls/server: the server's handshake states (STYLE example 3) and what holds for
// the whole handshake. Each state holds only what is valid while it waits for its message;
// handle() consumes it and yields the next state, or the error whose alert ends the connection.
// The ClientHello is read in hello.cpp, where the versions meet; each version's states come after
// (tls13.hpp, tls12.hpp).
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <variant>

#include "../handshake_io.hpp"
#include "duplex/crypto/hash.hpp"
#include "duplex/tls/config.hpp"

namespace duplex::tls::detail::server {

// What holds for the whole handshake.
struct Context {
  std::shared_ptr<const ServerConfig> config;
};

struct ExpectClientHello;
namespace tls13 {
struct ExpectRetriedClientHello;
struct ExpectCertificate;
struct ExpectCertificateVerify;
struct ExpectFinished;
}  // namespace tls13
namespace tls12 {
struct ExpectCertificate;
struct ExpectClientKeyExchange;
struct ExpectCertificateVerify;
struct ExpectChangeCipherSpec;
struct ExpectFinished;
}  // namespace tls12
struct Done;
struct Failed;

using ServerState = std::variant<ExpectClientHello, tls13::ExpectRetriedClientHello, tls13::ExpectCertificate,
                                 tls13::ExpectCertificateVerify, tls13::ExpectFinished, tls12::ExpectCertificate,
                                 tls12::ExpectClientKeyExchange, tls12::ExpectCertificateVerify,
                                 tls12::ExpectChangeCipherSpec, tls12::ExpectFinished, Done, Failed>;

// RFC 8446 §4, RFC 5246 §7.3: the client's first message is its ClientHello (hello.cpp).
struct ExpectClientHello {
  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// io.handshake_complete() was called.
struct Done {
  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// A handshake that failed: it takes no more messages.
struct Failed {
  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// ---- Shared by the states of both versions ----

// RFC 8446 §6.2: "unexpected_message: An inappropriate message (e.g., the wrong handshake message
// [...]) was received."
duplex::Failure<TlsError> unexpected(const HandshakeMessage& message, std::string_view expected);
// Frames, hashes and sends one of our messages.
void send(HandshakeType type, std::span<const std::uint8_t> body, crypto::Hash& transcript, HandshakeIo& io);
// The client's certificate chain checked by the configured client_verifier; its leaf's key.
Result<crypto::PublicKey> verify_client_chain(const ServerConfig& config, std::span<const std::vector<std::uint8_t>> chain,
                                              HandshakeIo& io);

}  // namespace duplex::tls::detail::server
