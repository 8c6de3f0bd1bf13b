// Private to src/tls/client: the TLS 1.2 client's states after the ServerHello, in the order
// RFC 5246 §7.3 draws the full handshake:
//
//        Client                                               Server
//        ClientHello                  -------->
//                                                        ServerHello   (hello.cpp → enter)
//                                                       Certificate    ExpectCertificate
//                                                 ServerKeyExchange    ExpectServerKeyExchange (ECDHE)
//                                                CertificateRequest*   ExpectCertificateRequestOrDone
//                                     <--------      ServerHelloDone   ExpectServerHelloDone
//        Certificate*
//        ClientKeyExchange
//        CertificateVerify*
//        [ChangeCipherSpec]
//        Finished                     -------->
//                                                 [ChangeCipherSpec]   ExpectChangeCipherSpec
//                                     <--------             Finished   ExpectFinished
//
// Every state says `tls12`: a ChangeCipherSpec anywhere but where it is due is unexpected_message
// (state_machine.hpp).
#pragma once

#include <optional>
#include <vector>

#include "../tls12_transcript.hpp"
#include "duplex/crypto/signature.hpp"
#include "duplex/tls/server_hello.hpp"
#include "duplex/tls/tls12_key_schedule.hpp"
#include "duplex/tls/tls12_messages.hpp"
#include "states.hpp"

namespace duplex::tls::detail::client::tls12 {

// The ServerHello chose TLS 1.2 (RFC 5246 §7.4.1.3): its fields and extensions checked, the
// transcript started with the ClientHello and the ServerHello.
Result<ClientState> enter(const ServerHello& hello, const HandshakeMessage& server_hello,
                          const HandshakeMessage& client_hello, Context& context, HandshakeIo& io);

// What the ServerHello settled, carried through every state after it.
struct Negotiated {
  Tls12Suite suite;
  Tls12Randoms randoms;
  bool extended_master_secret = false;  // RFC 7627: the server answered the extension
  Tls12Transcript transcript;
};

// RFC 8422 §5.4: the server's ephemeral ECDH public value.
struct ServerShare {
  NamedGroup group{};
  std::vector<std::uint8_t> public_key;
};

// RFC 5246 §7.4.4: what a CertificateRequest asked for.
struct CertificateRequestInfo {
  std::vector<ClientCertificateType> certificate_types;
  std::vector<SignatureScheme> signature_schemes;
};

struct ExpectCertificate {
  static constexpr bool tls12 = true;
  Negotiated negotiated;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectServerKeyExchange {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  crypto::PublicKey server_key;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectCertificateRequestOrDone {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  crypto::PublicKey server_key;
  std::optional<ServerShare> server_share;  // ECDHE; none for RSA key transport

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectServerHelloDone {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  crypto::PublicKey server_key;
  std::optional<ServerShare> server_share;
  CertificateRequestInfo request;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// Our Finished is out; the server's keys change at its ChangeCipherSpec (RFC 5246 §7.1).
struct ExpectChangeCipherSpec {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  Tls12MasterSecret master;
  Tls12WriteKeys server_write_keys;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
  Result<ClientState> handle_change_cipher_spec(Context& context, HandshakeIo& io) &&;
};

struct ExpectFinished {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  Tls12MasterSecret master;

  Result<ClientState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

}  // namespace duplex::tls::detail::client::tls12
