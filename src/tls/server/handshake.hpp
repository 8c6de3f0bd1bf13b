// Private to src/tls: the server handshake, one type per state (STYLE example 3). The versions
// meet at the ClientHello (hello.cpp); TLS 1.3's states after it are in tls13.hpp.
#pragma once

#include <memory>

#include "duplex/tls/config.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/handshake.hpp"
#include "../handshake_io.hpp"

namespace duplex::tls::detail {

class ServerHandshake {
 public:
  explicit ServerHandshake(std::shared_ptr<const ServerConfig> config);
  ~ServerHandshake();
  ServerHandshake(ServerHandshake&&) noexcept;
  ServerHandshake& operator=(ServerHandshake&&) noexcept;

  // One whole handshake message from the client (the first must be a ClientHello). On the
  // ClientHello the whole server flight is written: ServerHello (or HelloRetryRequest),
  // EncryptedExtensions, [CertificateRequest], Certificate, CertificateVerify, Finished.
  Status handle(const HandshakeMessage& message, HandshakeIo& io);
  // A change_cipher_spec record (0x01) during the handshake: true when the state machine took it
  // as a message (TLS 1.2, RFC 5246 §7.1); false for TLS 1.3's compatibility noise, which the
  // connection drops (RFC 8446 §5).
  Result<bool> handle_change_cipher_spec(HandshakeIo& io);
  // True once io.handshake_complete() was called.
  bool done() const;
  // True while the next ClientHello is the first one (its record may say 0x0301, §5.1).
  bool expecting_first_client_hello() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace duplex::tls::detail
