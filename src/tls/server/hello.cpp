// Where the server's versions meet (STYLE example 13): the ServerHandshake, which hands each
// message to its current state; the reading of the ClientHello, which chooses the version and
// passes the handshake to that version's states; and what the states of every version share.
#include <utility>

#include "../state_machine.hpp"
#include "client_hello_offers.hpp"
#include "duplex/tls/client_hello.hpp"
#include "duplex/x509/certificate.hpp"
#include "handshake.hpp"
#include "../versions.hpp"
#include "all_states.hpp"

namespace duplex::tls::detail::server {

Result<ServerState> ExpectClientHello::handle(const HandshakeMessage& message, Context& context,
                                              HandshakeIo& io) && {
  // RFC 8446 §4: the client's first message is its ClientHello.
  if (message.msg_type != HandshakeType::client_hello) return unexpected(message, "ClientHello");
  auto hello = parse_client_hello(message.body());
  if (!hello) return fail(hello.error());
  auto version = choose_version(*hello, effective_versions(*context.config));
  if (!version) return fail(version.error());
  io.summary().version = *version;
  if (*version == ProtocolVersion::tls1_2) {
    auto offers = read_tls12_client_hello_offers(*hello);
    if (!offers) return fail(offers.error());
    return tls12::answer_client_hello(message, *hello, *offers, context, io);
  }
  auto offers = read_client_hello_offers(*hello);
  if (!offers) return fail(offers.error());
  return tls13::answer_client_hello(message, *hello, *offers, context, io);
}

Result<ServerState> Done::handle(const HandshakeMessage& message, Context&, HandshakeIo&) && {
  return reject(AlertDescription::unexpected_message,
                "the client sent a " + to_string(message.msg_type) + " after the handshake (RFC 8446 §4.6)");
}

Result<ServerState> Failed::handle(const HandshakeMessage&, Context&, HandshakeIo&) && {
  return reject(AlertDescription::internal_error, "the handshake already failed");
}

// ---- Shared by the states of both versions ----

duplex::Failure<TlsError> unexpected(const HandshakeMessage& message, std::string_view expected) {
  return reject(AlertDescription::unexpected_message, "the client sent a " + to_string(message.msg_type) +
                                                          " where a " + std::string(expected) +
                                                          " was expected (RFC 8446 §4)");
}

void send(HandshakeType type, std::span<const std::uint8_t> body, crypto::Hash& transcript, HandshakeIo& io) {
  HandshakeMessage message{type, encode_handshake(type, body)};
  transcript.update(message.encoded);
  io.write_handshake(message);
}

Result<crypto::PublicKey> verify_client_chain(const ServerConfig& config, std::span<const std::vector<std::uint8_t>> chain,
                                              HandshakeIo& io) {
  if (!config.client_verifier)
    return reject(AlertDescription::internal_error,
                  "the server asks for client certificates but has no client_verifier to check them");
  if (auto trusted = config.client_verifier->verify(
          PeerCertificates{chain, "", io.now(), CertificatePurpose::client_auth});
      !trusted)
    return fail(trusted.error());
  auto leaf = x509::parse_certificate(chain.front());
  if (!leaf)
    return reject(AlertDescription::bad_certificate,
                  "the client's end-entity certificate does not parse: " + leaf.error().message());
  auto key = crypto::PublicKey::from_spki_der(leaf->subject_public_key_info.der);
  if (!key)
    return reject(AlertDescription::unsupported_certificate,
                  "the client's certificate has a public key we cannot use: " + key.error().message);
  return std::move(key).value();
}

}  // namespace duplex::tls::detail::server

namespace duplex::tls::detail {

struct ServerHandshake::State {
  server::Context context;
  server::ServerState state;
};

ServerHandshake::ServerHandshake(std::shared_ptr<const ServerConfig> config)
    : state_(std::make_unique<State>(State{server::Context{std::move(config)}, server::ExpectClientHello{}})) {}
ServerHandshake::~ServerHandshake() = default;
ServerHandshake::ServerHandshake(ServerHandshake&&) noexcept = default;
ServerHandshake& ServerHandshake::operator=(ServerHandshake&&) noexcept = default;

Status ServerHandshake::handle(const HandshakeMessage& message, HandshakeIo& io) {
  return step<server::Failed>(state_->state, message, state_->context, io);
}

Result<bool> ServerHandshake::handle_change_cipher_spec(HandshakeIo& io) {
  return step_change_cipher_spec<server::Failed>(state_->state, state_->context, io, "client");
}

bool ServerHandshake::done() const { return std::holds_alternative<server::Done>(state_->state); }

bool ServerHandshake::expecting_first_client_hello() const {
  return std::holds_alternative<server::ExpectClientHello>(state_->state);
}

}  // namespace duplex::tls::detail
