// Private to src/tls: the TLS 1.3 server handshake (RFC 8446 §2, §4), one type per state
// (ExpectClientHello, ExpectRetriedClientHello, ExpectCertificate, ExpectCertificateVerify,
// ExpectFinished), inside server_handshake.cpp.
#pragma once

#include <memory>

#include "duplex/tls/config.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/handshake.hpp"
#include "handshake_io.hpp"

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
  // True once io.handshake_complete() was called.
  bool done() const;
  // True while the next ClientHello is the first one (its record may say 0x0301, §5.1).
  bool expecting_first_client_hello() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace duplex::tls::detail
