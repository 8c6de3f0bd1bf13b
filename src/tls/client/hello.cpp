// Where the client's versions meet (STYLE example 13): the ClientHandshake, which writes the
// ClientHello and then hands each message to its current state; the reading of RFC 8446 §4.1.3
// ServerHello and §4.1.4 HelloRetryRequest (the checks both share, the retry with its second
// ClientHello and message_hash transcript); and what the states of every version share.
#include <algorithm>

#include "handshake.hpp"
#include "../state_machine.hpp"
#include "all_states.hpp"
#include "duplex/tls/x509_verifier.hpp"
#include "duplex/x509/certificate.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/key_share.hpp"
#include "duplex/tls/server_hello.hpp"

namespace duplex::tls::detail::client {
namespace {

template <typename T>
bool contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool ends_with(const std::array<std::uint8_t, 32>& random, const std::array<std::uint8_t, 8>& sentinel) {
  return std::equal(sentinel.begin(), sentinel.end(), random.end() - 8);
}

// The version the server chose (RFC 8446 §4.1.3, §4.2.1; RFC 5246 §7.4.1.3), where the versions
// meet: TLS 1.3 by supported_versions, TLS 1.2 by legacy_version without it.
Result<ProtocolVersion> negotiated_version(const ServerHello& hello, ExtensionContext context,
                                           const ClientOffer& offer) {
  const auto name = to_string(context);
  const auto* versions = find_extension(hello.extensions, ExtensionType::supported_versions);
  if (versions == nullptr) {
    // RFC 8446 §4.1.4: "The server's extensions MUST contain "supported_versions"."
    if (context == ExtensionContext::hello_retry_request)
      return reject(AlertDescription::missing_extension,
                    "the HelloRetryRequest has no supported_versions extension (RFC 8446 §4.1.4)");
    // RFC 8446 §4.1.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below MUST
    // check that the last 8 bytes are not equal to either of these values. ... If a match is
    // found, the client MUST abort the handshake with an "illegal_parameter" alert."
    if (offer.offers_tls13 &&
        (ends_with(hello.random, downgrade_tls12_sentinel) || ends_with(hello.random, downgrade_tls11_sentinel)))
      return reject(AlertDescription::illegal_parameter,
                    "the " + name + "'s random ends with the downgrade sentinel of a TLS 1.3 server negotiating " +
                        to_string(hello.legacy_version) + ": an attacker may be forcing an older version (RFC 8446 §4.1.3)");
    // RFC 5246 §7.4.1.3: server_version is "the lower of that suggested by the client in the
    // client hello and the highest supported by the server"; RFC 8446 §4.2.1: without
    // supported_versions it is TLS 1.2 or below. §6.2: protocol_version: "The protocol version the
    // peer has attempted to negotiate is recognized but not supported."
    if (hello.legacy_version == ProtocolVersion::tls1_2 && offer.offers_tls12) return ProtocolVersion::tls1_2;
    return reject(AlertDescription::protocol_version,
                  "the " + name + " negotiates " + to_string(hello.legacy_version) +
                      " (it has no supported_versions extension), which the ClientHello did not offer: we speak " +
                      std::string(offer.offers_tls12 ? "TLS 1.3 and TLS 1.2" : "TLS 1.3 only") + " (RFC 8446 §4.2.1)");
  }
  auto selected = parse_supported_versions_server_hello(versions->data, context);
  if (!selected) return fail(selected.error());
  // RFC 8446 §4.2.1: "If the "supported_versions" extension in the ServerHello contains a version
  // not offered by the client or contains a version prior to TLS 1.3, the client MUST abort the
  // handshake with an "illegal_parameter" alert."
  if (*selected != ProtocolVersion::tls1_3 || !offer.offers_tls13)
    return reject(AlertDescription::illegal_parameter,
                  "the " + name + "'s supported_versions selects " + to_string(*selected) +
                      ", which the ClientHello did not offer there (RFC 8446 §4.2.1)");
  // RFC 8446 §4.1.3: "the legacy_version field MUST be set to 0x0303".
  if (hello.legacy_version != ProtocolVersion::tls1_2)
    return reject(AlertDescription::illegal_parameter, "the " + name + "'s legacy_version is " +
                                                           to_string(hello.legacy_version) +
                                                           ", not 0x0303 (RFC 8446 §4.1.3)");
  return ProtocolVersion::tls1_3;
}

// RFC 8446 §4.1.4: "Upon receipt of a HelloRetryRequest, the client MUST check the
// legacy_version, legacy_session_id_echo, cipher_suite, and legacy_compression_method as
// specified in Section 4.1.3", then the extensions the same way as a ServerHello's.
Status check_server_hello_fields(const ServerHello& hello, ExtensionContext context, const ClientOffer& offer) {
  const auto name = to_string(context);
  // RFC 8446 §4.1.3: "A client which receives a legacy_session_id_echo field that does not match
  // what it sent in the ClientHello MUST abort the handshake with an "illegal_parameter" alert."
  if (hello.legacy_session_id_echo != offer.legacy_session_id)
    return reject(AlertDescription::illegal_parameter,
                  "the " + name + "'s legacy_session_id_echo is not the ClientHello's legacy_session_id (RFC 8446 §4.1.3)");
  // RFC 8446 §4.1.3: legacy_compression_method "A single byte which MUST have the value 0."
  if (hello.legacy_compression_method != 0)
    return reject(AlertDescription::illegal_parameter,
                  "the " + name + "'s legacy_compression_method is not 0 (RFC 8446 §4.1.3)");
  // RFC 8446 §4.1.3: "A client which receives a cipher suite that was not offered MUST abort the
  // handshake with an "illegal_parameter" alert."
  if (!contains(offer.cipher_suites, hello.cipher_suite) || !Tls13Suite::from(hello.cipher_suite))
    return reject(AlertDescription::illegal_parameter, "the " + name + " selects cipher suite " +
                                                           to_string(hello.cipher_suite) +
                                                           ", which the ClientHello did not offer (RFC 8446 §4.1.3)");
  return check_extensions_offered(hello.extensions, context, offer.extensions);
}

// The HelloRetryRequest's key_share (RFC 8446 §4.2.8): the group to send a share for instead.
Result<std::optional<NamedGroup>> selected_group(const ServerHello& retry, const ClientOffer& offer,
                                                 const std::vector<crypto::KeyShare>& sent) {
  const auto* extension = find_extension(retry.extensions, ExtensionType::key_share);
  if (extension == nullptr) return std::optional<NamedGroup>{};
  auto group = parse_key_share_hello_retry_request(extension->data);
  if (!group) return fail(group.error());
  // RFC 8446 §4.2.8: "Clients MUST check that the selected_group field corresponds to a group
  // which was provided in the "supported_groups" extension in the original ClientHello and that
  // it does not correspond to a group which was provided in the "key_share" extension in the
  // original ClientHello. If either of these checks fails, then the client MUST abort the
  // handshake with an "illegal_parameter" alert."
  if (!contains(offer.supported_groups, *group))
    return reject(AlertDescription::illegal_parameter,
                  "the HelloRetryRequest asks for a key share for " + to_string(*group) +
                      ", which the ClientHello's supported_groups did not offer (RFC 8446 §4.2.8)");
  for (const auto& share : sent)
    if (share.group() == *group)
      return reject(AlertDescription::illegal_parameter,
                    "the HelloRetryRequest asks for a key share for " + to_string(*group) +
                        ", which the ClientHello already sent (RFC 8446 §4.2.8)");
  return std::optional<NamedGroup>{*group};
}

}  // namespace

Result<ClientState> ExpectServerHelloOrRetry::handle(const HandshakeMessage& message, Context& context,
                                                     HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::server_hello) return unexpected(message, "ServerHello");
  auto parsed = parse_server_hello(message.body());
  if (!parsed) return fail(parsed.error());
  const auto& server_hello = *parsed;
  const bool retry = is_hello_retry_request(server_hello);
  const auto extension_context = retry ? ExtensionContext::hello_retry_request : ExtensionContext::server_hello;
  auto version = negotiated_version(server_hello, extension_context, context.offer);
  if (!version) return fail(version.error());
  io.summary().version = *version;
  if (*version == ProtocolVersion::tls1_2)
    return tls12::enter(server_hello, message, client_hello, context, io);
  if (auto checked = check_server_hello_fields(server_hello, extension_context, context.offer); !checked)
    return fail(checked.error());
  const auto suite = *Tls13Suite::from(server_hello.cipher_suite);
  if (!retry) {
    crypto::Hash transcript(suite.hash());
    transcript.update(client_hello.encoded);
    return tls13::enter_handshake_keys(server_hello, message, std::move(transcript), key_shares, io);
  }

