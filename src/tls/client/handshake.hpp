// Private to src/tls: the client handshake, one type per state (STYLE example 3). The versions
// meet at the hellos (hello.cpp); TLS 1.3's states after the ServerHello are in tls13.hpp.
#pragma once

#include <memory>
#include <string>

#include "duplex/tls/config.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/handshake.hpp"
#include "../handshake_io.hpp"

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
  // A change_cipher_spec record (0x01) during the handshake: true when the state machine took it
  // as a message (TLS 1.2, RFC 5246 §7.1); false for TLS 1.3's compatibility noise, which the
  // connection drops (RFC 8446 §5).
  Result<bool> handle_change_cipher_spec(HandshakeIo& io);
  // True once io.handshake_complete() was called: later messages are the connection's
  // (NewSessionTicket, KeyUpdate).
  bool done() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace duplex::tls::detail
