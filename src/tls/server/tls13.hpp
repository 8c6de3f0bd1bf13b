// Private to src/tls/server: the TLS 1.3 server after the ClientHello chose TLS 1.3 (RFC 8446 §2):
//
//        Client                                           Server
//        ClientHello (hello.cpp)  -------->
//                                 <--------   HelloRetryRequest   answer_client_hello
//        ClientHello              -------->                       ExpectRetriedClientHello
//                                                   ServerHello   send_server_flight
//                                         {EncryptedExtensions}
//                                         {CertificateRequest*}
//                                                 {Certificate}
//                                           {CertificateVerify}
//                                 <--------          {Finished}
//        {Certificate*}           -------->                       ExpectCertificate
//        {CertificateVerify*}     -------->                       ExpectCertificateVerify
//        {Finished}               -------->                       ExpectFinished
#pragma once

#include <cstdint>
#include <vector>

#include "client_hello_offers.hpp"
#include "duplex/crypto/signature.hpp"
#include "duplex/tls/client_hello.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "duplex/tls/named_group.hpp"
#include "states.hpp"

namespace duplex::tls::detail::server::tls13 {

// The ClientHello offers TLS 1.3 and we chose it (hello.cpp): a HelloRetryRequest when no key
// share fits (RFC 8446 §4.1.4), else the whole server flight.
Result<ServerState> answer_client_hello(const HandshakeMessage& message, const ClientHello& hello,
                                        const ClientHelloOffers& offers, Context& context, HandshakeIo& io);

// After a HelloRetryRequest (RFC 8446 §4.1.4): what the second ClientHello must keep.
struct ExpectRetriedClientHello {
  Tls13Suite suite;
  NamedGroup selected_group;
  std::vector<std::uint8_t> legacy_session_id;
  crypto::Hash transcript;  // message_hash(ClientHello1), HelloRetryRequest
  bool sent_change_cipher_spec = false;

  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

// After our Finished with a CertificateRequest: the client's Certificate (RFC 8446 §4.4.2).
struct ExpectCertificate {
  crypto::Hash transcript;
  MasterSecret master;

  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectCertificateVerify {
  crypto::Hash transcript;
  MasterSecret master;
  crypto::PublicKey client_key;

  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

struct ExpectFinished {
  crypto::Hash transcript;
  MasterSecret master;

  Result<ServerState> handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) &&;
};

}  // namespace duplex::tls::detail::server::tls13