  auto group = selected_group(server_hello, context.offer, key_shares);
  if (!group) return fail(group.error());
  std::optional<std::vector<std::uint8_t>> cookie;
  if (const auto* extension = find_extension(server_hello.extensions, ExtensionType::cookie)) {
    auto parsed_cookie = parse_cookie(extension->data, ExtensionContext::hello_retry_request);
    if (!parsed_cookie) return fail(parsed_cookie.error());
    cookie = std::move(parsed_cookie).value();
  }
  // RFC 8446 §4.1.4: "Clients MUST abort the handshake with an "illegal_parameter" alert if the
  // HelloRetryRequest would not result in any change in the ClientHello."
  if (!*group && !cookie)
    return reject(AlertDescription::illegal_parameter,
                  "the HelloRetryRequest asks for neither a key share nor a cookie, so the second ClientHello "
                  "would not change (RFC 8446 §4.1.4)");

  std::optional<KeyShareEntry> new_share;
  if (*group) {
    auto share = crypto::KeyShare::generate(**group);
    if (!share)
      return reject(AlertDescription::internal_error,
                    "no key share could be made for " + to_string(**group) + ": " + share.error().message);
    const auto public_share = share->public_share();
    new_share = KeyShareEntry{**group, {public_share.begin(), public_share.end()}};
    key_shares.clear();
    key_shares.push_back(std::move(share).value());
  }

