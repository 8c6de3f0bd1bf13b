// Private to src/tls: the TLS 1.3 client handshake (RFC 8446 §2, §4), one type per state
// (STYLE example 3: ExpectServerHello, ExpectEncryptedExtensions, ExpectCertificateOrRequest,
// ExpectCertificate, ExpectCertificateVerify, ExpectFinished), inside client_handshake.cpp.
#pragma once

#include <memory>
#include <string>

#include "duplex/tls/config.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/handshake.hpp"
#include "handshake_io.hpp"

namespace duplex::tls::detail {

struct ClientRandomness;  // client_hello_builder.hpp

class ClientHandshake {
 public:
  ClientHandshake(std::shared_ptr<const ClientConfig> config, std::string server_name);
  ~ClientHandshake();
  ClientHandshake(ClientHandshake&&) noexcept;
  ClientHandshake& operator=(ClientHandshake&&) noexcept;

  // Makes and writes the ClientHello. internal_error for a configuration that cannot make one
  // (no cipher suite we implement, a key share group not in supported_groups...).
  Status start(HandshakeIo& io);
  // Tests only (RFC 8448 known answers): start() with the trace's random, session id and key
  // shares instead of the CSPRNG's.
  Status start(HandshakeIo& io, ClientRandomness randomness);
  // One whole handshake message from the server. Any error ends the handshake: the connection
  // sends its alert.
  Status handle(const HandshakeMessage& message, HandshakeIo& io);
  // True once io.handshake_complete() was called: later messages are the connection's
  // (NewSessionTicket, KeyUpdate).
  bool done() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace duplex::tls::detail
