// Private to src/tls/server: the TLS 1.2 server after the ClientHello chose TLS 1.2, in the order
// RFC 5246 §7.3 draws the full handshake:
//
//        Client                                               Server
//        ClientHello (hello.cpp)      -------->
//                                                        ServerHello   answer_client_hello
//                                                       Certificate
//                                                 ServerKeyExchange    (ECDHE)
//                                                CertificateRequest*
//                                     <--------      ServerHelloDone
//        Certificate*                                                  ExpectCertificate
//        ClientKeyExchange                                             ExpectClientKeyExchange
//        CertificateVerify*                                            ExpectCertificateVerify
//        [ChangeCipherSpec]                                            ExpectChangeCipherSpec
//        Finished                     -------->                        ExpectFinished
//                                                 [ChangeCipherSpec]
//                                     <--------             Finished
//
// Every state says `tls12`: a ChangeCipherSpec anywhere but where it is due is unexpected_message
// (state_machine.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "../tls12_transcript.hpp"
#include "client_hello_offers.hpp"
#include "duplex/crypto/key_exchange.hpp"
#include "duplex/crypto/signature.hpp"
#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/tls12_key_schedule.hpp"
#include "states.hpp"

namespace duplex::tls::detail::server::tls12 {

// The ClientHello offers TLS 1.2 and we chose it (hello.cpp): the suite, certificate, group and
// scheme, and the server's whole flight.
Result<ServerState> answer_client_hello(const HandshakeMessage& message, const ClientHello& hello,
                                        const Tls12ClientHelloOffers& offers, Context& context, HandshakeIo& io);

// What the ClientHello and our flight settled, carried through every state after them.
struct Negotiated {
  Tls12Suite suite;
  Tls12Randoms randoms;
  bool extended_master_secret = false;  // RFC 7627: both sides sent the extension
  Tls12Transcript transcript;
  std::uint16_t client_version = 0;  // ClientHello.client_version: the RSA pre-master secret's first bytes
  const CertifiedKey* certificate = nullptr;  // ours, in the ServerConfig the Context holds
  std::vector<SignatureScheme> requested_schemes;  // the CertificateRequest's, when we sent one
};

struct ExpectCertificate {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  std::optional<crypto::KeyShare> our_share;  // ECDHE; none for RSA key transport

  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectClientKeyExchange {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  std::optional<crypto::KeyShare> our_share;
  std::optional<crypto::PublicKey> client_key;  // when the client sent a certificate

  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectCertificateVerify {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  Tls12MasterSecret master;
  crypto::PublicKey client_key;

  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// The client's keys change at its ChangeCipherSpec (RFC 5246 §7.1).
struct ExpectChangeCipherSpec {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  Tls12MasterSecret master;

  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
  Result<ServerState> handle_change_cipher_spec(Context& context, HandshakeIo& io) &&;
};

struct ExpectFinished {
  static constexpr bool tls12 = true;
  Negotiated negotiated;
  Tls12MasterSecret master;
  Tls12WriteKeys server_write_keys;

  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

}  // namespace duplex::tls::detail::server::tls12