  // RFC 8446 §4.4.1: "the transcript hash corresponding to the first ClientHello (ClientHello1)
  // [is replaced] with a special synthetic handshake message of handshake type "message_hash"
  // containing Hash(ClientHello1)".
  crypto::Hash transcript(suite.hash());
  const auto first_hash = crypto::hash(suite.hash(), client_hello.encoded);
  transcript.update(encode_handshake(HandshakeType::message_hash, first_hash.bytes()));
  transcript.update(message.encoded);
  io.summary().hello_retry_request = true;

  send_change_cipher_spec_if_due(context, io);
  const auto second = build_retried_client_hello(hello, new_share, cookie);
  send(frame(HandshakeType::client_hello, encode_client_hello(second)), transcript, io);
  return ClientState(ExpectServerHello{std::move(key_shares), std::move(transcript), server_hello.cipher_suite});
}

Result<ClientState> ExpectServerHello::handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::server_hello) return unexpected(message, "ServerHello");
  auto parsed = parse_server_hello(message.body());
  if (!parsed) return fail(parsed.error());
  // RFC 8446 §4.1.4: "If a client receives a second HelloRetryRequest in the same connection
  // (i.e., where the ClientHello was itself in response to a HelloRetryRequest), it MUST abort
  // the handshake with an "unexpected_message" alert."
  if (is_hello_retry_request(*parsed))
    return reject(AlertDescription::unexpected_message,
                  "the server sent a second HelloRetryRequest (RFC 8446 §4.1.4)");
  auto version = negotiated_version(*parsed, ExtensionContext::server_hello, context.offer);
  if (!version) return fail(version.error());
  // RFC 8446 §4.1.4: "The value of selected_version in the HelloRetryRequest "supported_versions"
  // extension MUST be retained in the ServerHello, and a client MUST abort the handshake with an
  // "illegal_parameter" alert if the value changes."
  if (*version != ProtocolVersion::tls1_3)
    return reject(AlertDescription::illegal_parameter,
                  "the ServerHello after a HelloRetryRequest negotiates " + to_string(*version) +
                      ", not the HelloRetryRequest's TLS 1.3 (RFC 8446 §4.1.4)");
  if (auto checked = check_server_hello_fields(*parsed, ExtensionContext::server_hello, context.offer); !checked)
    return fail(checked.error());
  // RFC 8446 §4.1.4: "clients MUST check that the cipher suite supplied in the ServerHello is the
  // same as that in the HelloRetryRequest and otherwise abort the handshake with an
  // "illegal_parameter" alert."
  if (parsed->cipher_suite != retry_suite)
    return reject(AlertDescription::illegal_parameter,
                  "the ServerHello selects " + to_string(parsed->cipher_suite) + " after the HelloRetryRequest selected " +
                      to_string(retry_suite) + " (RFC 8446 §4.1.4)");
  return tls13::enter_handshake_keys(*parsed, message, std::move(transcript), key_shares, io);
}

// ---- Shared by the states of both versions ----

Status check_alpn(std::span<const Extension> extensions, ExtensionContext context, const ClientOffer& offer,
                  HandshakeSummary& summary) {
  const auto* alpn = find_extension(extensions, ExtensionType::application_layer_protocol_negotiation);
  if (alpn == nullptr) return Unit{};
  auto names = parse_alpn(alpn->data, context);
  if (!names) return fail(names.error());
  const auto& selected = names->front();
  // Q: which alert for a protocol we never offered? RFC 7301 §3.2 defines no_application_protocol
  // for a server that supports none of the client's protocols, and says nothing of the client. A
  // selection outside our list is a field "inconsistent with other fields": illegal_parameter
  // (RFC 8446 §6.2), as OpenSSL and rustls send.
  if (!contains(offer.alpn_protocols, selected))
    return reject(AlertDescription::illegal_parameter,
                  "the " + to_string(context) + " selects ALPN protocol \"" + selected +
                      "\", which the ClientHello did not offer (RFC 7301 §3.2)");
  summary.alpn_protocol = selected;
  return Unit{};
}

duplex::Failure<TlsError> unexpected(const HandshakeMessage& message, std::string_view expected) {
  // RFC 8446 §6.2: unexpected_message: "An inappropriate message (e.g., the wrong handshake
  // message, premature Application Data, etc.) was received."
  return reject(AlertDescription::unexpected_message, "the server sent " + to_string(message.msg_type) + " where " +
                                                          std::string(expected) + " was due (RFC 8446 §4)");
}

void send_change_cipher_spec_if_due(Context& context, HandshakeIo& io) {
  // RFC 8446 §D.4: "the client sends a dummy change_cipher_spec record ... immediately before its
  // second flight. This may either be before its second ClientHello or before its encrypted
  // handshake flight." Once only.
  if (!context.config->middlebox_compatibility || context.change_cipher_spec_sent) return;
  io.write_change_cipher_spec();
  context.change_cipher_spec_sent = true;
}

void send(const HandshakeMessage& message, crypto::Hash& transcript, HandshakeIo& io) {
  transcript.update(message.encoded);
  io.write_handshake(message);
}

HandshakeMessage frame(HandshakeType type, std::span<const std::uint8_t> body) {
  return HandshakeMessage{type, encode_handshake(type, body)};
}

Result<crypto::PublicKey> server_public_key(std::span<const std::uint8_t> leaf) {
  auto certificate = x509::parse_certificate(leaf);
  if (!certificate)
    return reject(AlertDescription::bad_certificate,
                  "the server's end-entity certificate does not parse: " + certificate.error().message() +
                      " (RFC 8446 §4.4.2)");
  auto key = crypto::PublicKey::from_spki_der(certificate->subject_public_key_info.der);
  if (!key)
    return reject(AlertDescription::unsupported_certificate,
                  "the server's end-entity certificate holds a key we cannot verify with: " + key.error().message +
                      " (RFC 8446 §4.4.2.2)");
  return std::move(key).value();
}

Status verify_server_chain(const Context& context, std::span<const std::vector<std::uint8_t>> chain, HandshakeIo& io) {
  // No verifier configured: the X.509 path validator with the system's roots (DESIGN.md
  // principle 3: verification is on unless the user names it off).
  std::string problem;
  const auto verifier = context.config->verifier ? context.config->verifier : system_x509_verifier(&problem);
  if (verifier == nullptr)
    return reject(AlertDescription::certificate_unknown,
                  "no certificate verifier is configured (ClientConfig::verifier) and the system's trust store "
                  "cannot be read (" + problem + "), so the server's certificate cannot be trusted: use "
                  "tls::x509_verifier, tls::pin_spki_sha256 or, for tests only, tls::insecure_no_verification() "
                  "(RFC 8446 §6.2)");
  return verifier->verify(PeerCertificates{
      .chain = chain, .peer_name = context.server_name, .now = io.now(), .purpose = CertificatePurpose::server_auth});
}


Result<ClientState> Done::handle(const HandshakeMessage& message, Context&, HandshakeIo&) && {
  // The connection takes the messages after the handshake (NewSessionTicket, KeyUpdate).
  return unexpected(message, "no handshake message");
}

Result<ClientState> Failed::handle(const HandshakeMessage&, Context&, HandshakeIo&) && {
  return reject(AlertDescription::internal_error, "the handshake already failed");
}

}  // namespace duplex::tls::detail::client

namespace duplex::tls::detail {

struct ClientHandshake::State {
  client::Context context;
  client::ClientState state = client::Failed{};
};

ClientHandshake::ClientHandshake(std::shared_ptr<const ClientConfig> config, std::string server_name)
    : state_(std::make_unique<State>(State{client::Context{std::move(config), std::move(server_name), {}, false}})) {}
ClientHandshake::~ClientHandshake() = default;
ClientHandshake::ClientHandshake(ClientHandshake&&) noexcept = default;
ClientHandshake& ClientHandshake::operator=(ClientHandshake&&) noexcept = default;

Status ClientHandshake::start(HandshakeIo& io) {
  if (state_->context.config == nullptr)
    return reject(AlertDescription::internal_error, "the client has no ClientConfig");
  auto randomness = draw_client_randomness(*state_->context.config);
  if (!randomness) return fail(randomness.error());
  return start(io, std::move(randomness).value());
}

Status ClientHandshake::start(HandshakeIo& io, ClientRandomness randomness) {
  auto& context = state_->context;
  if (context.config == nullptr) return reject(AlertDescription::internal_error, "the client has no ClientConfig");
  auto hello = build_client_hello(*context.config, context.server_name, randomness);
  if (!hello) return fail(hello.error());
  auto offer = read_client_offer(*hello);
  if (!offer) return reject(AlertDescription::internal_error, "our own ClientHello does not read back: " + offer.error().message);
  context.offer = std::move(offer).value();
  io.set_client_random(context.offer.random);
  io.summary().server_name = server_name_indication(context.server_name).value_or("");

  auto message = client::frame(HandshakeType::client_hello, encode_client_hello(*hello));
  io.write_handshake(message);
  state_->state = client::ExpectServerHelloOrRetry{std::move(hello).value(), std::move(randomness.key_shares),
                                                   std::move(message)};
  return Unit{};
}

Status ClientHandshake::handle(const HandshakeMessage& message, HandshakeIo& io) {
  return step<client::Failed>(state_->state, message, state_->context, io);
}

Result<bool> ClientHandshake::handle_change_cipher_spec(HandshakeIo& io) {
  return step_change_cipher_spec<client::Failed>(state_->state, state_->context, io, "server");
}

bool ClientHandshake::done() const { return std::holds_alternative<client::Done>(state_->state); }

}  // namespace duplex::tls::detail
